// `explore --strategy bfs` with `--workers N` (worker threads, one process) or `--shard i/n`
// (one machine of a CI matrix; `paxcheck report --in` merges the shards' folders).

import { InputError } from '../../errors.js';
import { exploreParallel } from '../../scale/parallel.js';
import { describeViolation, scaledSummary } from '../../scale/scaled-summary.js';
import { summaryText, violationLines } from '../../report/summary-text.js';
import { exploreShardSteps } from '../../scale/shard.js';
import { runAsync } from '../../step/drive.js';
import { cliFailureSink } from '../args.js';
import { INTERRUPTED, budgetedInterrupt, interruptFlag, interruptedLine } from '../interrupt.js';
import { coveredLine, interruptedBy, stopReasonOf } from '../../search/budget.js';
import { progress, searchProgress } from '../progress.js';
import type { Shard } from '../../sim/simulate.js';
import type { ShardOutcome } from '../../scale/shard.js';
import { F_DEPTH, F_OUT, STATE_FIELDS } from '../../scale/shard-records.js';
import type { Target } from '../../search/target.js';
import { buildKernelSystem, buildTarget, targetLabel } from '../../search/target.js';
import { exploreSleepWorkers } from '../../scale/sleep-workers.js';
import { writeShard } from '../../artifacts/shard-file.js';

export interface ScaleArgs {
  readonly strategy: string;
  readonly workers?: number;
  readonly shard?: Shard;
  readonly maxDepth?: number;
  readonly maxStates?: number;
  /** Whether the unsharded search would use partial-order reduction. */
  readonly por: boolean;
  /** --workers runs that search itself, sleep sets and all (scale/sleep-workers.ts), not the fingerprint-owned split. */
  readonly sleepSets?: boolean;
  readonly out: string;
  readonly json: boolean;
  /** Printed on stderr once the arguments are known to be good (which reductions are off). */
  readonly note?: string;
  /** --max-memory (MiB, shared by the workers) and --max-time (ms). */
  readonly maxMemory?: number;
  readonly maxTime?: number;
}

/** Largest worker count accepted: more threads than this only add coordination. */
const MAX_WORKERS = 64;

export async function scaledExploreCommand(a: ScaleArgs, target: Target): Promise<number> {
  if (a.strategy !== 'bfs') throw new InputError(`--workers and --shard split breadth-first search only (--strategy bfs), not ${a.strategy}`);
  if (a.maxDepth !== undefined && !(Number.isInteger(a.maxDepth) && a.maxDepth >= 1)) throw new InputError(`--max-depth must be a positive integer, got ${a.maxDepth}`);
  // Sleep sets change what is generated and depend on the search order: no split reproduces them.
  if (a.por && !a.sleepSets) throw new InputError('--por: --workers and --shard cannot split a sleep-set search (it depends on the search order); drop --por');
  if (a.shard) {
    // Each shard would expand its own representative of a symmetric state, so action positions
    // (which the merge orders by) would not match the unsharded search's.
    if (target.kind === 'kernel' && target.symmetry && buildKernelSystem(target).symmetry) throw new InputError('--symmetry: a shard would expand its own representatives of symmetric states, so shards could not merge exactly; drop --symmetry');
    if (a.workers !== undefined && a.workers > 1) throw new InputError('--shard and --workers cannot be combined: run one shard per machine');
    if (a.maxStates !== undefined) throw new InputError('--max-states cannot be combined with --shard: where it stops depends on the whole search; bound shards with --max-depth');
    if (a.note) process.stderr.write(a.note + '\n');
    return shardCommand(a, a.shard, target);
  }
  const workers = a.workers ?? 1;
  if (!(Number.isInteger(workers) && workers >= 1 && workers <= MAX_WORKERS)) throw new InputError(`--workers must be an integer from 1 to ${MAX_WORKERS}, got ${a.workers}`);
  if (a.note) process.stderr.write(a.note + '\n');
  return workersCommand(a, workers, target);
}

