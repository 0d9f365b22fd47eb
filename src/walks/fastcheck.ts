import fc from 'fast-check';
import type { Event, FaultBudget } from '../kernel/events.js';
import type { System } from '../kernel/types.js';
import { enabled } from '../kernel/world.js';
import type { Violation } from '../properties/index.js';
import type { Checked } from '../step/checked.js';
import { advance, start } from '../step/checked.js';
import { observers } from '../coverage/coverage.js';
import type { StepObserver } from '../sim/timed.js';
import { UntimedRun } from './untimed-run.js';
import type { StopFlag } from '../step/drive.js';
import { SLICE_MS, turnEventLoop } from '../step/drive.js';

export interface ChoiceRun {
  readonly violation: Violation | null;
  /** The events actually applied: a replayable choice sequence. */
  readonly choices: readonly Event[];
  /** The world and history the run ended in. */
  readonly final: Checked;
}

/**
 * Untimed run steered by a sequence of integers: at each step the next integer picks one of the
 * enabled events (modulo their number). fast-check generates and shrinks the integers, so a
 * failing schedule — faults and interleaving together — shrinks to a short one.
 */
export function runChoiceSequence(sys: System, ints: readonly number[], budget: FaultBudget, observer?: StepObserver): ChoiceRun {
  const init = start(sys);
  observer?.onStart?.(init.state.world, init.fx);
  if (init.violation) return { violation: init.violation, choices: [], final: init.state };
  let state: Checked = init.state;
  const choices: Event[] = [];
  for (const n of ints) {
    const evs = enabled(sys, state.world, { budget });
    if (evs.length === 0) break;
    const e = evs[n % evs.length] as Event;
    const r = advance(sys, state, e);
    observer?.onStep(e, r.fx, state.world, r.state.world, choices.length);
    choices.push(e);
    state = r.state;
    if (r.violation) return { violation: r.violation, choices, final: state };
  }
  return { violation: null, choices, final: state };
}

export interface FastCheckOptions {
  readonly sys: System;
  readonly budget: FaultBudget;
  readonly runs: number;
  readonly maxLength: number;
  readonly seed: number;
  /** Sees every step of every schedule fast-check runs, shrinking included (coverage, liveness). */
  readonly observer?: StepObserver;
}

export interface FastCheckResult {
  readonly runs: number;
  readonly failed: boolean;
  readonly originalLength: number | null;
  readonly shrunkLength: number | null;
  readonly violation: Violation | null;
  readonly choices: readonly Event[];
}

/** The schedules fast-check draws: integer sequences, each integer picking an enabled event. */
function schedules(o: FastCheckOptions): fc.Arbitrary<number[]> {
  return fc.array(fc.nat({ max: 0xffff }), { maxLength: o.maxLength, size: 'max' });
}

/** What the sync and async searches share: the property body and the reading of the result. */
function searchParts(o: FastCheckOptions): { body: (ints: readonly number[]) => boolean; finish: (d: fc.RunDetails<[readonly number[]]>, executed: number | null) => FastCheckResult } {
  let originalLength: number | null = null;
  const observer = o.observer;
  const untimed = observer ? new UntimedRun(o.sys, true) : null;
  let run = 0;
  const body = (ints: readonly number[]): boolean => {
    const r = runChoiceSequence(o.sys, ints, o.budget, observer && untimed ? observers(untimed, observer) : undefined);
    if (observer && untimed) observer.onEnd?.(untimed.result(o.seed, run++, r.violation, r.final));
    if (r.violation && originalLength === null) originalLength = r.choices.length;
    return r.violation === null;
  };
  const finish = (details: fc.RunDetails<[readonly number[]]>, executed: number | null): FastCheckResult => {
    if (!details.failed || !details.counterexample) {
      return { runs: executed ?? details.numRuns, failed: false, originalLength: null, shrunkLength: null, violation: null, choices: [] };
    }
    const [ints] = details.counterexample;
    const r = runChoiceSequence(o.sys, ints, o.budget);
    return { runs: details.numRuns, failed: true, originalLength, shrunkLength: r.choices.length, violation: r.violation, choices: r.choices };
  };
  return { body, finish };
}

export function fastCheckSearch(o: FastCheckOptions): FastCheckResult {
  const { body, finish } = searchParts(o);
  return finish(fc.check(fc.property(schedules(o), body), { numRuns: o.runs, seed: o.seed, endOnFailure: false }), null);
}

/** Thrown through fast-check by the schedule arbitrary once the stop flag is up. */
const STOPPED = new Error('fast-check search interrupted');

/**
 * fastCheckSearch() for a caller that must stay responsive to Ctrl-C. fast-check's loop is its
 * own: the property lets the event loop turn every slice, and once `stop` is up the next
 * schedule fast-check draws (or shrinks to) throws, which ends fc.check at once. A shrink cut
 * short reports the smallest failing schedule found so far, still a real counterexample.
 */
export async function fastCheckSearchAsync(o: FastCheckOptions, stop: StopFlag): Promise<FastCheckResult & { readonly interrupted: boolean }> {
  const { body, finish } = searchParts(o);
  let last = performance.now();
  let executed = 0;
  let failing: readonly number[] | null = null;
  const arb = schedules(o).map((ints) => {
    if (stop.stopped) throw STOPPED;
    return ints;
  });
  const prop = fc.asyncProperty(arb, async (ints: readonly number[]) => {
    if (performance.now() - last >= SLICE_MS) {
      await turnEventLoop();
      last = performance.now();
    }
    if (failing === null) executed++;
    const ok = body(ints);
    // fast-check shrinks only from failing schedules: the last one seen is the smallest so far.
    if (!ok) failing = ints;
    return ok;
  });
  try {
    const details = await fc.check(prop, { numRuns: o.runs, seed: o.seed, endOnFailure: false });
    return { ...finish(details, null), interrupted: false };
  } catch (err) {
    if (err !== STOPPED) throw err;
    const found = failing as readonly number[] | null;
    const details = { failed: found !== null, counterexample: found ? ([found] as [readonly number[]]) : null, numRuns: executed } as fc.RunDetails<[readonly number[]]>;
    return { ...finish(details, executed), interrupted: true };
  }
}
