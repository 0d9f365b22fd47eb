import { draw } from '../kernel/clock.js';
import type { Rng } from '../kernel/rng.js';
import type { System } from '../kernel/types.js';
import type { Scenario } from '../scenario/schema.js';

/** An environment fault at a virtual time, drawn once per run from the scenario. */
export type PlannedFault =
  | { readonly at: number; readonly k: 'crash' | 'restart' | 'down' | 'up'; readonly node: number }
  | { readonly at: number; readonly k: 'partition'; readonly groups: readonly number[] }
  | { readonly at: number; readonly k: 'heal' };

/**
 * Draws the crashes, partitions and server outages of one run. The plan depends only on the
 * scenario, the topology sizes and the stream, so one plan can drive every protocol family.
 */
export function planFaults(sc: Scenario, sys: System, rng: Rng): PlannedFault[] {
  const plan: PlannedFault[] = [];
  const agents = sys.agents.length;
  for (let i = 0; i < sc.crashes.count; i++) {
    const node = rng.int(agents);
    const at = rng.next() * sc.crashes.within;
    plan.push({ at, k: 'crash', node }, { at: at + draw(sc.crashes.downtime, rng), k: 'restart', node });
  }
  const total = agents + sys.servers.length;
  for (let i = 0; i < sc.partitions.count; i++) {
    const at = rng.next() * sc.partitions.within;
    // A minority side, so that a majority may still be connected somewhere.
    const side = 1 + rng.int(Math.max(1, Math.floor((total - 1) / 2)));
    const groups = new Array<number>(total).fill(0);
    let placed = 0;
    while (placed < side) {
      const n = rng.int(total);
      if (groups[n] === 0) {
        groups[n] = 1;
        placed++;
      }
    }
    plan.push({ at, k: 'partition', groups }, { at: at + draw(sc.partitions.duration, rng), k: 'heal' });
  }
  for (let i = 0; i < sc.servers.outages && sys.servers.length > 0; i++) {
    const node = agents + rng.int(sys.servers.length);
    const at = rng.next() * sc.servers.within;
    plan.push({ at, k: 'down', node }, { at: at + draw(sc.servers.downtime, rng), k: 'up', node });
  }
  return plan.sort((a, b) => a.at - b.at);
}
