import type { NodeId, Symmetry } from '../../kernel/types.js';
import { permuteByServer } from '../disk/symmetry.js';
import type { AgentState } from './agent.js';

/**
 * The servers are interchangeable: an agent keeps what it knows per server in an array indexed
 * by server, which moves with the servers. As with the disks, tags are handed out in server order
 * and only compared for equality, so they are relabeled in the order of the renamed state.
 */
export function passiveSymmetry(servers: readonly NodeId[]): Symmetry | undefined {
  if (servers.length < 2) return undefined;
  return {
    groups: [servers],
    renameState(_node, state, rename, tag) {
      if (state === null) return state;
      const s = state as AgentState<unknown>;
      const moved = permuteByServer(s.servers, servers, rename);
      return { ...s, tag: 0, servers: moved.map((x) => ({ ...x, tag: tag(x.tag) })) };
    },
  };
}
