import type { MutantInfo } from '../family.js';

/**
 * Deliberate bugs. Each flag is read at the single place where the bug lives, so a mutant differs
 * from the correct protocol by exactly one decision.
 */
export interface Flags {
  /** proposer.ts Phase2a: ignores the votes reported in 1b replies. */
  readonly noAdopt: boolean;
  /** ballot.ts: ballots are round numbers, the same for every proposer. */
  readonly nonUniqueBallot: boolean;
  /** proposer.ts: a 1b for an older ballot counts toward the current quorum. */
  readonly stalePromise: boolean;
  /** quorum.ts: ⌊n/2⌋ acceptors form a quorum. */
  readonly minorityQuorum: boolean;
  /** learner.ts: every 2b counts, even a second one from the same acceptor. */
  readonly learnerDuplicates: boolean;
  /** acceptor.ts: replies go out before the promise or vote is durable. */
  readonly replyBeforePersist: boolean;
  /** acceptor.ts Phase2b: a vote does not raise maxBal. */
  readonly acceptNoPromise: boolean;
  /** proposer.ts recover: the durable round is ignored. */
  readonly ballotReuseAfterRestart: boolean;
  /** quorum.ts: 2b replies are counted per value, across ballots. */
  readonly decideByValue: boolean;
}

export const correct: Flags = {
  noAdopt: false,
  nonUniqueBallot: false,
  stalePromise: false,
  minorityQuorum: false,
  learnerDuplicates: false,
  replyBeforePersist: false,
  acceptNoPromise: false,
  ballotReuseAfterRestart: false,
  decideByValue: false,
};

interface Mutant {
  readonly name: string;
  readonly flag: keyof Flags;
  readonly description: string;
}

const catalogue: readonly Mutant[] = [
  {
    name: 'no-adopt',
    flag: 'noAdopt',
    description: "phase 2 proposes the leader's own commands even when a 1b reported a vote for the slot",
  },
  {
    name: 'non-unique-ballot',
    flag: 'nonUniqueBallot',
    description: 'ballots are plain round numbers, so two proposers may run the same ballot',
  },
  {
    name: 'stale-promise',
    flag: 'stalePromise',
    description: "1b replies for an older ballot of the proposer count toward the current ballot's quorum",
  },
  {
    name: 'minority-quorum',
    flag: 'minorityQuorum',
    description: '⌊n/2⌋ acceptors count as a quorum (an off-by-one in the majority test)',
  },
  {
    name: 'learner-duplicates',
    flag: 'learnerDuplicates',
    description: 'a learner counts 2b messages rather than distinct acceptors, so a re-sent or duplicated 2b counts twice',
  },
  {
    name: 'reply-before-persist',
    flag: 'replyBeforePersist',
    description: 'the acceptor sends 1b/2b before its promise or vote is durable; a crash forgets what it replied',
  },
  {
    name: 'accept-no-promise',
    flag: 'acceptNoPromise',
    description: 'accepting does not raise maxBal, so a later lower-ballot 2a overwrites a higher vote',
  },
  {
    name: 'ballot-reuse-after-restart',
    flag: 'ballotReuseAfterRestart',
    description: 'a restarted proposer ignores its durable round and starts its ballots from the beginning',
  },
  {
    name: 'decide-by-value',
    flag: 'decideByValue',
    description: 'proposers and learners count 2b replies per value, mixing votes from different ballots',
  },
];

export const mutants: readonly MutantInfo[] = catalogue.map((m) => ({
  name: m.name,
  protocol: 'static',
  description: m.description,
}));

/** The flags of a mutant by its CLI name; no name means the correct protocol. */
export function flagsFor(name: string | undefined): Flags {
  if (name === undefined || name === '' || name === 'none') return correct;
  const m = catalogue.find((x) => x.name === name);
  if (!m) {
    throw new Error(`unknown mutant "${name}" for protocol static (known: ${catalogue.map((x) => x.name).join(', ')})`);
  }
  return { ...correct, [m.flag]: true };
}
