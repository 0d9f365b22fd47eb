import { applyCommand, kvText } from '../protocols/kv.js';
import type { KvState } from '../protocols/kv.js';
import { viewOf } from './history.js';
import type { Property } from './property.js';

/**
 * No divergence: a replica has applied only decided slots, in order, and its state machine holds
 * exactly the state the agreed log prefix produces. Two replicas at equal prefixes are thus equal.
 */
export const noDivergence: Property = {
  name: 'no-divergence',
  description: 'replicas apply decided slots in order; equal log prefixes give equal state-machine states',
  check({ sys, next, after, fx }) {
    if (fx.node === null || !sys.replicas.includes(fx.node)) return null;
    const replica = viewOf(sys, next, fx.node)?.replica;
    if (!replica) return null;
    let state: KvState = {};
    for (let slot = 0; slot < replica.applied; slot++) {
      const v = after.decided[slot];
      if (v === undefined) {
        return { property: 'no-divergence', slot, node: fx.node, message: `n${fx.node} applied slot ${slot} before any node decided it` };
      }
      state = applyCommand(state, v);
    }
    const expected = kvText(state);
    if (expected !== replica.state) {
      return { property: 'no-divergence', node: fx.node, message: `n${fx.node} after ${replica.applied} slots holds {${replica.state}}, the decided log gives {${expected}}` };
    }
    return null;
  },
};
