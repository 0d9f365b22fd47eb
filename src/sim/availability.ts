import type { NodeId, System, Value } from '../kernel/types.js';
import type { World } from '../kernel/world.js';
import { isServer } from '../kernel/world.js';
import { quorumSize } from '../properties/index.js';

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

export type Undecided = 'quorum-unavailable' | 'command-lost' | 'livelock';

/**
 * Why a run ended with slots undecided. A command the world no longer holds anywhere (no agent
 * state, durable store, server or packet mentions it: its submitter crashed before passing it
 * on) can never be decided, whatever the schedule. Otherwise the run is `quorum-unavailable`
 * when faults kept a quorum out of reach through its second half, and `livelock` when a quorum
 * was up and connected and still nothing was decided: the FLP case.
 */
export function classifyUndecided(sys: System, w: World, decided: ReadonlySet<Value>, lastUnavailable: number, end: number): Undecided {
  const notSubmitted = new Set(w.pending.map((i) => sys.workload[i]?.value));
  const pending = sys.workload.map((s) => s.value).filter((v) => !decided.has(v) && !notSubmitted.has(v));
  if (pending.length > 0) {
    const world = JSON.stringify([w.agents, w.servers, w.net, w.writes]);
    if (pending.some((v) => !world.includes(JSON.stringify(v)))) return 'command-lost';
  }
  return lastUnavailable <= Math.max(end, 1) / 2 ? 'livelock' : 'quorum-unavailable';
}
