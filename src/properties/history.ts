import type { NodeId, NodeView, System, Value } from '../kernel/types.js';
import type { Effects, World } from '../kernel/world.js';
import { isServer } from '../kernel/world.js';

/**
 * What the properties remember about the past of a run, like the history variables of a TLA+
 * spec (Paxos.tla keeps every message for the same reason): every vote ever held, every decide
 * output, every promise. A value is chosen once a quorum has voted for it at one ballot, even if
 * those votes are overwritten later.
 */
export interface History {
  /** `${slot}|${ballot}|${value}` -> sorted acceptor ids that have voted for it. */
  readonly votes: Readonly<Record<string, readonly NodeId[]>>;
  /** slot -> every value an acceptor quorum has chosen, in the order they were chosen. */
  readonly chosen: Readonly<Record<number, readonly Value[]>>;
  /** `${node}|${slot}` -> the node's decide output. */
  readonly outputs: Readonly<Record<string, Value>>;
  /** slot -> the first decide output of any node. */
  readonly decided: Readonly<Record<number, Value>>;
  /** acceptor -> highest promise it has shown. */
  readonly promises: Readonly<Record<number, number>>;
  /** ballot -> the `node@incarnation` that first ran it as a proposer. */
  readonly leaders: Readonly<Record<number, string>>;
  /** Every ballot any acceptor has promised or voted in. */
  readonly ballots: readonly number[];
}

export const emptyHistory: History = { votes: {}, chosen: {}, outputs: {}, decided: {}, promises: {}, leaders: {}, ballots: [] };

export function quorumSize(sys: System): number {
  return Math.floor(sys.acceptors.length / 2) + 1;
}

/** The view of `node` in `w`, or null while it is down or has no view. */
export function viewOf(sys: System, w: World, node: NodeId): NodeView | null {
  if (isServer(sys, node)) {
    const s = w.servers[node - sys.agents.length];
    if (!s || !sys.serverView) return null;
    let perData = serverViewCache.get(sys.serverView);
    if (!perData) serverViewCache.set(sys.serverView, (perData = new WeakMap()));
    let perNode = perData.get(s.data);
    if (!perNode) perData.set(s.data, (perNode = new Map()));
    let v = perNode.get(node);
    if (v === undefined) perNode.set(node, (v = sys.serverView(node, s.data)));
    return v;
  }
  const a = w.agents[node];
  if (!a?.up || a.state === null) return null;
  const behaviour = sys.agents[node];
  if (!behaviour) return null;
  // Every property asks for the same views after each step; states are immutable, so a view
  // computed once per state object stays right (keyed by behaviour too: views are per role).
  if (typeof a.state !== 'object') return behaviour.view(a.state);
  let perState = viewCache.get(behaviour);
  if (!perState) viewCache.set(behaviour, (perState = new WeakMap()));
  let v = perState.get(a.state);
  if (v === undefined) perState.set(a.state, (v = behaviour.view(a.state)));
  return v;
}

const viewCache = new WeakMap<object, WeakMap<object, NodeView>>();
/** Server data is immutable too; a view also depends on the system and on which server holds the data. */
const serverViewCache = new WeakMap<object, WeakMap<object, Map<NodeId, NodeView>>>();

function addBallot(ballots: readonly number[], b: number): readonly number[] {
  return ballots.includes(b) ? ballots : [...ballots, b].sort((x, y) => x - y);
}

/** Folds one step into the history. Returns the same object when nothing changed. */
export function observe(sys: System, h: History, next: World, fx: Effects): History {
  let out = h;
  const node = fx.node;
  if (node !== null && sys.acceptors.includes(node)) {
    const v = viewOf(sys, next, node);
    if (v) {
      if (v.promised !== undefined && v.promised > (out.promises[node] ?? -Infinity)) {
        out = { ...out, promises: { ...out.promises, [node]: v.promised }, ballots: addBallot(out.ballots, v.promised) };
      }
      for (const [slot, ballot, value] of v.votes ?? []) {
        const key = `${slot}|${ballot}|${value}`;
        const voters = out.votes[key] ?? [];
        if (voters.includes(node)) continue;
        const now = [...voters, node].sort((x, y) => x - y);
        out = { ...out, votes: { ...out.votes, [key]: now }, ballots: addBallot(out.ballots, ballot) };
        const already = out.chosen[slot] ?? [];
        if (now.length >= quorumSize(sys) && !already.includes(value)) {
          out = { ...out, chosen: { ...out.chosen, [slot]: [...already, value] } };
        }
      }
    }
  }
  if (node !== null && !isServer(sys, node)) {
    const b = viewOf(sys, next, node)?.leading;
    if (b !== undefined && b > 0 && out.leaders[b] === undefined) {
      out = { ...out, leaders: { ...out.leaders, [b]: `${node}@${next.agents[node]?.incarnation ?? 0}` } };
    }
  }
  for (const d of fx.decisions) {
    const key = `${d.node}|${d.slot}`;
    if (out.outputs[key] === undefined) out = { ...out, outputs: { ...out.outputs, [key]: d.value } };
    if (out.decided[d.slot] === undefined) out = { ...out, decided: { ...out.decided, [d.slot]: d.value } };
  }
  return out;
}
