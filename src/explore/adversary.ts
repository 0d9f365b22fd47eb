// The FLP adversary: a timed schedule steered away from deciding for as long as the
// bounded-delay rule allows. At each pick of a delivery it looks ahead with the pure kernel step;
// if delivering the packet now would get a value chosen (a quorum of votes) or decided, it holds
// the packet back to the latest time its delay bound permits, so that a competing ballot may
// overtake it. Timers keep their scheduler-drawn jitter: the adversary controls the network
// only. Protocol-agnostic: it reads nothing but the properties' history of votes and decisions.

import type { Distribution } from '../kernel/clock.js';
import type { Event } from '../kernel/events.js';
import type { System } from '../kernel/types.js';
import type { Effects, World } from '../kernel/world.js';
import { isServer } from '../kernel/world.js';
import type { Topology } from '../protocols/family.js';
import { buildSystem } from '../protocols/index.js';
import type { Scenario } from '../scenario/schema.js';
import type { History } from '../../properties/index.js';
import { emptyHistory, observe } from '../../properties/index.js';
import type { Checked } from './checker.js';
import { advance } from './checker.js';
import { observers } from './coverage.js';
import type { Quantiles } from './stats.js';
import { quantiles } from './stats.js';
import type { RunResult, Steer, StepObserver } from './timed.js';
import { runTimed } from './timed.js';

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
  /** Ballots started before the first decision (all of them when nothing was decided). */
  readonly roundsUndecided: number;
}

/** Steers one timed run; also watches it to know when each packet was sent. */
class Adversary implements Steer, StepObserver {
  deferrals = 0;
  private readonly sentAt = new Map<number, number>();
  private hist: History = emptyHistory;
  private roundsAtDecision: number | null = null;

  constructor(
    private readonly sys: System,
    private readonly bound: number,
    private readonly serverBound: number,
  ) {}

  get roundsUndecided(): number {
    return this.roundsAtDecision ?? this.hist.ballots.length;
  }

  postpone(seq: number, at: number, state: Checked): number | null {
    const p = state.world.net.find((x) => x.seq === seq);
    if (!p) return null;
    const deadline = (this.sentAt.get(seq) ?? 0) + (isServer(this.sys, p.to) ? this.serverBound : this.bound);
    if (at >= deadline) return null;
    const r = advance(this.sys, state, { k: 'deliver', seq });
    const decisive = r.fx.decisions.length > 0 || chosenCount(r.state.hist) > chosenCount(state.hist);
    if (!decisive) return null;
    this.deferrals++;
    return deadline;
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
    if (this.roundsAtDecision === null && fx.decisions.length > 0) this.roundsAtDecision = before;
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
  /** Ballots before the first decision, per run. */
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
  readonly bound?: number;
  readonly stop?: { readonly stopped: boolean };
  /** Watches every run of one back-off setting (coverage, histograms). */
  readonly observer?: (backoff: Topology['backoff'], sys: System) => StepObserver;
  readonly onRun?: (backoff: Topology['backoff'], done: number, r: AdversaryRun) => void;
}

export interface FlpResult {
  readonly protocol: string;
  readonly service: string | null;
  readonly scenario: string;
  readonly bound: number;
  readonly deterministic: AdversarySummary;
  readonly randomized: AdversarySummary;
  readonly interrupted: boolean;
}

/**
 * FLP made visible: the same configuration under the adversary with deterministic and with
 * randomized back-off. With deterministic back-off the adversary can keep it undecided for as
 * many rounds as the horizon allows; randomized back-off terminates with probability 1.
 */
export function flpExperiment(o: FlpOptions): FlpResult {
  const bound = o.bound ?? delayBound(o.scenario.network.delay);
  const summaries = (['deterministic', 'randomized'] as const).map((backoff) => {
    const sc: Scenario = { ...o.scenario, topology: { ...o.scenario.topology, backoff } };
    const sys = buildSystem({ protocol: o.protocol, service: o.service, topology: sc.topology });
    const observer = o.observer?.(backoff, sys);
    const runs: AdversaryRun[] = [];
    for (let run = 0; run < o.runs && !o.stop?.stopped; run++) {
      const r = runAdversary(sys, sc, o.seed, run, { bound, observer });
      runs.push(r);
      o.onRun?.(backoff, runs.length, r);
    }
    return summarizeAdversary(backoff, runs);
  });
  return {
    protocol: o.protocol,
    service: o.service ?? null,
    scenario: o.scenario.name,
    bound,
    deterministic: summaries[0] as AdversarySummary,
    randomized: summaries[1] as AdversarySummary,
    interrupted: o.stop?.stopped === true,
  };
}
