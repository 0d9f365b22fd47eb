import type { Event } from '../kernel/events.js';
import { hex64 } from '../kernel/hash.js';
import { TraceFingerprint } from '../kernel/trace.js';
import type { System } from '../kernel/types.js';
import type { Effects, World } from '../kernel/world.js';
import { buildSystem } from '../protocols/index.js';
import type { Counterexample } from './counterexample.js';
import type { Violation } from '../properties/index.js';
import type { Checked } from './checked.js';
import { advance, start } from './checked.js';
import { describeStep, isNotable } from './describe.js';

export interface ReplayStep {
  readonly index: number;
  readonly event: Event;
  readonly text: string;
  readonly notable: boolean;
  readonly prev: World;
  readonly next: World;
  readonly fx: Effects;
}

export interface ReplayResult {
  readonly sys: System;
  readonly steps: readonly ReplayStep[];
  readonly violation: Violation | null;
  /** 1-based step at which the violation appeared (0: at initialisation). */
  readonly violationStep: number | null;
  readonly trace: string;
  readonly expectedTrace: string;
  /** Same violation at the same step and the same trace fingerprint. */
  readonly reproduced: boolean;
  readonly error: string | null;
  /**
   * How the replay ended: `violation` (a property failed; `reproduced` says whether exactly as
   * recorded), `no-violation` (every choice applied and no property failed: the code changed and
   * the bug is gone), or `misfit` (a choice is not enabled where it is replayed: the choices do
   * not fit this code, or the file was altered; `failedStep` and `error` say where and why).
   */
  readonly outcome: 'violation' | 'no-violation' | 'misfit';
  /** 1-based step whose choice could not be applied, or null. */
  readonly failedStep: number | null;
}

/** Re-executes a failure file's choice sequence; no random draw is involved. */
export function replay(f: Counterexample): ReplayResult {
  const sys = buildSystem({ protocol: f.protocol, service: f.service ?? undefined, mutant: f.mutant ?? undefined, topology: f.topology });
  return replayChoices(sys, f.choices, f.violation, f.trace);
}

export function replayChoices(
  sys: System,
  choices: readonly Event[],
  expected: { readonly property: string; readonly step: number } | null,
  expectedTrace: string,
): ReplayResult {
  const trace = new TraceFingerprint();
  const init = start(sys);
  for (const f of init.fx) trace.effects(f);
  let state: Checked = init.state;
  let violation = init.violation;
  let violationStep: number | null = violation ? 0 : null;
  const steps: ReplayStep[] = [];
  let error: string | null = null;
  let failedStep: number | null = null;
  for (let i = 0; i < choices.length && violation === null; i++) {
    const e = choices[i] as Event;
    let r;
    try {
      r = advance(sys, state, e);
    } catch (err) {
      // step() throws only on an event that is not enabled: the sequence does not fit.
      failedStep = i + 1;
      error = `step ${i + 1} of ${choices.length}: ${err instanceof Error ? err.message : String(err)} (the choice sequence does not fit this protocol version)`;
      break;
    }
    steps.push({ index: i + 1, event: e, text: describeStep(sys, state.world, e, r.fx), notable: isNotable(e, r.fx), prev: state.world, next: r.state.world, fx: r.fx });
    trace.add(e, r.fx);
    state = r.state;
    if (r.violation) {
      violation = r.violation;
      violationStep = i + 1;
    }
  }
  const fp = hex64(trace.finish(state.world));
  const reproduced =
    error === null &&
    expected !== null &&
    violation !== null &&
    violation.property === expected.property &&
    violationStep === expected.step &&
    fp === expectedTrace;
  const outcome = error !== null ? 'misfit' : violation !== null ? 'violation' : 'no-violation';
  return { sys, steps, violation, violationStep, trace: fp, expectedTrace, reproduced, error, outcome, failedStep };
}
