import { viewOf } from './history.js';
import type { Property } from './property.js';

/**
 * A ballot is run by one proposer incarnation only: ballots are unique per proposer, and a
 * restarted proposer never runs a ballot it may have used before the crash (Paxos Made Simple:
 * the last ballot is kept on stable storage).
 */
export const ballotUniqueness: Property = {
  name: 'ballot-uniqueness',
  description: 'each ballot is run by one proposer, and never again after that proposer restarts',
  check({ sys, next, before, fx }) {
    const node = fx.node;
    if (node === null || node >= sys.agents.length) return null;
    const b = viewOf(sys, next, node)?.leading;
    if (b === undefined || b <= 0) return null;
    const me = `${node}@${next.agents[node]?.incarnation ?? 0}`;
    const first = before.leaders[b];
    if (first !== undefined && first !== me) {
      return { property: 'ballot-uniqueness', node, message: `ballot ${b} run by n${first.replace('@', ' incarnation ')} and again by n${node} incarnation ${me.split('@')[1]}` };
    }
    return null;
  },
};
