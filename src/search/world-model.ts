import type { Event, FaultBudget } from '../kernel/events.js';
import { describeEvent } from '../kernel/events.js';
import { fingerprint } from '../kernel/fingerprint.js';
import type { Hash64 } from '../kernel/hash.js';
import { Hasher } from '../kernel/hash.js';
import type { System } from '../kernel/types.js';
import type { Effects, World } from '../kernel/world.js';
import { completableWrites, enabled } from '../kernel/world.js';
import { advance, start } from '../step/checked.js';
import type { TransitionSystem } from '../kernel/model.js';
import { worldCodec } from './compact/world-codec.js';
import type { Carried, WorldState } from './world-state.js';

export type { Carried, WorldState } from './world-state.js';


export interface WorldModelOptions {
  readonly budget: FaultBudget;
  /** Prune states in which more than this many distinct ballots have been used. */
  readonly maxBallots?: number;
  readonly partitionShapes?: readonly (readonly number[])[];
  /**
   * At most this many timer firings per agent; absent: unbounded. Untimed, a retry or poll timer
   * may fire at any moment and again after every firing, each firing re-sending requests, so
   * identical packets pile up in flight and counters (rounds, request tags) climb: the space never
   * closes. Like a fault budget this bounds the adversary (which timeouts happen), never a
   * protocol's behaviour. Per agent, not in total, so timer events of different nodes stay
   * independent for partial-order reduction.
   */
  readonly maxTimerFires?: number;
  /**
   * Complete every durable write as soon as it is issued, before the next choice: the adversary
   * never keeps a write pending while other events run, nor lets a crash catch one in flight.
   * Half the events of a run are write completions, and each pending one doubles the states
   * around it, so this reaches bugs far deeper. A restriction for hunting bugs, off by default:
   * every path it explores is a real schedule (`kernelChoices` lists the completions as choices,
   * so failure files replay), but a complete search under it covers only these schedules.
   */
  readonly eagerWrites?: boolean;
  /**
   * A storage operation is applied at its server and its reply delivered to the agent in one
   * step: no other event runs between the two, so operations of one agent never overlap on the
   * wire. Like `eagerWrites` a restriction for hunting bugs, off by default: each such step is
   * two real kernel events (`kernelChoices` lists the reply delivery as a choice, so failure files
   * replay), and a violation found is real, but the search skips every schedule that runs
   * something between an operation and its reply (a reply lost or duplicated, a crash in between).
   */
  readonly atomicOps?: boolean;
  /**
   * A node's timer fires only while nothing the node sent is still in flight and none of its
   * durable writes is pending: a timeout never races the answer it waits for. A restriction for
   * hunting bugs, off by default (premature timeouts are real schedules the search then skips);
   * every path it explores is a real schedule, so failure files replay without it.
   */
  readonly quietTimers?: boolean;
  /** Sees every initial state and every successor the explorer computes (coverage). */
  readonly watch?: WorldWatch;
}

/** A hook on the explored graph that needs the step's effects, which states do not keep. */
export interface WorldWatch {
  onInitial(s: WorldState, fx: readonly Effects[]): void;
  onTransition(from: WorldState, e: Event, fx: Effects, to: WorldState): void;
  /** What the watch keeps per state, if anything: the compact frontier carries it along. */
  readonly carried?: Carried;
}

/**
 * The untimed kernel world as a transition system: any enabled event may come next, faults
 * within the budget. The fingerprint covers the property history too (like a TLA+ history
 * variable), so merging two paths never hides a violation that depends on the past.
 */
