import type { Event, FaultBudget } from '../kernel/events.js';
import { describeEvent } from '../kernel/events.js';
import { fingerprint } from '../kernel/fingerprint.js';
import type { Hash64 } from '../kernel/hash.js';
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
}

export interface WorldModelOptions {
  readonly budget: FaultBudget;
  /** Prune states in which more than this many distinct ballots have been used. */
  readonly maxBallots?: number;
  readonly partitionShapes?: readonly (readonly number[])[];
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
  const shapes = o.partitionShapes ?? sys.agents.map((_, i) => [...sys.agents.map((__, j) => (j === i ? 1 : 0)), ...sys.servers.map(() => 0)]);
  return {
    name: sys.protocol,
    initial() {
      const s = start(sys);
      const init = { c: s.state, violation: s.violation };
      o.watch?.onInitial(init, s.fx);
      return [init];
    },
    actions(s, out) {
      if (s.violation !== null) return;
      if (o.maxBallots !== undefined && s.c.hist.ballots.length > o.maxBallots) return;
      for (const e of enabled(sys, s.c.world, { budget: o.budget, partitionShapes: shapes })) out.push(e);
    },
    next(s, e) {
      const r = advance(sys, s.c, e);
      const t = { c: r.state, violation: r.violation };
      o.watch?.onTransition(s, e, r.fx, t);
      return t;
    },
    fingerprint(s): Hash64 {
      return fingerprint(s.c.world, s.c.hist);
    },
    invariants: [{ name: 'safety', holds: (s) => s.violation === null }],
    describe: (e) => describeEvent(e, sys.workload),
  };
}
