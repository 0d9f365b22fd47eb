import { viewOf } from './history.js';
import type { Property } from './property.js';

/**
 * An acceptor's promise never decreases, across crashes: what it shows after recovery must be at
 * least what it showed before, so a view should report only promises that are durable.
 */
export const promiseMonotonicity: Property = {
  name: 'promise-monotonicity',
  description: "an acceptor's promised ballot never decreases, across crash and recovery",
  check({ sys, next, before, fx }) {
    const node = fx.node;
    if (node === null || !sys.acceptors.includes(node)) return null;
    const promised = viewOf(sys, next, node)?.promised;
    const earlier = before.promises[node];
    if (promised !== undefined && earlier !== undefined && promised < earlier) {
      return { property: 'promise-monotonicity', node, message: `acceptor n${node} promised ${earlier}, now shows ${promised}` };
    }
    return null;
  },
};
