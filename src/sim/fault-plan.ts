import { draw } from '../kernel/clock.js';
import type { Rng } from '../kernel/rng.js';
import type { System } from '../kernel/types.js';
import type { Scenario } from '../scenario/schema.js';

/** An environment fault at a virtual time, on concrete nodes of one system. */
export type PlannedFault =
  | { readonly at: number; readonly k: 'crash' | 'restart' | 'down' | 'up'; readonly node: number }
  | { readonly at: number; readonly k: 'partition'; readonly groups: readonly number[] }
  | { readonly at: number; readonly k: 'heal' };

/**
 * The same faults before they meet a topology: nodes are picked as fractions of a role's
 * population, so one plan maps onto every protocol family (a differential run crashes "the
 * first of two proposers" in Static Paxos and "the first of two processors" in Disk Paxos).
 */
export type FaultPlan = readonly PortableFault[];

export type PortableFault =
  | { readonly at: number; readonly k: 'crash' | 'restart'; readonly agent: number }
  | { readonly at: number; readonly k: 'down' | 'up'; readonly server: number }
  | { readonly at: number; readonly k: 'partition'; readonly side: number; readonly keys: readonly number[] }
  | { readonly at: number; readonly k: 'heal' };

/** Room for every node a topology can have (schema: at most 9 of each of four roles). */
const MAX_NODES = 36;

/** Draws the crashes, partitions and server outages of one run from the scenario alone. */
export function planFaults(sc: Scenario, rng: Rng): FaultPlan {
  const plan: PortableFault[] = [];
  for (let i = 0; i < sc.crashes.count; i++) {
    const agent = rng.next();
    const at = rng.next() * sc.crashes.within;
    plan.push({ at, k: 'crash', agent }, { at: at + draw(sc.crashes.downtime, rng), k: 'restart', agent });
  }
  for (let i = 0; i < sc.partitions.count; i++) {
    const at = rng.next() * sc.partitions.within;
    const side = rng.next();
    const keys = Array.from({ length: MAX_NODES }, () => rng.next());
    plan.push({ at, k: 'partition', side, keys }, { at: at + draw(sc.partitions.duration, rng), k: 'heal' });
  }
  for (let i = 0; i < sc.servers.outages; i++) {
    const server = rng.next();
    const at = rng.next() * sc.servers.within;
    plan.push({ at, k: 'down', server }, { at: at + draw(sc.servers.downtime, rng), k: 'up', server });
  }
  return plan.sort((a, b) => a.at - b.at);
}

/** The plan on the nodes of `sys`; outages vanish where there are no servers. */
export function resolvePlan(plan: FaultPlan, sys: System): PlannedFault[] {
  const agents = sys.agents.length;
  const servers = sys.servers.length;
  const total = agents + servers;
  const out: PlannedFault[] = [];
  for (const f of plan) {
    switch (f.k) {
      case 'crash':
      case 'restart':
        out.push({ at: f.at, k: f.k, node: Math.floor(f.agent * agents) });
        break;
      case 'down':
      case 'up':
        if (servers > 0) out.push({ at: f.at, k: f.k, node: agents + Math.floor(f.server * servers) });
        break;
      case 'partition': {
        // A minority side, so that a majority may still be connected somewhere; its members are
        // the nodes with the smallest keys.
        const size = 1 + Math.floor(f.side * Math.max(1, Math.floor((total - 1) / 2)));
        const order = Array.from({ length: total }, (_, n) => n).sort((a, b) => (f.keys[a] ?? 0) - (f.keys[b] ?? 0) || a - b);
        const groups = new Array<number>(total).fill(0);
        for (const n of order.slice(0, size)) groups[n] = 1;
        out.push({ at: f.at, k: 'partition', groups });
        break;
      }
      case 'heal':
        out.push({ at: f.at, k: 'heal' });
        break;
    }
  }
  return out;
}
