import { viewOf } from './history.js';
import type { Property } from './property.js';

/** A node's decision for a slot never changes, across crash and recovery. */
export const stability: Property = {
  name: 'stability',
  description: "a node's decision for a slot never changes, across crash and recovery",
  check({ sys, next, before, after, fx }) {
    for (const d of fx.decisions) {
      const earlier = before.outputs[`${d.node}|${d.slot}`];
      if (earlier !== undefined && earlier !== d.value) {
        return { property: 'stability', slot: d.slot, node: d.node, message: `n${d.node} decided slot ${d.slot} as "${earlier}", now "${d.value}"` };
      }
    }
    if (fx.node === null) return null;
    const decided = viewOf(sys, next, fx.node)?.decided;
    if (!decided) return null;
    for (const key of Object.keys(decided)) {
      const slot = Number(key);
      const known = decided[slot];
      const output = after.outputs[`${fx.node}|${slot}`];
      if (output !== undefined && known !== output) {
        return { property: 'stability', slot, node: fx.node, message: `n${fx.node} decided slot ${slot} as "${output}" but now holds "${String(known)}"` };
      }
    }
    return null;
  },
};
