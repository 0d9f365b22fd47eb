import type { NodeId, NodeView, ServerData, ServerKind, System } from '../../kernel/types.js';
import { asAgent } from '../../kernel/types.js';
import type { World } from '../../kernel/world.js';
import { makeWorkload } from '../family.js';
import type { BuildOptions } from '../family.js';
import type { Protocol } from '../define.js';
import { defineProtocol } from '../define.js';
import type { Access } from './agent.js';
import { passiveAgent } from './agent.js';
import { casAccess, casServerView } from './cas.js';
import { passiveLabels } from './labels.js';
import { listAccess, listInvariants, listServerView } from './list.js';
import { passiveMutants, passiveRulesFor } from './mutants.js';
import type { PassiveRules } from './rules.js';
import { buildRegisterSystem } from './register.js';
import { passiveSymmetry } from './symmetry.js';

export const passiveServices = ['list', 'cas', 'register'] as const;

const range = (from: number, n: number): NodeId[] => Array.from({ length: n }, (_, i) => from + i);

/** Agents 0..P-1, then S passive servers of one kind. Agents never message each other. */
function buildService<A>(
  opts: BuildOptions,
  kind: ServerKind,
  access: (rules: PassiveRules) => Access<A>,
  serverView: (data: ServerData) => NodeView,
  invariants?: (sys: System, world: World) => readonly string[],
): System {
  const t = opts.topology;
  const P = Math.max(1, t.proposers);
  const S = Math.max(1, t.servers);
  const agents = range(0, P);
  const servers = range(P, S);
  const rules = passiveRulesFor(opts.mutant, kind === 'list' ? 'list' : 'cas');
  const cfg = { agents: P, servers, slots: t.commands, randomized: t.backoff === 'randomized', rules };
  const acc = access(rules);
  const symmetry = passiveSymmetry(servers);
  const sys: System = {
    protocol: 'passive',
    agents: agents.map((p) => asAgent(passiveAgent(p, cfg, acc))),
    servers: servers.map(() => ({ kind })),
    workload: makeWorkload(agents, t.commands),
    acceptors: servers,
    replicas: agents,
    slots: t.commands,
    serverView: (_node, data) => serverView(data),
    ...(invariants ? { invariants: (world: unknown) => invariants(sys, world as World) } : {}),
    ...(symmetry ? { symmetry } : {}),
  };
  return sys;
}

export function buildPassive(opts: BuildOptions): System {
  switch (opts.service) {
    case 'list':
      return buildService(opts, 'list', listAccess, listServerView, listInvariants);
    case 'cas':
      return buildService(opts, 'cas', casAccess, casServerView);
    case 'register':
      passiveRulesFor(opts.mutant, 'register');
      return buildRegisterSystem(opts);
    default:
      throw new Error(`unknown service "${String(opts.service)}" for protocol passive (known: ${passiveServices.join(', ')})`);
  }
}

export const passiveFamily: Protocol = defineProtocol({
  name: 'passive',
  description:
    'agents that never talk to each other reach consensus through passive servers: pPaxos over append-only lists, CASPaxos over conditional puts, Disk Paxos over plain get/put',
  services: passiveServices,
  mutants: passiveMutants,
  labels: passiveLabels,
  build: (topology, o) => buildPassive({ topology, ...o }),
});

export { passiveMutants } from './mutants.js';
