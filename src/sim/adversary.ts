// The FLP adversary: a timed schedule steered away from deciding for as long as the
// bounded-delay rule allows. At each pick of a delivery it looks ahead with the pure kernel step;
// if delivering the packet now would get a value chosen (a quorum of votes, counting the durable
// writes the delivery starts) or decided, it holds
// the packet back to the latest time its delay bound permits, so that a competing ballot may
// overtake it. Timers keep their scheduler-drawn jitter: the adversary controls the network
// only. Protocol-agnostic: it reads nothing but the properties' history of votes and decisions.

import type { Distribution } from '../kernel/clock.js';
import type { Event } from '../kernel/events.js';
import type { System } from '../kernel/types.js';
import type { Effects, World } from '../kernel/world.js';
import { completableWrites, isServer } from '../kernel/world.js';
import type { Topology } from '../protocols/family.js';
import { buildSystem } from '../protocols/index.js';
import type { Scenario } from '../scenario/schema.js';
import type { History } from '../properties/index.js';
import { emptyHistory, observe } from '../properties/index.js';
import type { Checked } from '../step/checked.js';
import { advance } from '../step/checked.js';
import { observers } from '../coverage/coverage.js';
import type { Quantiles } from './liveness.js';
import { quantiles } from './liveness.js';
import type { RunResult, Steer, StepObserver } from './timed.js';
import { runTimed } from './timed.js';
import type { Steps } from '../step/drive.js';
import { runSync } from '../step/drive.js';

/** Upper end of a delay distribution: the bound of the bounded-delay rule. */
export function delayBound(d: Distribution): number {
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return d.max;
    case 'longtail':
      return d.cap;
    case 'exponential':
      // Unbounded in principle; ten means covers all but e^-10 of the draws.
      return d.mean * 10;
  }
}

/** Write completions the lookahead applies at most (a write handler may start another write). */
const SETTLE_LIMIT = 200;

const chosenCount = (h: History): number => Object.values(h.chosen).reduce((n, vs) => n + vs.length, 0);

export interface AdversaryOptions {
  /** Longest time a packet may be in flight; default: the scenario delay's upper bound. */
  readonly bound?: number;
  readonly observer?: StepObserver;
}

export interface AdversaryRun {
  readonly result: RunResult;
  /** Deliveries the adversary held back. */
  readonly deferrals: number;
  /** Ballots started before the first value was chosen (all of them when none was). */
  readonly roundsUndecided: number;
}

/** Steers one timed run; also watches it to know when each packet was sent. */
class Adversary implements Steer, StepObserver {
  deferrals = 0;
  private readonly sentAt = new Map<number, number>();
  private hist: History = emptyHistory;
  private roundsAtDecision: number | null = null;
  private readonly acceptors: ReadonlySet<number>;

  constructor(
    private readonly sys: System,
    private readonly bound: number,
    private readonly serverBound: number,
  ) {
    this.acceptors = new Set(sys.acceptors);
  }

  get roundsUndecided(): number {
    return this.roundsAtDecision ?? this.hist.ballots.length;
  }

  postpone(seq: number, at: number, state: Checked): number | null {
    const p = state.world.net.find((x) => x.seq === seq);
    if (!p) return null;
    const deadline = (this.sentAt.get(seq) ?? 0) + (isServer(this.sys, p.to) ? this.serverBound : this.bound);
    // Only what reaches an acceptor (or a storage server holding acceptor state) can get a value chosen.
    if (at >= deadline || !this.acceptors.has(p.to)) return null;
    if (!this.decisive(state, seq)) return null;
    this.deferrals++;
    return deadline;
  }

  /**
   * Whether delivering `seq` now gets a value chosen (or decided in a slot where none is chosen
   * yet); decide outputs for an already chosen value change nothing, so they are not held.
   * Protocols that show votes only once durable choose when a write completes, and writes are
   * not the adversary's to delay: so the lookahead compares the world after every pending write
   * completes, with and without the delivery.
   */
  private decisive(state: Checked, seq: number): boolean {
    const r = advance(this.sys, state, { k: 'deliver', seq });
    if (r.fx.decisions.some((d) => (state.hist.chosen[d.slot] ?? []).length === 0)) return true;
    return chosenCount(this.settled(r.state).hist) > this.baseline(state);
  }

  private readonly baselines = new WeakMap<World, number>();

  private baseline(state: Checked): number {
    let n = this.baselines.get(state.world);
    if (n === undefined) {
      n = chosenCount(this.settled(state).hist);
      this.baselines.set(state.world, n);
    }
    return n;
  }

  /** `state` after every pending durable write of an acceptor has completed (in order). */
  private settled(state: Checked): Checked {
    let st = state;
    for (let i = 0; i < SETTLE_LIMIT; i++) {
      const w = completableWrites(st.world).find((x) => this.acceptors.has(x.node));
      if (!w) break;
      st = advance(this.sys, st, { k: 'write', seq: w.seq }).state;
    }
    return st;
  }

  onStart(w: World, fx: readonly Effects[]): void {
    for (const f of fx) {
      for (const p of f.sent) this.sentAt.set(p.seq, 0);
      this.hist = observe(this.sys, this.hist, w, f);
    }
  }

