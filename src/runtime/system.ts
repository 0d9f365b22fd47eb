import type { AgentBehaviour, NodeId, ServerKind } from '../kernel/types.js';
import { defaultTopology } from '../protocols/family.js';
import { passiveFamily } from '../protocols/passive/index.js';

// The agents a real run executes are the very objects the simulator checks: built through the
// same protocol registry, with the same mutant flags. Only the slot budget differs: a real log
// is open-ended, so it gets a budget no run reaches.

/** Slots an agent will decide at most; the protocols stop at their slot budget. */
export const RUNTIME_SLOTS = 100_000;

export { RUNTIME_SERVICES } from './run/names.js';
export type { RuntimeService } from './run/names.js';

export interface RuntimeSystem {
  readonly agents: readonly AgentBehaviour[];
  /** Node ids of the passive servers, in store order (store i is server servers[i]). */
  readonly servers: readonly NodeId[];
  readonly kind: ServerKind;
}

export function runtimeSystem(service: string, agents: number, servers: number, mutant?: string): RuntimeSystem {
  // The passive family alone: an agent process loads no other protocol (start-up time counts
  // when agents are killed and restarted all the time).
  const sys = passiveFamily.build({
    service,
    ...(mutant !== undefined ? { mutant } : {}),
    topology: { ...defaultTopology, proposers: agents, servers, commands: RUNTIME_SLOTS, backoff: 'randomized' },
  });
  const kind = sys.servers[0]?.kind ?? 'kv';
  const ids = sys.servers.map((_, i) => sys.agents.length + i);
  return { agents: sys.agents, servers: ids, kind };
}
