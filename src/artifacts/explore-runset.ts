// The `explore` strategies with coverage: each runs with a RunSetRecorder watching it (run by
// run for random/pct/swarm/fast-check, transition by transition for bfs/dfs) and yields its
// summary with the coverage added, and the run set `paxcheck report` renders.

import type { FaultBudget } from '../kernel/events.js';
import type { System } from '../kernel/types.js';
import type { CoverageData, CoverageOptions } from '../coverage/coverage.js';
import type { FastCheckOptions, FastCheckResult } from '../walks/fastcheck.js';
import { fastCheckSearch, fastCheckSearchAsync } from '../walks/fastcheck.js';
import type { StopFlag, Steps } from '../step/drive.js';
import { runSync } from '../step/drive.js';
import { GraphCoverage } from '../coverage/graph-coverage.js';
import { observers } from '../coverage/coverage.js';
import type { StepObserver } from '../sim/timed.js';
import type { Carried, WorldWatch } from '../search/world-model.js';
import type { RandomizedOptions, RandomizedSummary } from '../walks/randomized.js';
import { randomizedSteps } from '../walks/randomized.js';
import { topologyOf } from '../sim/simulate.js';
import type { SystematicOptions, SystematicSummary } from '../search/systematic.js';
import { exploreTopology, systematicSteps } from '../search/systematic.js';
import type { Topology } from '../protocols/family.js';
import { buildSystem } from '../protocols/index.js';
import type { Bounds } from '../search/bounds.js';
import type { LadderOptions, LadderReport, RungSummary } from '../search/ladder.js';
import { ContentionWatch } from '../search/contention.js';
import { ladderSteps } from '../search/ladder.js';
import type { RunSet } from './runset.js';
import { RunSetRecorder } from './runset.js';

/** The scenario name of run sets with no scenario: bfs, dfs and fast-check search the untimed world. */
export const UNTIMED = 'untimed';

export interface WithCoverage<S> {
  readonly summary: S & { readonly coverage: CoverageData };
  readonly runSet: RunSet;
}

function watches(a: WorldWatch, b: WorldWatch | undefined): WorldWatch {
  if (!b) return a;
  const ca = a.carried;
  const cb = b.carried;
  const both: WorldWatch = {
    onInitial: (s, fx) => (a.onInitial(s, fx), b.onInitial(s, fx)),
    onTransition: (f, e, fx, t) => (a.onTransition(f, e, fx, t), b.onTransition(f, e, fx, t)),
  };
  if (!ca && !cb) return both;
  // Both watches' per-state data travels as one pair.
  const carried: Carried = {
    get: (s) => [ca?.get(s), cb?.get(s)],
    set: (s, d) => {
      const [x, y] = d as [unknown, unknown];
      ca?.set(s, x);
      cb?.set(s, y);
    },
  };
  return { ...both, carried };
}

/** Holds the recorder an observer factory builds once the strategy has built its system. */
class Late {
  private rec: RunSetRecorder | null = null;

  make(sys: System, coverage?: CoverageOptions): RunSetRecorder {
    this.rec = new RunSetRecorder(sys, coverage);
    return this.rec;
  }

  get(): RunSetRecorder {
    if (!this.rec) throw new Error('explore: the strategy built no system');
    return this.rec;
  }
}

function budgetRecord(b: FaultBudget): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(b)) if (typeof v === 'number') out[k] = v;
  return out;
}

/** Watchers to run beside the coverage recorder (e.g. the public API's reachability). */
export interface AlsoWatch {
  readonly step?: (sys: System) => StepObserver;
  readonly graph?: (sys: System) => WorldWatch;
}

export function randomizedWithCoverage(o: Omit<RandomizedOptions, 'observer'>, also: AlsoWatch = {}): WithCoverage<RandomizedSummary> {
  return runSync(randomizedWithCoverageSteps(o, also));
}

