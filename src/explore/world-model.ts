import type { Event, FaultBudget } from '../kernel/events.js';
import { describeEvent } from '../kernel/events.js';
import { fingerprint } from '../kernel/fingerprint.js';
import type { Hash64 } from '../kernel/hash.js';
import { Hasher } from '../kernel/hash.js';
import type { System } from '../kernel/types.js';
import type { Effects } from '../kernel/world.js';
import { enabled } from '../kernel/world.js';
import type { Violation } from '../../properties/index.js';
import type { Checked } from './checker.js';
import { advance, start } from './checker.js';
import type { TransitionSystem } from './model.js';

/** A kernel world with its property history, and the violation the step into it raised. */
export interface WorldState {
  readonly c: Checked;
  readonly violation: Violation | null;
  /**
   * Timer firings so far, indexed by agent id: what `maxTimerFires` bounds. Part of the state
   * when bounded (a reduction that renames agents must permute it along).
   */
  readonly fires: readonly number[];
}

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
  /** Sees every initial state and every successor the explorer computes (coverage). */
  readonly watch?: WorldWatch;
}

/** A hook on the explored graph that needs the step's effects, which states do not keep. */
export interface WorldWatch {
  onInitial(s: WorldState, fx: readonly Effects[]): void;
  onTransition(from: WorldState, e: Event, fx: Effects, to: WorldState): void;
}

/**
 * The untimed kernel world as a transition system: any enabled event may come next, faults
 * within the budget. The fingerprint covers the property history too (like a TLA+ history
 * variable), so merging two paths never hides a violation that depends on the past.
 */
export function worldModel(sys: System, o: WorldModelOptions): TransitionSystem<WorldState, Event> {
  const maxFires = o.maxTimerFires;
  const shapes = o.partitionShapes ?? sys.agents.map((_, i) => [...sys.agents.map((__, j) => (j === i ? 1 : 0)), ...sys.servers.map(() => 0)]);
  return {
    name: sys.protocol,
    initial() {
      const s = start(sys);
      const init: WorldState = { c: s.state, violation: s.violation, fires: sys.agents.map(() => 0) };
      o.watch?.onInitial(init, s.fx);
      return [init];
    },
    actions(s, out) {
      if (s.violation !== null) return;
      if (o.maxBallots !== undefined && s.c.hist.ballots.length > o.maxBallots) return;
      for (const e of enabled(sys, s.c.world, { budget: o.budget, partitionShapes: shapes })) {
        if (e.k === 'timer' && maxFires !== undefined && (s.fires[timerNode(s, e.seq)] ?? 0) >= maxFires) continue;
        out.push(e);
      }
    },
    next(s, e) {
      const r = advance(sys, s.c, e);
      const fires = e.k === 'timer' ? bumpAt(s.fires, timerNode(s, e.seq)) : s.fires;
      const t: WorldState = { c: r.state, violation: r.violation, fires };
      o.watch?.onTransition(s, e, r.fx, t);
      return t;
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
  };
}

function timerNode(s: WorldState, seq: number): number {
  return s.c.world.timers.find((t) => t.seq === seq)?.node ?? -1;
}

function bumpAt(xs: readonly number[], i: number): readonly number[] {
  return i < 0 ? xs : xs.map((x, j) => (j === i ? x + 1 : x));
}
