import type { NodeId, System } from '../kernel/types.js';
import type { World } from '../kernel/world.js';
import { isServer } from '../kernel/world.js';
import { quorumSize } from '../../properties/index.js';

function up(sys: System, w: World, n: NodeId): boolean {
  return isServer(sys, n) ? (w.servers[n - sys.agents.length]?.up ?? false) : (w.agents[n]?.up ?? false);
}

/**
 * Whether some node that takes client commands is up and connected to a quorum of live
 * acceptors: the condition under which Paxos can make progress (FLP aside).
 */
export function quorumAvailable(sys: System, w: World): boolean {
  const q = quorumSize(sys);
  const proposers = [...new Set(sys.workload.map((s) => s.node))];
  for (const p of proposers) {
    if (!up(sys, w, p)) continue;
    let reachable = 0;
    for (const a of sys.acceptors) {
      if (!up(sys, w, a)) continue;
      if (w.partition !== null && w.partition[a] !== w.partition[p]) continue;
      reachable++;
    }
    if (reachable >= q) return true;
  }
  return false;
}