export function worldModel(sys: System, o: WorldModelOptions): TransitionSystem<WorldState, Event> {
  const maxFires = o.maxTimerFires;
  /** Completes pending writes, oldest first per node, until none is left or a property fails. */
  const settle = (t: WorldState): WorldState => {
    const done: Event[] = [];
    let cur = t;
    for (let w = completableWrites(cur.c.world)[0]; w !== undefined && cur.violation === null; w = completableWrites(cur.c.world)[0]) {
      if (done.length >= MAX_SETTLE) throw new Error(`eager writes: more than ${MAX_SETTLE} writes in a row (a node rewrites on every completion)`);
      const e: Event = { k: 'write', seq: w.seq };
      const r = advance(sys, cur.c, e);
      const next: WorldState = { c: r.state, violation: r.violation, fires: cur.fires };
      o.watch?.onTransition(cur, e, r.fx, next);
      done.push(e);
      cur = next;
    }
    return done.length === 0 ? cur : { ...cur, settled: [...(t.settled ?? []), ...done] };
  };
  /** After the delivery of a storage operation: delivers the reply it put on the wire. */
  const answer = (s: WorldState, e: Event, fx: Effects, t: WorldState): WorldState => {
    if (e.k !== 'deliver' || t.violation !== null || s.c.world.net.find((p) => p.seq === e.seq)?.body.kind !== 'op') return t;
    const back = fx.sent[0];
    if (back === undefined) return t;
    const d: Event = { k: 'deliver', seq: back.seq };
    const r = advance(sys, t.c, d);
    const u: WorldState = { c: r.state, violation: r.violation, fires: t.fires };
    o.watch?.onTransition(t, d, r.fx, u);
    return { ...u, settled: [d] };
  };
  const shapes = o.partitionShapes ?? sys.agents.map((_, i) => [...sys.agents.map((__, j) => (j === i ? 1 : 0)), ...sys.servers.map(() => 0)]);
  return {
    name: sys.protocol,
    initial() {
      const s = start(sys);
      const init: WorldState = { c: s.state, violation: s.violation, fires: sys.agents.map(() => 0) };
      o.watch?.onInitial(init, s.fx);
      return [o.eagerWrites ? settle(init) : init];
    },
    actions(s, out) {
      if (s.violation !== null) return;
      if (o.maxBallots !== undefined && s.c.hist.ballots.length > o.maxBallots) return;
      for (const e of enabled(sys, s.c.world, { budget: o.budget, partitionShapes: shapes })) {
        if (e.k === 'timer' && maxFires !== undefined && (s.fires[timerNode(s, e.seq)] ?? 0) >= maxFires) continue;
        if (e.k === 'timer' && o.quietTimers === true && !quiet(s.c.world, timerNode(s, e.seq))) continue;
        out.push(e);
      }
    },
    next(s, e) {
      const r = advance(sys, s.c, e);
      const fires = e.k === 'timer' ? bumpAt(s.fires, timerNode(s, e.seq)) : s.fires;
      const t: WorldState = { c: r.state, violation: r.violation, fires };
      o.watch?.onTransition(s, e, r.fx, t);
      const u = o.atomicOps ? answer(s, e, r.fx, t) : t;
      return o.eagerWrites ? settle(u) : u;
    },
    fingerprint(s): Hash64 {
      const fp = fingerprint(s.c.world, s.c.hist);
      if (maxFires === undefined) return fp;
      const h = new Hasher().hash(fp);
      for (const f of s.fires) h.word(f);
      return h.digest();
    },
    invariants: [{ name: 'safety', holds: (s) => s.violation === null }],
    describe: (e) => describeEvent(e, sys.workload),
    codec: worldCodec(o.watch?.carried),
  };
}

const MAX_SETTLE = 10_000;

/**
 * The kernel choice sequence of a model path: each chosen event followed by the reply delivery
 * (`atomicOps`) and write completions (`eagerWrites`) applied after it. Without either it is the
 * path itself.
 */
export function kernelChoices(ts: TransitionSystem<WorldState, Event>, path: readonly Event[]): Event[] {
  let s = ts.initial()[0];
  if (s === undefined) return [...path];
  const out: Event[] = [...(s.settled ?? [])];
  for (const e of path) {
    const t = ts.next(s, e);
    if (t === null) throw new Error(`kernelChoices: ${ts.describe(e)} is not enabled on the path`);
    out.push(e, ...(t.settled ?? []));
    s = t;
  }
  return out;
}

/** Nothing node n sent is in flight and none of its writes is pending (`quietTimers`). */
export function quiet(w: World, n: number): boolean {
  return !w.net.some((p) => p.from === n) && !w.writes.some((x) => x.node === n);
}

function timerNode(s: WorldState, seq: number): number {
  return s.c.world.timers.find((t) => t.seq === seq)?.node ?? -1;
}

function bumpAt(xs: readonly number[], i: number): readonly number[] {
  return i < 0 ? xs : xs.map((x, j) => (j === i ? x + 1 : x));
}
