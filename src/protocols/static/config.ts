import type { NodeId } from '../../kernel/types.js';
import type { StaticRules } from './rules.js';

/** What every role of one configured system knows: who plays which role, and the rules (a mutant's, maybe). */
export interface Config {
  readonly proposers: readonly NodeId[];
  readonly acceptors: readonly NodeId[];
  readonly learners: readonly NodeId[];
  /** Who hears 2b: every proposer (to learn when its commands are decided) and every learner. */
  readonly hear2b: readonly NodeId[];
  readonly quorum: number;
  readonly rules: StaticRules;
  /** Let the scheduler randomize back-off (the classic cure for duelling proposers). */
  readonly randomizedBackoff: boolean;
}

export function makeConfig(
  roles: { readonly proposers: readonly NodeId[]; readonly acceptors: readonly NodeId[]; readonly learners: readonly NodeId[] },
  rules: StaticRules,
  randomizedBackoff: boolean,
): Config {
  const hear2b = [...new Set([...roles.proposers, ...roles.learners])].sort((a, b) => a - b);
  return { ...roles, hear2b, quorum: rules.quorum(roles.acceptors.length), rules, randomizedBackoff };
}

/**
 * Virtual time. Message delays are about 1-10 units, so a proposer that has heard nothing for
 * RETRY_AFTER has lost messages or a quorum, not merely waited for a slow one.
 */
export const RETRY_AFTER = 60;
export const BACKOFF_BASE = 20;
export const MAX_BACKOFF_ATTEMPT = 6;
export const CATCHUP_AFTER = 60;
/**
 * A learner that knows of no gap still polls now and then (anti-entropy): every 2b of a slot may
 * have been lost to it, e.g. behind a partition, and then nothing else would ever tell it. The
 * interval doubles while polls bring nothing, up to POLL_MAX.
 */
export const POLL_MAX = 1000;
/** A restarted learner asks soon: it may have missed decisions while it was down. */
export const PROBE_AFTER = 20;
