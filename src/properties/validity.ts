import { NOOP } from '../protocols/kv.js';
import type { Property } from './property.js';

/** Only a submitted command, or the no-op filler, can be decided. */
export const validity: Property = {
  name: 'validity',
  description: 'a decided value was submitted by a client or is the no-op filler',
  check({ sys, fx }) {
    for (const d of fx.decisions) {
      if (d.value === NOOP) continue;
      if (!sys.workload.some((s) => s.value === d.value)) {
        return { property: 'validity', slot: d.slot, node: d.node, message: `slot ${d.slot}: n${d.node} decided "${d.value}", which no client submitted` };
      }
    }
    return null;
  },
};
