import { moduleOf } from '../../protocols/index.js';
// `paxcheck explore`: systematic search (bfs, dfs; split over --workers or --shard) and the
// randomized strategies (explore-walks.ts). Every engine runs through an async driver, so the
// first Ctrl-C stops it at a step boundary with a partial, marked result (exit 130).

import type { FaultBudget } from '../../kernel/events.js';
import { exploreSteps } from '../../search/bfs.js';
import type { Strategy } from '../../search/bfs.js';
import { exploreTopology } from '../../search/systematic.js';
import type { Topology } from '../../protocols/family.js';
import { specPaxos } from '../../protocols/spec-paxos/index.js';
import { ladderWithCoverageSteps, systematicWithCoverageSteps } from '../../artifacts/explore-runset.js';
import type { LadderOutcome } from '../../artifacts/explore-runset.js';
import { ladderOnThreads } from '../../artifacts/ladder-threads.js';
import type { RungReport } from '../../search/ladder.js';
import { ladderText, rungLine } from '../../search/ladder-text.js';
import { writeRunSet } from '../../artifacts/runset.js';
import { runAsync } from '../../step/drive.js';
import { buildTarget } from '../../search/target.js';
import type { Target } from '../../search/target.js';
import type { ExploreArgs } from '../flags/explore.js';
import { INTERRUPTED, budgetedInterrupt, interruptedLine } from '../interrupt.js';
import type { Interrupt } from '../interrupt.js';
import type { BudgetFlag, StopReason } from '../../search/budget.js';
import { coveredLine, interruptedBy, peakMemory, stopReasonOf } from '../../search/budget.js';
import type { Progress } from '../progress.js';
import { progress, searchProgress } from '../progress.js';
import { cliFailureSink } from '../args.js';
import { summaryText } from '../../report/summary-text.js';
import { perSecond } from '../../step/summary.js';
import { fastCheckCommand, randomCommand } from './explore-walks.js';
import { scaledExploreCommand } from './explore-scale.js';

export type { ExploreArgs } from '../flags/explore.js';

/** `ballots` and `timers` (firings per agent) bound the bfs/dfs model; the rest are kernel fault budgets. */
export function budgetOf(b: ExploreArgs['budget']): { budget: FaultBudget; ballots?: number; timers?: number } {
  const { ballots, timers, ...budget } = b ?? { crashes: 1, drops: 1 };
  return { budget, ballots, timers };
}

/** What `--workers` and bfs `--shard` explore: plain data every thread and shard rebuilds. */
function exploreTarget(a: ExploreArgs, symmetry: boolean): Target {
  if (a.protocol === 'spec-paxos') return { kind: 'spec-paxos', maxBallot: a.maxBallot ?? 1 };
  const { budget, ballots, timers } = budgetOf(a.budget);
  const topology: Topology = { ...exploreTopology, ...a.topology };
  const t: Target = { kind: 'kernel', protocol: a.protocol, service: a.service ?? null, mutant: a.mutant ?? null, topology, budget, maxBallots: ballots ?? 3, maxTimerFires: timers ?? null, symmetry, module: moduleOf(a.protocol) };
  // An unknown protocol, service or mutant is bad input here, not an error in a worker thread.
  buildTarget(t);
  return t;
}

export async function exploreCommand(a: ExploreArgs): Promise<number> {
  const { budget } = budgetOf(a.budget);
  if (a.strategy === 'random' || a.strategy === 'pct' || a.strategy === 'swarm') return randomCommand(a, a.strategy, budget);
  if (a.strategy === 'fast-check') return fastCheckCommand(a, budget);
  const systematicShard = a.shard !== undefined;
  const threads = a.workers ?? 1;
  const ladderThreads = !systematicShard && threads > 1 && a.protocol !== 'spec-paxos' && laddered(a);
  if (!ladderThreads && (systematicShard || threads !== 1)) return splitCommand(a, systematicShard);
  const strategy: Strategy = a.strategy;
  const stop = budgetedInterrupt({ maxMemoryMiB: a.maxMemory, maxTimeMs: a.maxTime });
  const bar = progress(`explore ${a.protocol}${a.service ? `/${a.service}` : ''} ${strategy}`, 'states', a.maxStates ?? null);
  try {
    return a.protocol === 'spec-paxos' ? await specCommand(a, strategy, stop, bar) : await kernelCommand(a, strategy, stop, bar, ladderThreads ? threads : 1);
  } finally {
    bar.stop();
    stop.dispose();
  }
}

/** bfs over worker threads or one shard of a split frontier (explore-scale.ts). */
function splitCommand(a: ExploreArgs, systematicShard: boolean): Promise<number> {
  // Sleep sets depend on the search order, and a shard expands its own representatives of
  // symmetric states: a split search leaves those reductions off unless they were asked for
  // (which scaledExploreCommand refuses), and says so, since the unsharded twin needs the flags.
  const por = a.protocol !== 'spec-paxos' && a.por === true && a.maxDepth === undefined;
  // Worker threads run the unsplit search itself, sleep sets included (scale/sleep-workers.ts);
  // under a depth bound the search has no sleep sets, and the fingerprint-owned split runs it.
  const sleepSets = !systematicShard && a.protocol !== 'spec-paxos' && a.por !== false && a.maxDepth === undefined;
  const symmetry = a.symmetry ?? !systematicShard;
  const off = [
    ...(a.protocol !== 'spec-paxos' && !sleepSets && a.por === undefined && a.maxDepth === undefined ? ['partial-order reduction (--no-por)'] : []),
    ...(a.protocol !== 'spec-paxos' && systematicShard && a.symmetry === undefined ? ['symmetry reduction (--no-symmetry)'] : []),
  ];
  const note = off.length > 0 && !a.json ? `explore: a split search runs without ${off.join(' and ')}; compare it with an unsplit run given those flags` : undefined;
  const o = { strategy: a.strategy, workers: a.workers, shard: a.shard, maxDepth: a.maxDepth, maxStates: a.maxStates, maxMemory: a.maxMemory, maxTime: a.maxTime, por, sleepSets, out: a.out, json: a.json, note };
  return scaledExploreCommand(o, exploreTarget(a, symmetry));
}