/** randomizedWithCoverage() as steps, for a driver that lets Ctrl-C in (step/drive.ts). */
export function* randomizedWithCoverageSteps(o: Omit<RandomizedOptions, 'observer'>, also: AlsoWatch = {}): Steps<WithCoverage<RandomizedSummary>> {
  const late = new Late();
  const s = yield* randomizedSteps({ ...o, observer: (sys) => observers(late.make(sys), also.step?.(sys)) });
  const topology: Topology = { ...topologyOf(o.scenario), ...o.topology };
  const runSet = late.get().toRunSet({
    kind: 'explore',
    protocol: s.protocol,
    service: s.service,
    mutant: s.mutant,
    strategy: s.strategy,
    scenario: o.scenario.name,
    seed: s.seed,
    shard: o.shard ?? null,
    topology,
    interrupted: s.interrupted,
    wallMs: s.wallMs,
    firstViolation: s.firstViolation,
  });
  return { summary: { ...s, coverage: runSet.coverage }, runSet };
}

export function systematicWithCoverage(o: Omit<SystematicOptions, 'watch'>, also: AlsoWatch = {}): WithCoverage<SystematicSummary> {
  return runSync(systematicWithCoverageSteps(o, also));
}

/** systematicWithCoverage() as steps, for a driver that lets Ctrl-C in (step/drive.ts). */
export function* systematicWithCoverageSteps(o: Omit<SystematicOptions, 'watch'>, also: AlsoWatch = {}): Steps<WithCoverage<SystematicSummary>> {
  const late = new Late();
  // The search counts its distinct states itself, by its own identity (symmetry orbits, property
  // history): the coverage reports that count rather than fingerprinting every successor again.
  const graph = (sys: System): GraphCoverage => new GraphCoverage(late.make(sys, { states: false }).coverage);
  const s = yield* systematicSteps({ ...o, watch: (sys) => watches(graph(sys), also.graph?.(sys)) });
  const v = s.firstViolation;
  const recorded = late.get().toRunSet({
      kind: 'explore',
      protocol: s.protocol,
      service: s.service,
      mutant: s.mutant,
      strategy: s.strategy,
      scenario: UNTIMED,
      seed: s.seed,
      topology: { ...exploreTopology, ...o.topology },
      interrupted: s.interrupted,
      wallMs: s.wallMs,
      firstViolation: v ? { ...v, run: 0, trace: '' } : null,
    });
  const runSet: RunSet = {
    ...recorded,
    coverage: { ...recorded.coverage, distinctStates: s.distinctStates },
    // The search has no runs to count events by: it applied one per generated state.
    events: s.generated,
    violations: s.violations,
    exploration: {
      distinctStates: s.distinctStates,
      generated: s.generated,
      depth: s.depth,
      complete: s.complete,
      stopReason: s.stopReason,
      queued: s.queued,
      budget: budgetRecord(s.budget),
      maxBallots: s.maxBallots,
    },
  };
  return { summary: { ...s, coverage: runSet.coverage }, runSet };
}

export interface FastCheckRunSetMeta {
  readonly protocol: string;
  readonly service: string | null;
  readonly mutant: string | null;
  readonly topology: Topology;
  /** Where the counterexample was written, if one was. */
  readonly file: (r: FastCheckResult) => string | null;
}

/** fast-check's search; every schedule it runs (shrinking included) feeds the coverage. */
export function fastCheckWithCoverage(o: Omit<FastCheckOptions, 'observer'>, meta: FastCheckRunSetMeta, also: AlsoWatch = {}): { result: FastCheckResult; file: string | null; runSet: RunSet } {
  const rec = new RunSetRecorder(o.sys);
  const t0 = performance.now();
  const result = fastCheckSearch({ ...o, observer: observers(rec, also.step?.(o.sys)) });
  return fastCheckRunSet(o, meta, rec, result, t0, false);
}

/** fastCheckWithCoverage() that stays responsive to Ctrl-C: it stops early once `stop` is up. */
export async function fastCheckWithCoverageAsync(
  o: Omit<FastCheckOptions, 'observer'>,
  meta: FastCheckRunSetMeta,
  stop: StopFlag,
  also: AlsoWatch = {},
): Promise<{ result: FastCheckResult; file: string | null; runSet: RunSet; interrupted: boolean }> {
  const rec = new RunSetRecorder(o.sys);
  const t0 = performance.now();
  const result = await fastCheckSearchAsync({ ...o, observer: observers(rec, also.step?.(o.sys)) }, stop);
  return { ...fastCheckRunSet(o, meta, rec, result, t0, result.interrupted), interrupted: result.interrupted };
}

