import type { Flags } from './mutants.js';

/**
 * Ballot of proposer `index` (of `proposers`) in `round`: round·P + index + 1. Distinct proposers
 * never share a ballot, and every ballot exceeds the acceptors' initial maxBal of -1 and the
 * proposers' "no ballot yet" of 0.
 */
export function ballotOf(round: number, index: number, proposers: number, flags: Flags): number {
  if (flags.nonUniqueBallot) return round + 1;
  return round * proposers + index + 1;
}

/** The lowest round whose ballot beats `ballot`, so a preempted proposer outbids what it saw. */
export function roundAbove(ballot: number, index: number, proposers: number, flags: Flags): number {
  let round = Math.max(0, Math.floor((ballot - 1) / Math.max(1, proposers)) - 1);
  while (ballotOf(round, index, proposers, flags) <= ballot) round++;
  return round;
}

/** The proposer that owns `ballot`, for cover labels and traces. */
export function ownerOf(ballot: number, proposers: number): number {
  return (ballot - 1) % Math.max(1, proposers);
}
