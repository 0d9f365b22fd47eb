// What the timed scheduler reports about a run (RunResult: liveness, counts), for untimed runs
// (random/pct walks, fast-check schedules), so their run sets are recorded like timed ones. An
// untimed run has no clock: the step index stands in for time, and latency is not measured.

import type { Event } from '../kernel/events.js';
import type { Hash64 } from '../kernel/hash.js';
import { TraceFingerprint } from '../kernel/trace.js';
import type { System, Value } from '../kernel/types.js';
import type { Effects, World } from '../kernel/world.js';
import type { Violation } from '../properties/index.js';
import { quorumAvailable } from '../sim/availability.js';
import type { Checked } from '../step/checked.js';
import type { RunResult, StepObserver, Undecided } from '../sim/timed.js';
import { classifyUndecided } from '../sim/availability.js';

const workEvents = new Set<Event['k']>(['deliver', 'timer', 'write', 'submit']);

export class UntimedRun implements StepObserver {
  private choices: Event[] = [];
  /** Slot → the first value decided in it. */
  private decided = new Map<number, Value>();
  private messages = 0;
  private storageOps = 0;
  private lastUnavailable = 0;
  private covers = new Map<string, number>();
  private faults = new Map<string, number>();
  private trace: TraceFingerprint | null = null;

  /** `trace`: fingerprint the run here, for callers that do not fingerprint it themselves. */
  constructor(
    readonly sys: System,
    private readonly withTrace = false,
  ) {}

  onStart(_w: World, fx: readonly Effects[]): void {
    this.choices = [];
    this.decided = new Map();
    this.messages = 0;
    this.storageOps = 0;
    this.lastUnavailable = 0;
    this.covers = new Map();
    this.faults = new Map();
    this.trace = this.withTrace ? new TraceFingerprint() : null;
    for (const f of fx) {
      this.trace?.effects(f);
      this.effects(f);
    }
  }

  onStep(e: Event, fx: Effects, _prev: World, next: World, now: number): void {
    this.choices.push(e);
    this.trace?.add(e, fx);
    if (e.k === 'deliver' && e.fault) this.count(this.faults, e.fault);
    if (!workEvents.has(e.k)) {
      this.count(this.faults, e.k);
      if (!quorumAvailable(this.sys, next)) this.lastUnavailable = now;
    }
    // A duplicate's copy is the same message again, as the timed scheduler counts it.
    if (e.k !== 'dup') this.effects(fx);
    else for (const c of fx.covers) this.count(this.covers, c);
  }

  /** The run's result, once it has ended in `final`. */
  result(seed: number, run: number, violation: Violation | null, final: Checked, trace?: Hash64): RunResult {
    const steps = this.choices.length;
    if (!quorumAvailable(this.sys, final.world)) this.lastUnavailable = steps;
    const slotsDecided = [...this.decided.keys()].filter((s) => s < this.sys.slots).length;
    const decided = slotsDecided === this.sys.slots;
    const undecided: Undecided | null = decided ? null : classifyUndecided(this.sys, final.world, new Set(this.decided.values()), this.lastUnavailable, steps);
    const fp = trace ?? this.trace?.finish(final.world);
    if (!fp) throw new Error('untimed run: no trace fingerprint (construct with trace = true)');
    return {
      seed,
      run,
      events: steps,
      endTime: steps,
      violation,
      choices: this.choices,
      trace: fp,
      liveness: { decided, slotsDecided, latency: null, ballots: final.hist.ballots.length, messages: this.messages, storageOps: this.storageOps, undecided },
      covers: this.covers,
      faults: this.faults,
      log: Array.from({ length: this.sys.slots }, (_, slot) => this.decided.get(slot) ?? null),
      // Untimed runs have no fault plan: the picker chooses faults as it goes.
      plan: [],
    };
  }

  private count(m: Map<string, number>, k: string): void {
    m.set(k, (m.get(k) ?? 0) + 1);
  }

  private effects(fx: Effects): void {
    for (const p of fx.sent) {
      if (p.body.kind === 'msg') this.messages++;
      else if (p.body.kind === 'op') this.storageOps++;
    }
    for (const d of fx.decisions) if (!this.decided.has(d.slot)) this.decided.set(d.slot, d.value);
    for (const c of fx.covers) this.count(this.covers, c);
  }
}
