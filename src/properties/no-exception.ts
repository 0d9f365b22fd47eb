import type { Property } from './property.js';

/** A handler that throws is a bug in the protocol, reported with the trace that led to it. */
export const noException: Property = {
  name: 'no-exception',
  description: 'no protocol handler throws',
  check({ fx }) {
    if (!fx.error) return null;
    return { property: 'no-exception', node: fx.error.node, message: `n${fx.error.node} threw: ${fx.error.message}` };
  },
};
