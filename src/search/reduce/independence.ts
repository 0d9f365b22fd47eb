// When two kernel events commute, for partial-order reduction: the one place that decides it.
//
// An event's footprint is the set of things it reads or writes: the node whose state it runs on
// (agent state, durable store, timers and pending writes, or a server's data), the packet it
// consumes or copies, and the fault budget it draws on. Events with disjoint footprints commute:
// either order reaches the same fingerprint, and neither disables the other. The network is a
// multiset in the fingerprint (sequence numbers, which do differ between the two orders, are left
// out), packets sent by one are not read by the other, pending submissions are removed by index,
// and the property history folds each node's observations into per-node or set-like records. The
// history parts that do depend on the order across nodes (the first decision of a slot, the first
// leader of a ballot, the order of chosen values) differ only when the step is itself a
// violation, which ends the path either way.
//
// Partition and heal change what every delivery does: they touch everything.

import type { Event } from '../../kernel/events.js';
import type { System } from '../../kernel/types.js';
import type { World } from '../../kernel/world.js';

/** The footprint of an event that touches everything. */
export const GLOBAL: readonly number[] = [-1];

// Footprint items: node ids as they are, then fault budgets, then packets by sequence number
// (a packet keeps its number along a path, which is all the comparisons need).
const BUDGET = 1 << 20;
const PACKET = 1 << 21;
const budget = { crashes: BUDGET, drops: BUDGET + 1, dups: BUDGET + 2, downs: BUDGET + 3, storage: BUDGET + 4 };

/** The world-model restrictions (world-model.ts) that change what an event touches. */
export interface FootprintOptions {
  /** Delivering a storage operation also delivers its reply: it runs on the requesting agent too. */
  readonly atomicOps?: boolean;
  /** A timer is enabled only while its node's packets are not in flight: it reads them. */
  readonly quietTimers?: boolean;
}

/** What `e` reads or writes in `w`, or GLOBAL. */
export function footprint(sys: System, w: World, e: Event, o: FootprintOptions = {}): readonly number[] {
  switch (e.k) {
    case 'deliver': {
      const p = w.net.find((x) => x.seq === e.seq);
      if (p === undefined) return GLOBAL;
      const base = e.fault === undefined ? [p.to, PACKET + e.seq] : [p.to, PACKET + e.seq, budget.storage];
      return o.atomicOps === true && p.body.kind === 'op' ? [...base, p.from] : base;
    }
    case 'drop':
      return [PACKET + e.seq, budget.drops];
    case 'dup':
      return [PACKET + e.seq, budget.dups];
    case 'timer': {
      const node = w.timers.find((t) => t.seq === e.seq)?.node;
      if (node === undefined) return GLOBAL;
      return o.quietTimers === true ? [node, ...w.net.filter((p) => p.from === node).map((p) => PACKET + p.seq)] : [node];
    }
    case 'write': {
      const node = w.writes.find((x) => x.seq === e.seq)?.node;
      return node === undefined ? GLOBAL : [node];
    }
    case 'submit': {
      const node = sys.workload[e.idx]?.node;
      return node === undefined ? GLOBAL : [node];
    }
    case 'crash':
      return [e.node, budget.crashes];
    case 'down':
      return [e.node, budget.downs];
    case 'restart':
    case 'up':
      // Not budgeted: bringing a node back is that node's own step.
      return [e.node];
    case 'partition':
    case 'heal':
      return GLOBAL;
  }
}
