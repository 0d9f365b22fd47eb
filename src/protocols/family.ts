import type { NodeId, Submission, System } from '../kernel/types.js';

/** Sizes of a configuration; each family reads the fields that apply to it. */
export interface Topology {
  /** Static: proposers; Disk: processors; Passive: agents. */
  readonly proposers: number;
  /** Static: acceptors. */
  readonly acceptors: number;
  /** Static: learners (replicas). */
  readonly learners: number;
  /** Disk: disks; Passive: servers. */
  readonly servers: number;
  /** Client commands submitted (one slot each). */
  readonly commands: number;
  /** Static: one node plays proposer, acceptor and learner. */
  readonly collapsed: boolean;
  /** Retry back-off: randomized (jitter drawn by the scheduler) or deterministic. */
  readonly backoff: 'randomized' | 'deterministic';
}

export const defaultTopology: Topology = {
  proposers: 2,
  acceptors: 3,
  learners: 2,
  servers: 3,
  commands: 3,
  collapsed: false,
  backoff: 'randomized',
};

export interface MutantInfo {
  readonly name: string;
  readonly protocol: string;
  readonly service?: string;
  readonly description: string;
}

export interface BuildOptions {
  readonly topology: Topology;
  readonly mutant?: string;
  readonly service?: string;
}

export interface ProtocolFamily {
  readonly name: string;
  readonly description: string;
  readonly services?: readonly string[];
  readonly mutants: readonly MutantInfo[];
  /** Every cover label the protocol can emit; with services, each label's first segment names its service. */
  readonly labels?: readonly string[];
  build(opts: BuildOptions): System;
}

/** Client commands: distinct key=value writes, spread round-robin over the submitting nodes. */
export function makeWorkload(submitters: readonly NodeId[], commands: number): Submission[] {
  const out: Submission[] = [];
  for (let i = 0; i < commands; i++) {
    const node = submitters[i % submitters.length] as NodeId;
    out.push({ node, value: `c${i}:k${i % 2}=${i}` });
  }
  return out;
}