  onStep(_e: Event, fx: Effects, _prev: World, next: World, now: number): void {
    for (const p of fx.sent) this.sentAt.set(p.seq, now);
    const before = this.hist.ballots.length;
    this.hist = observe(this.sys, this.hist, next, fx);
    const chosen = chosenCount(this.hist) > 0 || fx.decisions.length > 0;
    if (this.roundsAtDecision === null && chosen) this.roundsAtDecision = before;
  }
}

/** One timed run of `sys` under the adversary. */
export function runAdversary(sys: System, sc: Scenario, seed: number, run: number, o: AdversaryOptions = {}): AdversaryRun {
  const bound = o.bound ?? delayBound(sc.network.delay);
  const serverBound = sc.servers.slow > 0 ? bound * sc.servers.slowFactor : bound;
  const adv = new Adversary(sys, bound, serverBound);
  const result = runTimed(sys, sc, seed, run, { observer: observers(adv, o.observer), steer: adv });
  return { result, deferrals: adv.deferrals, roundsUndecided: adv.roundsUndecided };
}

export interface AdversarySummary {
  readonly backoff: Topology['backoff'];
  readonly runs: number;
  readonly decided: number;
  readonly undecided: number;
  readonly livelock: number;
  readonly deferrals: number;
  /** Ballots before the first value was chosen, per run. */
  readonly rounds: Quantiles;
  /** rounds → runs, for the histogram. */
  readonly roundsHistogram: readonly (readonly [number, number])[];
}

export function summarizeAdversary(backoff: Topology['backoff'], runs: readonly AdversaryRun[]): AdversarySummary {
  const hist = new Map<number, number>();
  for (const r of runs) hist.set(r.roundsUndecided, (hist.get(r.roundsUndecided) ?? 0) + 1);
  return {
    backoff,
    runs: runs.length,
    decided: runs.filter((r) => r.result.liveness.decided).length,
    undecided: runs.filter((r) => !r.result.liveness.decided).length,
    livelock: runs.filter((r) => r.result.liveness.undecided === 'livelock').length,
    deferrals: runs.reduce((n, r) => n + r.deferrals, 0),
    rounds: quantiles(runs.map((r) => r.roundsUndecided)),
    roundsHistogram: [...hist.entries()].sort((a, b) => a[0] - b[0]),
  };
}

export interface FlpOptions {
  readonly protocol: string;
  readonly service?: string;
  /** Fault-free contention is the FLP setting; the scenario's faults apply if it has any. */
  readonly scenario: Scenario;
  readonly seed: number;
  readonly runs: number;
  /** Delay bounds to try, weakest adversary first; default: the scenario delay's upper bound. */
  readonly bounds?: readonly number[];
  readonly stop?: { readonly stopped: boolean };
  /** Watches every run of one (bound, back-off) cell (coverage, histograms). */
  readonly observer?: (cell: FlpCellId, sys: System) => StepObserver;
  readonly onRun?: (cell: FlpCellId, done: number, r: AdversaryRun) => void;
}

export interface FlpCellId {
  readonly bound: number;
  readonly backoff: Topology['backoff'];
}

export interface FlpResult {
  readonly protocol: string;
  readonly service: string | null;
  readonly scenario: string;
  /** One summary per (bound, back-off), bounds in the order given, deterministic first. */
  readonly cells: readonly (FlpCellId & { readonly summary: AdversarySummary })[];
  readonly interrupted: boolean;
}

/**
 * FLP made visible: the same configuration under adversaries of growing delay bound, with
 * deterministic and with randomized back-off. Once the bound exceeds what a deterministic
 * back-off waits, the adversary keeps it undecided for as many rounds as the horizon allows (no
 * bounded-time termination); randomized back-off keeps terminating, with probability 1, for as
 * long as its random waits can outlast the bound.
 */
export function flpExperiment(o: FlpOptions): FlpResult {
  return runSync(flpExperimentSteps(o));
}

/** flpExperiment() as steps (one per adversary run), for a driver that lets Ctrl-C in. */
export function* flpExperimentSteps(o: FlpOptions): Steps<FlpResult> {
  const bounds = o.bounds ?? [delayBound(o.scenario.network.delay)];
  const cells: (FlpCellId & { summary: AdversarySummary })[] = [];
  for (const bound of bounds) {
    for (const backoff of ['deterministic', 'randomized'] as const) {
      if (o.stop?.stopped) break;
      const id: FlpCellId = { bound, backoff };
      const sc: Scenario = { ...o.scenario, topology: { ...o.scenario.topology, backoff } };
      const sys = buildSystem({ protocol: o.protocol, service: o.service, topology: sc.topology });
      const observer = o.observer?.(id, sys);
      const runs: AdversaryRun[] = [];
      for (let run = 0; run < o.runs && !o.stop?.stopped; run++) {
        const r = runAdversary(sys, sc, o.seed, run, { bound, observer });
        runs.push(r);
        o.onRun?.(id, runs.length, r);
        yield;
      }
      cells.push({ ...id, summary: summarizeAdversary(backoff, runs) });
    }
  }
  return { protocol: o.protocol, service: o.service ?? null, scenario: o.scenario.name, cells, interrupted: o.stop?.stopped === true };
}
