// One strategy run for `check`: each engine with the coverage recorder and the reachability
// counter watching it, reduced to what every strategy reports alike.

import { failuresIn, writeFailure } from '../artifacts/failure-file.js';
import { fastCheckWithCoverage, ladderWithCoverageSteps, randomizedWithCoverage, systematicWithCoverage } from '../artifacts/explore-runset.js';
import { runSync } from '../step/drive.js';
import type { RunSet } from '../artifacts/runset.js';
import { RunSetRecorder } from '../artifacts/runset.js';
import { observers } from '../coverage/coverage.js';
import type { FaultBudget } from '../kernel/events.js';
import type { Topology } from '../protocols/family.js';
import { buildSystem, families, moduleOf } from '../protocols/index.js';
import { ladderOnThreads } from '../artifacts/ladder-threads.js';
import { InputError } from '../errors.js';
import type { LadderReport } from '../search/ladder.js';
import type { SystematicSummary } from '../search/systematic.js';
import type { WithCoverage } from '../artifacts/explore-runset.js';
import type { Scenario } from '../scenario/schema.js';
import { loadScenario } from '../scenario/load.js';
import { exploreTopology } from '../search/systematic.js';
import { budgetFlag } from '../search/budget.js';
import { simulate, topologyOf } from '../sim/simulate.js';
import type { FirstViolation } from '../sim/simulate.js';
import { replayChoices } from '../step/replay.js';
import type { ResolvedOptions } from './options.js';
import type { CheckResult } from './result.js';
import type { ReachCounter } from '../coverage/reach.js';

export interface StrategyOutcome {
  readonly runs: number;
  readonly events: number;
  readonly first: Pick<FirstViolation, 'property' | 'message' | 'slot' | 'file' | 'depth' | 'run'> | null;
  readonly search: CheckResult['search'];
  readonly runSet: RunSet;
}

export interface Target {
  readonly protocol: string;
  readonly service: string | undefined;
  readonly mutant: string | undefined;
  readonly topology: Partial<Topology>;
}

function scenarioOf(o: ResolvedOptions, t: Target): Scenario {
  const sc = typeof o.scenario === 'string' ? loadScenario(o.scenario) : o.scenario;
  return { ...sc, topology: { ...sc.topology, ...t.topology } };
}

function splitBudget(o: ResolvedOptions): { budget: FaultBudget; ballots: number; timers: number | undefined } {
  const { ballots, timers, ...budget } = o.budget ?? { crashes: 1, drops: 1 };
  return { budget, ballots: ballots ?? 3, timers };
}

export function runSimulate(o: ResolvedOptions, t: Target, reach: ReachCounter): StrategyOutcome {
  const scenario = scenarioOf(o, t);
  let rec: RunSetRecorder | null = null;
  const s = simulate({
    ...t,
    scenario,
    seed: o.seed,
    runs: o.runs ?? scenario.runs,
    record: failuresIn(o.out || undefined),
    observer: (sys) => observers((rec = new RunSetRecorder(sys)), reach.step(sys)),
  });
  const made = rec as RunSetRecorder | null;
  if (!made) throw new Error('check: the simulation built no system');
  const runSet = made.toRunSet({ kind: 'simulate', ...s, shard: null, topology: topologyOf(scenario), firstViolation: s.firstViolation });
  return { runs: s.runs, events: s.events, first: s.firstViolation, search: null, runSet };
}

export function runWalks(o: ResolvedOptions, t: Target, strategy: 'random' | 'pct' | 'swarm', reach: ReachCounter): StrategyOutcome {
  const { budget } = splitBudget(o);
  const { summary: s, runSet } = randomizedWithCoverage(
    { ...t, strategy, scenario: scenarioOf(o, t), budget, seed: o.seed, runs: o.runs ?? 300, maxSteps: o.maxDepth, depth: o.depth, record: failuresIn(o.out || undefined) },
    { step: reach.step },
  );
  return { runs: s.runs, events: s.events, first: s.firstViolation, search: null, runSet };
}

/**
 * No bound given by the caller: the search is the default bound ladder, as in the CLI. A
 * protocol's own default sizes are not a bound (each rung sets the sizes it searches).
 */
