import type { AgentBehaviour, NodeId, Symmetry, System } from '../../kernel/types.js';
import type { World } from '../../kernel/world.js';
import { asAgent } from '../../kernel/types.js';
import { makeWorkload } from '../family.js';
import type { BuildOptions } from '../family.js';
import type { Protocol } from '../define.js';
import { defineProtocol } from '../define.js';
import { makeConfig } from './config.js';
import { oneValuePerBallot } from './invariants.js';
import { mutants, rulesFor } from './mutants.js';
import { acceptorAgent, collapsedAgent, learnerAgent, proposerAgent } from './node.js';
import { staticLabels } from './labels.js';
import { staticSymmetry } from './symmetry.js';

const range = (from: number, n: number): NodeId[] => Array.from({ length: Math.max(0, n) }, (_, i) => from + i);

/**
 * Separate roles: proposers 0..P-1, then A acceptors, then L learners. Collapsed: N = A nodes,
 * each an acceptor and a learner, the first P of them also proposers.
 */
export function buildStatic(opts: BuildOptions): System {
  const rules = rulesFor(opts.mutant);
  const t = opts.topology;
  const randomized = t.backoff === 'randomized';
  let agents: AgentBehaviour[];
  let proposers: NodeId[];
  let acceptors: NodeId[];
  let learners: NodeId[];
  // Collapsed nodes differ (the first few also propose, and take submissions): no symmetry.
  let symmetry: Symmetry | undefined;
  if (t.collapsed) {
    const n = Math.max(1, t.acceptors);
    proposers = range(0, Math.min(Math.max(1, t.proposers), n));
    acceptors = range(0, n);
    learners = range(0, n);
    const cfg = makeConfig({ proposers, acceptors, learners }, rules, randomized);
    agents = acceptors.map((id) => asAgent(collapsedAgent(id < proposers.length ? id : null, cfg)));
  } else {
    proposers = range(0, Math.max(1, t.proposers));
    acceptors = range(proposers.length, Math.max(1, t.acceptors));
    learners = range(proposers.length + acceptors.length, Math.max(1, t.learners));
    const cfg = makeConfig({ proposers, acceptors, learners }, rules, randomized);
    agents = [
      ...proposers.map((_, i) => asAgent(proposerAgent(i, cfg))),
      ...acceptors.map(() => asAgent(acceptorAgent(cfg))),
      ...learners.map(() => asAgent(learnerAgent(cfg))),
    ];
    symmetry = staticSymmetry(cfg);
  }
  const sys: System = {
    protocol: 'static',
    agents,
    servers: [],
    workload: makeWorkload(proposers, t.commands),
    acceptors,
    replicas: learners,
    slots: t.commands,
    invariants: (world: unknown) => oneValuePerBallot(sys, world as World),
    ...(symmetry ? { symmetry } : {}),
  };
  return sys;
}

export const staticFamily: Protocol = defineProtocol({
  name: 'static',
  description:
    'classic multi-slot Paxos (Lamport): proposers, acceptors and learners, separate or collapsed; stable leader, no-op gap filling, learner catch-up',
  mutants,
  labels: staticLabels,
  build: (topology, o) => buildStatic({ topology, ...o }),
});

export { mutants } from './mutants.js';
export type { StaticRules } from './rules.js';
export type { Msg, Vote } from './messages.js';
