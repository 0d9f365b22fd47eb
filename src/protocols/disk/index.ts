import type { NodeId, System } from '../../kernel/types.js';
import { asAgent } from '../../kernel/types.js';
import type { World } from '../../kernel/world.js';
import { makeWorkload } from '../family.js';
import type { BuildOptions, ProtocolFamily } from '../family.js';
import { diskInvariants } from './invariants.js';
import type { DiskFlags } from './mutants.js';
import { correctDisk, diskFlagsFor, diskMutants } from './mutants.js';
import { processorAgent } from './processor.js';
import { diskSymmetry } from './symmetry.js';
import { diskServerView } from './view.js';

const range = (from: number, n: number): NodeId[] => Array.from({ length: n }, (_, i) => from + i);

/**
 * Processors 0..P-1, then D disks (passive key-value servers). Also the passive family's
 * `register` service: Disk Paxos is what consensus over plain get/put needs.
 */
export function buildDiskSystem(
  opts: BuildOptions,
  protocol: string,
  flags: DiskFlags = correctDisk,
  label = 'processor',
): System {
  const t = opts.topology;
  const P = Math.max(1, t.proposers);
  const D = Math.max(1, t.servers);
  const processors = range(0, P);
  const disks = range(P, D);
  const symmetry = diskSymmetry(disks);
  const cfg = { processors: P, disks, slots: t.commands, randomized: t.backoff === 'randomized', flags, label };
  const sys: System = {
    protocol,
    agents: processors.map((p) => asAgent(processorAgent(p, cfg))),
    servers: disks.map(() => ({ kind: 'kv' as const })),
    workload: makeWorkload(processors, t.commands),
    acceptors: disks,
    replicas: processors,
    slots: t.commands,
    serverView: (node, data) => diskServerView(`disk n${node}`, data),
    invariants: (world: unknown) => diskInvariants(sys, world as World),
    ...(symmetry ? { symmetry } : {}),
  };
  return sys;
}

export const diskFamily: ProtocolFamily = {
  name: 'disk',
  description:
    'Disk Paxos (Gafni & Lamport): processors reach consensus through passive disks, writing their own block and reading the others; phase 0 recovers after a crash',
  mutants: diskMutants,
  build: (opts) => buildDiskSystem(opts, 'disk', diskFlagsFor(opts.mutant)),
};

export { diskInvariants } from './invariants.js';
export { diskMutants } from './mutants.js';
