import { viewOf } from './history.js';
import type { Property } from './property.js';

/** Invariants a protocol states about its own state (e.g. Disk Paxos: mbal ≥ bal in every block). */
export const protocolInvariants: Property = {
  name: 'protocol-invariant',
  description: 'the protocol-specific invariants hold (Disk Paxos HInv: mbal ≥ bal, bal = 0 iff no value, written disks hold the current block)',
  check({ sys, next, fx }) {
    if (fx.node !== null) {
      const broken = viewOf(sys, next, fx.node)?.broken;
      if (broken && broken.length > 0) return { property: 'protocol-invariant', node: fx.node, message: `n${fx.node}: ${broken.join('; ')}` };
    }
    const global = sys.invariants?.(next);
    if (global && global.length > 0) return { property: 'protocol-invariant', message: global.join('; ') };
    return null;
  },
};