async function workersCommand(a: ScaleArgs, workers: number, target: Target): Promise<number> {
  // Time and Ctrl-C are polled by the coordinator; memory is the workers' own heaps, each given
  // its share of the budget as a V8 limit (a worker reaching it ends the search cleanly).
  const stop = budgetedInterrupt({ maxMemoryMiB: a.maxMemory, maxTimeMs: a.maxTime });
  const workerMemoryMiB = Math.max(16, Math.floor(stop.limits.maxMemoryMiB / workers));
  const bar = progress(`explore ${targetLabel(target)} bfs, ${workers} workers`, 'states', a.maxStates ?? null);
  try {
    const o = { workers, maxDepth: a.maxDepth, maxStates: a.maxStates, stop, workerMemoryMiB, onProgress: searchProgress(bar) };
    const sleepSets = a.sleepSets === true && target.kind === 'kernel';
    const r = sleepSets ? await exploreSleepWorkers(target, o) : await exploreParallel(target, o);
    bar.stop();
    const first = r.violation ? describeViolation(target, r.violation, cliFailureSink(a.out)) : null;
    const interrupted = r.stoppedBy === 'interrupted' && interruptedBy('interrupted', stop);
    const stopReason = r.stoppedBy === 'memory' ? 'memory' : first ? null : stopReasonOf(r.stoppedBy, stop);
    const s = { ...scaledSummary(target, r, first, r.wallMs), ...(target.kind === 'kernel' ? { por: sleepSets } : {}), workers, interrupted, stopReason };
    if (a.json) process.stdout.write(JSON.stringify(s) + '\n');
    else process.stdout.write(summaryText(s, { how: `${workers} worker threads` }).join('\n') + '\n');
    if (stopReason !== null && !interrupted) process.stderr.write(coveredLine(stopReason, s, stop.limits) + '\n');
    if (interrupted) {
      process.stderr.write(interruptedLine(`${r.distinctStates} distinct states explored over ${r.depth} levels by ${workers} workers`, []) + '\n');
      return INTERRUPTED;
    }
    return s.violations > 0 ? 1 : 0;
  } finally {
    bar.stop();
    stop.dispose();
  }
}

async function shardCommand(a: ScaleArgs, shard: Shard, target: Target): Promise<number> {
  const stop = interruptFlag();
  const bar = progress(`explore ${targetLabel(target)} bfs shard ${shard.index}/${shard.count}`, 'states', null);
  try {
    let seen = 0;
    const ts = buildTarget(target);
    const onProgress = (n: number): void => bar.update((seen = n));
    const o = await runAsync(exploreShardSteps(ts, { shard, maxDepth: a.maxDepth, stop, onProgress }));
    bar.stop();
    const code = shardOutput(a, shard, target, o);
    if (o.interrupted) {
      process.stderr.write(interruptedLine(`shard ${shard.index}/${shard.count} stopped after ${seen} states; report --in lists it as missing`, []) + '\n');
      return INTERRUPTED;
    }
    return code;
  } finally {
    bar.stop();
    stop.dispose();
  }
}

function shardOutput(a: ScaleArgs, shard: Shard, target: Target, o: ShardOutcome): number {
  const first = o.violation ? describeViolation(target, o.violation, cliFailureSink(a.out)) : null;
  const detail = first ? { property: first.property, message: first.message, slot: first.slot, file: first.file } : null;
  const file = writeShard(a.out, target, a.maxDepth ?? null, o, detail);
  // This shard's own share: the counts of the whole search exist only once shards are merged.
  const st = o.records.states;
  const recorded = st.length / STATE_FIELDS;
  let generated = o.initialStates;
  let depth = 0;
  for (let i = 0; i < st.length; i += STATE_FIELDS) {
    generated += Math.max(0, st[i + F_OUT] as number);
    depth = Math.max(depth, st[i + F_DEPTH] as number);
  }
  const summary = {
    ...scaledSummary(target, { distinctStates: recorded, generated, depth, complete: false }, first, o.wallMs),
    partial: true,
    shard,
    splitDepth: o.splitDepth,
    frontier: o.frontier,
    shardFile: file,
    interrupted: o.interrupted,
  };
  if (a.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else {
    const lines = [
      `${targetLabel(target)} bfs shard ${shard.index}/${shard.count}: ${recorded} states recorded (frontier of ${o.frontier} states at depth ${o.splitDepth}, one in ${shard.count} from #${shard.index}), ${Math.round(o.wallMs)} ms`,
      `wrote ${file}; merge the shards with: paxcheck report --in DIR...`,
    ];
    if (first) lines.push(...violationLines(first, ` (${first.depth} steps)`));
    process.stdout.write(lines.join('\n') + '\n');
  }
  return first ? 1 : 0;
}
