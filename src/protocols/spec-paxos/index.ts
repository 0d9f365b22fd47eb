// Spec-level Paxos (Lamport's Paxos.tla) as a transition system for the systematic explorers.

import { SpecPaxos } from './spec.js';
import type { SpecPaxosOptions } from './spec.js';

export { SpecPaxos } from './spec.js';
export type { PaxosAction, PaxosState, SpecPaxosOptions } from './spec.js';

/** Paxos.tla with Acceptor = {a1,a2,a3}, Value = {v1,v2}, Ballot = 0..maxBallot (MCPaxos). */
export function specPaxos(maxBallot: number, opts: Omit<SpecPaxosOptions, 'maxBallot'> = {}): SpecPaxos {
  return new SpecPaxos({ ...opts, maxBallot });
}