function fastCheckRunSet(o: Omit<FastCheckOptions, 'observer'>, meta: FastCheckRunSetMeta, rec: RunSetRecorder, result: FastCheckResult, t0: number, interrupted: boolean): { result: FastCheckResult; file: string | null; runSet: RunSet } {
  const file = meta.file(result);
  const v = result.violation;
  const runSet = rec.toRunSet({
    kind: 'explore',
    protocol: meta.protocol,
    service: meta.service,
    mutant: meta.mutant,
    strategy: 'fast-check',
    scenario: UNTIMED,
    seed: o.seed,
    topology: meta.topology,
    interrupted,
    wallMs: Math.round(performance.now() - t0),
    firstViolation: v ? { property: v.property, message: v.message, slot: v.slot ?? null, file, depth: result.shrunkLength ?? result.choices.length, run: 0, trace: '' } : null,
  });
  return { result, file, runSet };
}

/** A systematic search's options without its bounds: what the bound ladder fills in per rung. */
export type UnboundedSearch = Omit<SystematicOptions, 'watch' | 'topology' | 'budget' | 'maxBallots' | 'maxTimerFires' | 'eagerWrites' | 'atomicOps' | 'quietTimers' | 'maxStates'>;

/** One attempt of the bound ladder: a bounded search with coverage and the contention watch. */
export function* rungAttemptSteps(o: UnboundedSearch, b: Bounds, maxStates: number | undefined, also: AlsoWatch = {}): Steps<LadderAttempt> {
  const bounded = { ...o, topology: b.topology, budget: b.budget, maxBallots: b.ballots, maxTimerFires: b.timers, eagerWrites: b.eagerWrites, atomicOps: b.atomicOps, quietTimers: b.quietTimers, maxStates };
  const contention = new ContentionWatch();
  const got = yield* systematicWithCoverageSteps(bounded, { ...also, graph: (sys) => watches(contention, also.graph?.(sys)) });
  return { ...got, summary: { ...got.summary, contention: contention.reach } };
}

/** What one ladder attempt yields: its summary (with contention reach) and run set. */
export type LadderAttempt = WithCoverage<RungSummary>;

/** A storage fault needs a server: without one the rung is the fault-free rung again. */
export function ladderSkip(o: Pick<UnboundedSearch, 'protocol' | 'service' | 'mutant'>): (b: Bounds) => boolean {
  const servers = buildSystem({ protocol: o.protocol, service: o.service, mutant: o.mutant, topology: { ...exploreTopology, servers: 1 } }).servers.length;
  return (b) => servers === 0 && (b.budget.storage ?? 0) > 0;
}

export type LadderOutcome = WithCoverage<SystematicSummary> & { readonly ladder: LadderReport };

/** The ladder's result: the last attempt's summary and run set, `complete` only when every rung closed. */
export function ladderOutcome(got: LadderAttempt | null, ladder: LadderReport): LadderOutcome {
  if (got === null) throw new Error('explore: the bound ladder has no rungs');
  const s = got.summary;
  // A ladder that ran out of rungs without closing them all stopped on its caps: "states". An
  // interrupted one was stopped by nothing but Ctrl-C, and says only that.
  const stopReason = ladder.complete || s.violations > 0 || s.interrupted ? null : (s.stopReason ?? 'states');
  const exploration = got.runSet.exploration ? { ...got.runSet.exploration, complete: ladder.complete, stopReason } : undefined;
  return { summary: { ...s, complete: ladder.complete, stopReason }, runSet: { ...got.runSet, ...(exploration ? { exploration } : {}) }, ladder };
}

/**
 * The default bound ladder (search/ladder.ts) with coverage: each attempt is a bounded search;
 * the summary and run set are the last attempt's (the violating one, or the one a budget
 * stopped), with the whole ladder's report added and `complete` true only when every rung closed.
 */
export function* ladderWithCoverageSteps(o: UnboundedSearch, ladder: Omit<LadderOptions, 'stop'> = {}, also: AlsoWatch = {}): Steps<LadderOutcome> {
  let last: LadderAttempt | null = null;
  const search = function* (b: Bounds, maxStates: number | undefined): Steps<RungSummary> {
    last = yield* rungAttemptSteps(o, b, maxStates, also);
    return last.summary;
  };
  const r = yield* ladderSteps(search, { ...ladder, skip: ladderSkip(o), stop: o.stop });
  return ladderOutcome(last, r.ladder);
}