type SearchStop = Interrupt & BudgetFlag;

/** The stderr line of a search a bound or budget ended early. */
function reportEarlyStop(reason: StopReason | null, s: { readonly distinctStates: number; readonly depth: number; readonly queued: number }, stop: SearchStop): void {
  if (reason !== null) process.stderr.write(coveredLine(reason, s, stop.limits) + '\n');
}

async function specCommand(a: ExploreArgs, strategy: Strategy, stop: SearchStop, bar: Progress): Promise<number> {
  const maxBallot = a.maxBallot ?? 1;
  const r = await runAsync(exploreSteps(specPaxos(maxBallot), { strategy, maxDepth: a.maxDepth, maxStates: a.maxStates, stop, onProgress: searchProgress(bar), progressEvery: 4096 }));
  bar.stop();
  const interrupted = interruptedBy(r.stoppedBy, stop);
  const stopReason = r.violation ? null : stopReasonOf(r.stoppedBy, stop);
  const summary = {
    protocol: 'spec-paxos',
    service: null,
    mutant: null,
    strategy,
    seed: 0,
    runs: 1,
    events: r.generated,
    violations: r.violation ? 1 : 0,
    firstViolation: r.violation ? { property: r.violation.name, message: r.violation.steps.join('; ') || 'an initial state', slot: null, file: null, depth: r.violation.path.length } : null,
    wallMs: Math.round(r.wallMs),
    eventsPerSec: perSecond(r.generated, r.wallMs),
    distinctStates: r.distinctStates,
    statesPerSec: r.statesPerSec,
    generated: r.generated,
    depth: r.depth,
    complete: r.complete,
    interrupted,
    stopReason,
    queued: r.queued,
    bytesPerState: r.bytesPerState,
    ...peakMemory(r.distinctStates),
    maxBallot,
  };
  process.stdout.write((a.json ? JSON.stringify(summary) : summaryText(summary).join('\n')) + '\n');
  reportEarlyStop(stopReason, summary, stop);
  if (interrupted) {
    process.stderr.write(interruptedLine(`${r.distinctStates} distinct states explored`, []) + '\n');
    return INTERRUPTED;
  }
  return r.violation ? 1 : 0;
}

/** No bound given: `explore` searches the default bound ladder (search/ladder.ts). */
function laddered(a: ExploreArgs): boolean {
  const bounds = [a.topology, a.budget, a.maxStates, a.maxDepth, a.eagerWrites, a.atomicOps, a.quietTimers];
  return bounds.every((b) => b === undefined);
}

async function kernelCommand(a: ExploreArgs, strategy: Strategy, stop: SearchStop, bar: Progress, threads: number): Promise<number> {
  const { budget, ballots, timers } = budgetOf(a.budget);
  const common = {
    protocol: a.protocol,
    service: a.service,
    mutant: a.mutant,
    strategy,
    por: a.por ?? true,
    symmetry: a.symmetry ?? true,
    record: cliFailureSink(a.out),
    stop,
    onProgress: searchProgress(bar),
    progressEvery: 256,
  };
  const onRung = (r: RungReport): void => {
    bar.stop();
    process.stderr.write(rungLine(r) + '\n');
  };
  const threaded = (): Promise<LadderOutcome> => {
    const job = { protocol: a.protocol, service: a.service, mutant: a.mutant, strategy, por: common.por, symmetry: common.symmetry };
    return ladderOnThreads(job, { threads, stop, ...stop.limits, record: common.record, module: moduleOf(a.protocol), onRung, onProgress: common.onProgress });
  };
  const { summary: s, runSet, ladder } = laddered(a)
    ? threads > 1
      ? await threaded()
      : await runAsync(ladderWithCoverageSteps(common, { onRung }))
    : { ...(await runAsync(
        systematicWithCoverageSteps({
          ...common,
          topology: a.topology ?? {},
          budget,
          maxBallots: ballots ?? 3,
          maxTimerFires: timers,
          eagerWrites: a.eagerWrites,
          atomicOps: a.atomicOps,
          quietTimers: a.quietTimers,
          maxDepth: a.maxDepth,
          maxStates: a.maxStates,
        }),
      )), ladder: undefined };
  bar.stop();
  const file = writeRunSet(a.out, runSet);
  const summary = { ...s, ...peakMemory(s.distinctStates) };
  process.stdout.write((a.json ? JSON.stringify({ ...summary, runSet: file, ...(ladder ? { ladder } : {}) }) : [...(ladder ? [ladderText(ladder)] : []), ...summaryText(summary, { runSet: file })].join('\n')) + '\n');
  reportEarlyStop(s.stopReason, s, stop);
  if (s.interrupted) {
    process.stderr.write(interruptedLine(`${s.distinctStates} distinct states explored`, [file]) + '\n');
    return INTERRUPTED;
  }
  return s.violations > 0 ? 1 : 0;
}
