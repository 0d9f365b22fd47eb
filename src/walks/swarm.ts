import type { Rng } from '../kernel/rng.js';
import type { Scenario } from '../scenario/schema.js';

/** The fault kinds a swarm run may switch on or off. */
export const swarmKinds = ['drop', 'duplicate', 'crashes', 'partitions', 'outages', 'storage', 'slow'] as const;
export type SwarmKind = (typeof swarmKinds)[number];

/**
 * Swarm testing (Groce et al., ISSTA 2012): each run enables a random subset of the fault kinds,
 * so that faults which mask each other (a partition hiding the message loss that would expose a
 * bug) also get runs without the other. Enabled kinds get a rate at least the scenario's.
 */
export function swarmScenario(base: Scenario, rng: Rng): { scenario: Scenario; kinds: SwarmKind[] } {
  const kinds = swarmKinds.filter(() => rng.chance(0.5));
  const on = (k: SwarmKind): boolean => kinds.includes(k);
  const scenario: Scenario = {
    ...base,
    network: { ...base.network, drop: on('drop') ? Math.max(base.network.drop, 0.1) : 0, duplicate: on('duplicate') ? Math.max(base.network.duplicate, 0.1) : 0 },
    storage: { ...base.storage, faults: on('storage') ? Math.max(base.storage.faults, 0.05) : 0 },
    crashes: { ...base.crashes, count: on('crashes') ? Math.max(base.crashes.count, 2) : 0 },
    partitions: { ...base.partitions, count: on('partitions') ? Math.max(base.partitions.count, 1) : 0 },
    servers: { ...base.servers, outages: on('outages') ? Math.max(base.servers.outages, 1) : 0, slow: on('slow') ? Math.max(base.servers.slow, 0.3) : 0 },
  };
  return { scenario, kinds };
}
