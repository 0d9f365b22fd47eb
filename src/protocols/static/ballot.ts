import type { StaticRules } from './rules.js';

/** Ballot of proposer `index` (of `proposers`) in `round`, by the rules (rules.ts `ballot`). */
export function ballotOf(round: number, index: number, proposers: number, rules: StaticRules): number {
  return rules.ballot(round, index, proposers);
}

/** The lowest round whose ballot beats `ballot`, so a preempted proposer outbids what it saw. */
export function roundAbove(ballot: number, index: number, proposers: number, rules: StaticRules): number {
  let round = Math.max(0, Math.floor((ballot - 1) / Math.max(1, proposers)) - 1);
  while (ballotOf(round, index, proposers, rules) <= ballot) round++;
  return round;
}

/** The proposer that owns `ballot`, for cover labels and traces. */
export function ownerOf(ballot: number, proposers: number): number {
  return (ballot - 1) % Math.max(1, proposers);
}
