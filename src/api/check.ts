// `check(protocol, options)`: one entry point for every strategy, one result.

import type { Protocol } from '../protocols/define.js';
import type { ModuleRef } from '../protocols/index.js';
import { buildSystem, findFamily, registerProtocol } from '../protocols/index.js';
import { readFailure } from '../artifacts/failure-file.js';
import { writeRunSet } from '../artifacts/runset.js';
import { compactSteps } from '../step/compact.js';
import { replay } from '../step/replay.js';
import { InputError } from '../errors.js';
import { moduleRef } from '../loader/module.js';
import type { CheckOptions, ResolvedOptions } from './options.js';
import { parseCheckOptions } from './options.js';
import { ReachCounter } from '../coverage/reach.js';
import type { CheckResult } from './result.js';
import type { StrategyOutcome, Target } from './run-strategy.js';
import { runFastCheck, runLadderOnThreads, runSearch, runSimulate, runWalks } from './run-strategy.js';
import { availableParallelism } from 'node:os';
import { inLadderThread } from '../artifacts/ladder-thread-protocol.js';

/** Registers a protocol object so engines find it by name; its module (if readable) is recorded. */
export function use(protocol: Protocol | string): string {
  if (typeof protocol === 'string') {
    if (!findFamily(protocol)) buildSystem({ protocol });
    return protocol;
  }
  let ref: ModuleRef | null = null;
  try {
    ref = protocol.module ? moduleRef(protocol.module) : null;
  } catch {
    ref = null; // defined somewhere unreadable (e.g. eval): failures still replay in-process
  }
  registerProtocol(protocol, ref);
  return protocol.name;
}

function runStrategy(o: ResolvedOptions, t: Target, reach: ReachCounter): StrategyOutcome {
  switch (o.strategy) {
    case 'simulate':
      return runSimulate(o, t, reach);
    case 'random':
    case 'pct':
    case 'swarm':
      return runWalks(o, t, o.strategy, reach);
    case 'bfs':
    case 'dfs':
      return runSearch(o, t, o.strategy, reach);
    case 'fast-check':
      return runFastCheck(o, t, reach);
  }
}

/** How to reproduce a failure file from here: the CLI through npx unless it is on PATH. */
export const replayCommandFor = (file: string): string => `npx paxcheck replay ${file}`;

function counterexampleOf(file: string | null): string[] {
  if (!file) return [];
  const r = replay(readFailure(file));
  return compactSteps(r);
}

/** PAXCHECK_SEED and PAXCHECK_RUNS override the seed and run count without code changes (CI reruns). */
function fromEnvironment(options: CheckOptions): CheckOptions {
  const num = (name: string): number | undefined => {
    const v = process.env[name];
    if (v === undefined || v === '') return undefined;
    if (!/^\d+$/.test(v)) throw new InputError(`${name}=${v}: expected a whole number`);
    return Number(v);
  };
  const seed = num('PAXCHECK_SEED');
  const runs = num('PAXCHECK_RUNS');
  return { ...options, ...(seed !== undefined ? { seed } : {}), ...(runs !== undefined ? { runs } : {}) };
}

/** One `check` call, validated and with its protocol registered. */
interface Prepared {
  readonly o: ResolvedOptions;
  readonly t: Target;
  readonly reach: ReachCounter;
  readonly t0: number;
}

function prepare(protocol: Protocol | string, options: CheckOptions): Prepared {
  const o = parseCheckOptions(fromEnvironment(options));
  const name = use(protocol);
  const defaults = typeof protocol === 'string' ? {} : protocol.topology;
  const t: Target = { protocol: name, service: o.service, mutant: o.mutant, topology: { ...pick(defaults, options.topology), ...o.topology } };
  try {
    buildSystem({ ...t });
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`check: ${err.message}`);
    throw err;
  }
  return { o, t, reach: new ReachCounter(), t0: performance.now() };
}

/** Checks `protocol` with one strategy on this thread (a bfs/dfs given no bound: the default bound ladder). */
export function check(protocol: Protocol | string, options: CheckOptions = {}): CheckResult {
  const p = prepare(protocol, options);
  if ((p.o.workers ?? 1) > 1) throw new InputError('check: option "workers": check runs on this thread; await checkParallel(protocol, options) for worker threads');
  return resultOf(p, runStrategy(p.o, p.t, p.reach));
}

/**
 * `check` with the default bound ladder's attempts on worker threads (`workers`, default the
 * machine's available parallelism), each loading the protocol's module: the same rungs, counts,
 * verdict and counterexample as `check`, sooner. Only bfs/dfs given no bound; a user protocol
 * must be defined in a module of its own (each thread imports it).
 */
export async function checkParallel(protocol: Protocol | string, options: CheckOptions = {}): Promise<CheckResult> {
  if (inLadderThread()) {
    throw new InputError('checkParallel: called from a module a worker thread imports for its protocol; define the protocol in a module of its own and check it from another');
  }
  const p = prepare(protocol, options);
  const { strategy } = p.o;
  if (strategy !== 'bfs' && strategy !== 'dfs') throw new InputError(`checkParallel: strategy "${strategy}" runs on one thread; use check()`);
  const threads = p.o.workers ?? availableParallelism();
  return resultOf(p, await runLadderOnThreads(p.o, p.t, strategy, p.reach, threads));
}

function resultOf({ o, t, reach, t0 }: Prepared, r: StrategyOutcome): CheckResult {
  const wallMs = Math.round(performance.now() - t0);
  const runSet = o.out === false ? null : writeRunSet(o.out, r.runSet);
  const sometimes = reach.report();
  const unreached = sometimes.filter((s) => s.reached === 0).map((s) => s.name);
  const v = r.first;
  const verdict = v ? 'violation' : unreached.length > 0 ? 'unreached' : 'pass';
  return {
    ok: verdict === 'pass',
    verdict,
    protocol: t.protocol,
    service: o.service ?? null,
    mutant: o.mutant ?? null,
    strategy: o.strategy,
    seed: o.seed,
    runs: r.runs,
    events: r.events,
    search: r.search,
    violation: v ? { property: v.property, message: v.message, slot: v.slot, step: v.depth, run: v.run } : null,
    failureFile: v?.file ?? null,
    replayCommand: v?.file ? replayCommandFor(v.file) : null,
    counterexample: counterexampleOf(v?.file ?? null),
    sometimes,
    unreached,
    coverage: r.runSet.coverage,
    liveness: o.strategy === 'bfs' || o.strategy === 'dfs' ? null : r.runSet.liveness.summary,
    runSet,
    wallMs,
  };
}

/** The protocol's own default sizes, for the fields the caller did not set. */
function pick(defaults: object, given: object | undefined): object {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(defaults)) if (!given || !(k in given)) out[k] = v;
  return out;
}
