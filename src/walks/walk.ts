import type { Event, FaultBudget } from '../kernel/events.js';
import type { Hash64 } from '../kernel/hash.js';
import { TraceFingerprint } from '../kernel/trace.js';
import type { System } from '../kernel/types.js';
import { enabled } from '../kernel/world.js';
import type { Violation } from '../properties/index.js';
import type { Checked } from '../step/checked.js';
import { advance, start } from '../step/checked.js';
import type { StepObserver } from '../sim/timed.js';

/** Chooses the next event among the enabled ones; `step` counts from 0. */
export type Picker = (evs: readonly Event[], state: Checked, step: number) => Event;

export interface WalkResult {
  readonly violation: Violation | null;
  readonly choices: readonly Event[];
  readonly trace: Hash64;
  /** The world and history the run ended in. */
  readonly final: Checked;
}

/**
 * One untimed run: any enabled event may come next, faults within the budget. The observer sees
 * the start and every step (step index as time); closing the run is the caller's.
 */
export function walk(sys: System, budget: FaultBudget, maxSteps: number, pick: Picker, observer?: StepObserver): WalkResult {
  const trace = new TraceFingerprint();
  const init = start(sys);
  for (const f of init.fx) trace.effects(f);
  let state: Checked = init.state;
  let violation = init.violation;
  observer?.onStart?.(state.world, init.fx);
  const choices: Event[] = [];
  while (violation === null && choices.length < maxSteps) {
    const evs = enabled(sys, state.world, { budget });
    if (evs.length === 0) break;
    const e = pick(evs, state, choices.length);
    const r = advance(sys, state, e);
    observer?.onStep(e, r.fx, state.world, r.state.world, choices.length);
    trace.add(e, r.fx);
    choices.push(e);
    state = r.state;
    violation = r.violation;
  }
  return { violation, choices, trace: trace.finish(state.world), final: state };
}