const laddered = (o: ResolvedOptions): boolean => o.budget === undefined && Object.keys(o.topology).length === 0 && o.maxStates === undefined && o.maxDepth === undefined;

export function runSearch(o: ResolvedOptions, t: Target, strategy: 'bfs' | 'dfs', reach: ReachCounter): StrategyOutcome {
  const { budget, ballots, timers } = splitBudget(o);
  const common = { ...t, strategy, por: o.por, symmetry: o.symmetry, record: failuresIn(o.out || undefined), stop: budgetFlag({ maxMemoryMiB: o.maxMemoryMiB, maxTimeMs: o.maxTimeMs }) };
  return searchOutcome(
    laddered(o)
      ? runSync(ladderWithCoverageSteps(common, {}, { graph: reach.graph }))
      : { ...systematicWithCoverage({ ...common, budget, maxBallots: ballots, maxTimerFires: timers, maxDepth: o.maxDepth, maxStates: o.maxStates }, { graph: reach.graph }), ladder: undefined },
  );
}

/**
 * The default bound ladder with its attempts on `threads` worker threads, each loading the
 * protocol's module: the same attempts, counts and verdict as runSearch's ladder. A bounded
 * search is refused whatever the thread count, so that a call means the same on every machine.
 */
export async function runLadderOnThreads(o: ResolvedOptions, t: Target, strategy: 'bfs' | 'dfs', reach: ReachCounter, threads: number): Promise<StrategyOutcome> {
  if (!laddered(o)) throw new InputError('checkParallel: threads run the default bound ladder (bfs or dfs given no budget, topology, maxStates or maxDepth); run a bounded search with check()');
  const module = moduleOf(t.protocol);
  if (module === null && !families.some((f) => f.name === t.protocol)) {
    throw new InputError(`checkParallel: protocol "${t.protocol}" has no module its threads can load; define it with defineProtocol in a module of its own`);
  }
  if (threads === 1) return runSearch(o, t, strategy, reach);
  const stop = budgetFlag({ maxMemoryMiB: o.maxMemoryMiB, maxTimeMs: o.maxTimeMs });
  const job = { protocol: t.protocol, service: t.service, mutant: t.mutant, strategy, por: o.por, symmetry: o.symmetry };
  return searchOutcome(await ladderOnThreads(job, { threads, stop, ...stop.limits, record: failuresIn(o.out || undefined), module, reach }));
}

function searchOutcome(r: WithCoverage<SystematicSummary> & { readonly ladder: LadderReport | undefined }): StrategyOutcome {
  const { summary: s, runSet, ladder } = r;
  const v = s.firstViolation;
  return {
    runs: s.runs,
    events: s.events,
    first: v ? { ...v, run: 0 } : null,
    search: { distinctStates: s.distinctStates, generated: s.generated, depth: s.depth, complete: s.complete, stopReason: s.stopReason, ...(ladder ? { ladder } : {}) },
    runSet,
  };
}

export function runFastCheck(o: ResolvedOptions, t: Target, reach: ReachCounter): StrategyOutcome {
  const { budget } = splitBudget(o);
  const topology: Topology = { ...exploreTopology, ...t.topology };
  const sys = buildSystem({ ...t, topology });
  const meta = { protocol: t.protocol, service: t.service ?? null, mutant: t.mutant ?? null, topology };
  const { result: r, file, runSet } = fastCheckWithCoverage(
    { sys, budget, runs: o.runs ?? 300, maxLength: o.maxDepth ?? 300, seed: o.seed },
    {
      ...meta,
      file: (res) => {
        if (!res.failed || !res.violation || o.out === false) return null;
        const rep = replayChoices(sys, res.choices, null, '');
        const shrunk = res.originalLength !== null ? { shrunkFrom: res.originalLength } : {};
        return writeFailure(o.out, { ...meta, strategy: 'fast-check', scenario: null, seed: o.seed, run: 0, choices: res.choices, violation: { ...res.violation, step: rep.violationStep ?? res.choices.length }, trace: rep.trace, ...shrunk });
      },
    },
    { step: reach.step },
  );
  const v = r.violation;
  const first = v ? { property: v.property, message: v.message, slot: v.slot ?? null, file, depth: r.shrunkLength ?? r.choices.length, run: 0 } : null;
  return { runs: r.runs, events: runSet.events, first, search: null, runSet };
}
