import type { NodeId, System } from '../../kernel/types.js';
import { asAgent } from '../../kernel/types.js';
import type { World } from '../../kernel/world.js';
import { makeWorkload } from '../family.js';
import type { BuildOptions } from '../family.js';
import type { Protocol } from '../define.js';
import { defineProtocol } from '../define.js';
import { diskInvariants } from './invariants.js';
import { diskLabels } from './labels.js';
import { diskMutants, diskRulesFor } from './mutants.js';
import { processorAgent } from './processor.js';
import type { DiskRules } from './rules.js';
import { correctDiskRules } from './rules.js';
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
  rules: DiskRules = correctDiskRules,
  label = 'processor',
): System {
  const t = opts.topology;
  const P = Math.max(1, t.proposers);
  const D = Math.max(1, t.servers);
  const processors = range(0, P);
  const disks = range(P, D);
  const symmetry = diskSymmetry(disks);
  const cfg = { processors: P, disks, slots: t.commands, randomized: t.backoff === 'randomized', rules, label };
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

export const diskFamily: Protocol = defineProtocol({
  name: 'disk',
  description:
    'Disk Paxos (Gafni & Lamport): processors reach consensus through passive disks, writing their own block and reading the others; phase 0 recovers after a crash',
  mutants: diskMutants,
  labels: diskLabels('processor'),
  build: (topology, o) => buildDiskSystem({ topology, ...o }, 'disk', diskRulesFor(o.mutant)),
});

export { diskInvariants } from './invariants.js';
export { diskMutants } from './mutants.js';
