import type { Event } from '../kernel/events.js';
import type { Rng } from '../kernel/rng.js';
import type { NodeId, System } from '../kernel/types.js';
import type { Checked } from '../step/checked.js';
import type { Picker } from './walk.js';

/** The node an event runs on: its target for deliveries, its owner otherwise; -1 for the environment. */
function nodeOf(e: Event, s: Checked, sys: System): NodeId {
  const w = s.world;
  switch (e.k) {
    case 'deliver':
      return w.net.find((p) => p.seq === e.seq)?.to ?? -1;
    case 'timer':
      return w.timers.find((t) => t.seq === e.seq)?.node ?? -1;
    case 'write':
      return w.writes.find((x) => x.seq === e.seq)?.node ?? -1;
    case 'submit':
      return sys.workload[e.idx]?.node ?? -1;
    default:
      return -1;
  }
}

/**
 * Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010) over nodes: each node gets a
 * random distinct priority; the highest-priority node with work runs (its oldest event first);
 * at d−1 random steps the running node drops to the lowest priority. A bug of depth d is found
 * with probability at least 1/(n·k^(d−1)). Fault events (drops, crashes, …) are taken with a
 * small probability so that the fault budget is exercised too.
 */
export function pctPicker(sys: System, rng: Rng, depth: number, maxSteps: number, faultRate = 0.05): Picker {
  const nodes = sys.agents.length + sys.servers.length;
  const prio: number[] = [];
  const order = Array.from({ length: nodes }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  order.forEach((n, rank) => (prio[n] = depth + rank));
  const changePoints = new Set<number>();
  while (changePoints.size < Math.max(0, depth - 1) && changePoints.size < maxSteps) changePoints.add(rng.int(maxSteps));
  let lowered = depth - 1;
  return (evs, state, step) => {
    const faults = evs.filter((e) => nodeOf(e, state, sys) < 0 || (e.k === 'deliver' && e.fault !== undefined));
    if (faults.length > 0 && rng.chance(faultRate)) return rng.pick(faults);
    // PCT assumes every thread terminates; a retry or poll timer is always enabled again, so a
    // high-priority node would run its timers forever and starve the rest. Timers stand for time
    // passing: they go only when no node has a message, write or submission to handle.
    const highest = (timers: boolean): Event | null => {
      let best: Event | null = null;
      let bestPrio = -Infinity;
      for (const e of evs) {
        if ((e.k === 'deliver' && e.fault !== undefined) || (e.k === 'timer') !== timers) continue;
        const n = nodeOf(e, state, sys);
        if (n < 0) continue;
        const p = prio[n] ?? 0;
        if (p > bestPrio) {
          best = e;
          bestPrio = p;
        }
      }
      return best;
    };
    const chosen = highest(false) ?? highest(true) ?? rng.pick(evs);
    if (changePoints.has(step)) {
      const n = nodeOf(chosen, state, sys);
      if (n >= 0) prio[n] = lowered--;
    }
    return chosen;
  };
}
