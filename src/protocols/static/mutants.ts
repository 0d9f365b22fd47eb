import type { MutantInfo } from '../family.js';
import { correctRules, replyAtOnce } from './rules.js';
import type { StaticRules } from './rules.js';

/**
 * Deliberate bugs. Each overrides one rule of `correctRules` (rules.ts), so a mutant differs from
 * the correct protocol by exactly one decision, written down here next to its name.
 */
interface Mutant {
  readonly name: string;
  /** The one rule the bug changes. */
  readonly rules: Partial<StaticRules>;
  readonly description: string;
}

const catalogue: readonly Mutant[] = [
  {
    name: 'no-adopt',
    rules: { adopt: () => ({}) },
    description: "phase 2 proposes the leader's own commands even when a 1b reported a vote for the slot",
  },
  {
    name: 'non-unique-ballot',
    rules: { ballot: (round) => round + 1 },
    description: 'ballots are plain round numbers, so two proposers may run the same ballot',
  },
  {
    name: 'stale-promise',
    rules: { promiseCounts: (promised, current) => promised <= current },
    description: "1b replies for an older ballot of the proposer count toward the current ballot's quorum",
  },
  {
    name: 'minority-quorum',
    rules: { quorum: (acceptors) => Math.max(1, Math.floor(acceptors / 2)) },
    description: '⌊n/2⌋ acceptors count as a quorum (an off-by-one in the majority test)',
  },
  {
    name: 'learner-duplicates',
    rules: { learnerCounts: () => true },
    description: 'a learner counts 2b messages rather than distinct acceptors, so a re-sent or duplicated 2b counts twice',
  },
  {
    name: 'reply-before-persist',
    rules: { reply: replyAtOnce },
    description: 'the acceptor sends 1b/2b before its promise or vote is durable; a crash forgets what it replied',
  },
  {
    name: 'accept-no-promise',
    rules: { promiseAfterVote: (maxBal) => maxBal },
    description: 'accepting does not raise maxBal, so a later lower-ballot 2a overwrites a higher vote',
  },
  {
    name: 'ballot-reuse-after-restart',
    rules: { recoveredRound: () => -1 },
    description: 'a restarted proposer ignores its durable round and starts its ballots from the beginning',
  },
  {
    name: 'decide-by-value',
    rules: { tallyKey: (_b, v) => `v:${v}` },
    description: 'proposers and learners count 2b replies per value, mixing votes from different ballots',
  },
];

export const mutants: readonly MutantInfo[] = catalogue.map((m) => ({
  name: m.name,
  protocol: 'static',
  description: m.description,
}));

/** The rules of a mutant by its CLI name; no name means the correct protocol. */
export function rulesFor(name: string | undefined): StaticRules {
  if (name === undefined || name === '' || name === 'none') return correctRules;
  const m = catalogue.find((x) => x.name === name);
  if (!m) {
    throw new Error(`unknown mutant "${name}" for protocol static (known: ${catalogue.map((x) => x.name).join(', ')})`);
  }
  return { ...correctRules, ...m.rules };
}
