import type { Property } from './property.js';

/**
 * At most one value is chosen per slot, where chosen means an acceptor quorum voted for it at
 * one ballot; every decide output for a slot is that value.
 */
export const agreement: Property = {
  name: 'agreement',
  description: 'per slot at most one value is chosen (acceptor quorum at one ballot) and every decide output equals it',
  check({ sys, before, after, fx }) {
    if (after.chosen !== before.chosen) {
      for (const key of Object.keys(after.chosen)) {
        const slot = Number(key);
        const values = after.chosen[slot] ?? [];
        if (values.length > 1 && values !== before.chosen[slot]) {
          return { property: 'agreement', slot, message: `slot ${slot}: acceptor quorums chose ${values.map((v) => `"${v}"`).join(' and ')}` };
        }
      }
    }
    for (const d of fx.decisions) {
      const first = after.decided[d.slot];
      if (first !== undefined && first !== d.value) {
        return { property: 'agreement', slot: d.slot, node: d.node, message: `slot ${d.slot}: n${d.node} decided "${d.value}" but "${first}" was decided before` };
      }
      // Without acceptors (a protocol that is not quorum-based) only the outputs can be compared.
      const chosen = after.chosen[d.slot] ?? [];
      if (sys.acceptors.length > 0 && !chosen.includes(d.value)) {
        return { property: 'agreement', slot: d.slot, node: d.node, message: `slot ${d.slot}: n${d.node} decided "${d.value}", which no acceptor quorum accepted at one ballot` };
      }
    }
    return null;
  },
};
