import type { NodeId, NodeView, ServerData, ServerKind, System } from '../../kernel/types.js';
import { asAgent } from '../../kernel/types.js';
import type { World } from '../../kernel/world.js';
import { makeWorkload } from '../family.js';
import type { BuildOptions, ProtocolFamily } from '../family.js';
import type { Access } from './agent.js';
import { passiveAgent } from './agent.js';
import { casAccess, casServerView } from './cas.js';
import { listAccess, listInvariants, listServerView } from './list.js';
import type { PassiveFlags } from './mutants.js';
import { passiveFlagsFor, passiveMutants } from './mutants.js';
import { buildRegisterSystem } from './register.js';
import { passiveSymmetry } from './symmetry.js';

export const passiveServices = ['list', 'cas', 'register'] as const;

const range = (from: number, n: number): NodeId[] => Array.from({ length: n }, (_, i) => from + i);

/** Agents 0..P-1, then S passive servers of one kind. Agents never message each other. */
function buildService<A>(
  opts: BuildOptions,
  kind: ServerKind,
  access: (flags: PassiveFlags) => Access<A>,
  serverView: (data: ServerData) => NodeView,
  invariants?: (sys: System, world: World) => readonly string[],
): System {
  const t = opts.topology;
  const P = Math.max(1, t.proposers);
  const S = Math.max(1, t.servers);
  const agents = range(0, P);
  const servers = range(P, S);
  const flags = passiveFlagsFor(opts.mutant, kind === 'list' ? 'list' : 'cas');
  const cfg = { agents: P, servers, slots: t.commands, randomized: t.backoff === 'randomized', flags };
  const acc = access(flags);
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
      passiveFlagsFor(opts.mutant, 'register');
      return buildRegisterSystem(opts);
    default:
      throw new Error(`unknown service "${String(opts.service)}" for protocol passive (known: ${passiveServices.join(', ')})`);
  }
}

export const passiveFamily: ProtocolFamily = {
  name: 'passive',
  description:
    'agents that never talk to each other reach consensus through passive servers: pPaxos over append-only lists, CASPaxos over conditional puts, Disk Paxos over plain get/put',
  services: passiveServices,
  mutants: passiveMutants,
  build: buildPassive,
};

export { passiveMutants } from './mutants.js';
