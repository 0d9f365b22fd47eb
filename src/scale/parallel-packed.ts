// Breadth-first search on worker threads for the packed spec-level model, with one visited set
// shared by all threads instead of states routed to owners (parallel.ts).
//
// Level-synchronous: the current level lies in shared segments; workers take chunks of it from
// a shared cursor, insert each successor's fingerprint into the shared table (exactly one thread
// wins a new one) and append the states they won to their own segments, which become the next
// level. Every state of a level is expanded exactly once, so distinct states (table inserts),
// generated (successors computed, plus the initial states) and depth (levels) are exact whatever
// the scheduling.
//
// Only a complete search is handled here: where the single-threaded search stops part-way (a
// violation, --max-states, --max-depth) the stopping point depends on discovery order, which this
// search does not keep. On a violation it returns null and the caller runs the ordered search.

import type { Worker } from 'node:worker_threads';
import { startThread } from './thread.js';
import type { PackedTransitionSystem } from '../kernel/model.js';
import type { ParallelOptions, ParallelResult } from './parallel-options.js';
import { STOPPED, untilStopped } from './parallel-options.js';
import type { LevelRequest, PackedFromWorker, PackedWorkerSetup } from './parallel-packed-protocol.js';
import { CTRL_CURSOR, CTRL_INSERTS, CTRL_LIMIT, CTRL_STOP, CTRL_WORDS, STOP_FULL, STOP_VIOLATION } from './parallel-packed-protocol.js';
import { SharedFpTable } from './shared-fp-table.js';
import { specPaxos } from '../protocols/spec-paxos/index.js';

/** The table grows when a level could push its load past this. */
const MAX_LOAD = 0.75;

function reply(w: Worker): Promise<Extract<PackedFromWorker, { t: 'done' }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: PackedFromWorker): void => {
      done();
      if (m.t === 'error') reject(new Error(`explore worker: ${m.message}`));
      else resolve(m);
    };
    const onError = (e: Error): void => {
      done();
      reject(e);
    };
    const onExit = (code: number): void => {
      done();
      reject(new Error(`explore worker exited with code ${code}`));
    };
    const done = (): void => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
  });
}

/** Sizing of the shared table; tests shrink it to exercise growth and redone levels. */
export interface TableSizing {
  readonly initialSlots: number;
  /** Table room reserved per state of a level before expanding it; 0: grow only on a redo. */
  readonly reservePerState: number;
}

const DEFAULT_SIZING: TableSizing = { initialSlots: 1 << 16, reservePerState: 4 };

/** The distinct initial states in a shared segment; null if one violates (left to bfs.ts). */
function packedInitials(ts: PackedTransitionSystem<number>, table: SharedFpTable, invariants: NonNullable<PackedTransitionSystem<number>['invariants']>): { first: SharedArrayBuffer; generated: number; distinct: number } | null {
  const W = ts.width;
  const inits = ts.initial();
  const first = new SharedArrayBuffer(Math.max(1, inits.length) * W * 4);
  const firstWords = new Int32Array(first);
  let generated = 0;
  let distinct = 0;
  for (const s of inits) {
    generated++;
    const fp = ts.fingerprint(s);
    if (!table.insert(fp.hi, fp.lo)) continue;
    if (invariants.some((inv) => !inv.holds(s))) return null;
    firstWords.set(s, distinct * W);
    distinct++;
  }
  return { first, generated, distinct };
}

export async function explorePackedParallel(maxBallot: number, o: ParallelOptions, sizing: TableSizing = DEFAULT_SIZING): Promise<ParallelResult | null> {
  const t0 = performance.now();
  const n = o.workers;
  const checkInvariants = o.checkInvariants !== false;
  const ts: PackedTransitionSystem<number> = specPaxos(maxBallot);
  const invariants = checkInvariants ? (ts.invariants ?? []) : [];

  let table = SharedFpTable.withSlots(sizing.initialSlots);
  const init = packedInitials(ts, table, invariants);
  if (!init) return null;
  const first = init.first;
  let generated = init.generated;
  let distinct = init.distinct;
  let segments: SharedArrayBuffer[] = [first];
  let counts: number[] = [distinct];
  let depth = distinct > 0 ? 1 : 0;

  const setup: PackedWorkerSetup = { maxBallot, checkInvariants };
  const workers = Array.from({ length: n }, () => startThread(import.meta.url, './parallel-packed-worker', { workerData: setup }));
  const ctrlBuf = new SharedArrayBuffer(CTRL_WORDS * 4);
  const ctrl = new Int32Array(ctrlBuf);
  try {
    let levelSize = distinct;
    while (levelSize > 0) {
      // Room for the level's new states, guessed from its size; a wrong guess costs a redo.
      const reserve = sizing.reservePerState * levelSize;
      if (distinct + reserve / 2 > table.slots * MAX_LOAD) table = table.grown((distinct + reserve) / 0.5);
      let fresh = true;
      let replies: Extract<PackedFromWorker, { t: 'done' }>[];
      let levelGenerated: number;
      for (;;) {
        Atomics.store(ctrl, CTRL_INSERTS, 0);
        Atomics.store(ctrl, CTRL_STOP, 0);
        Atomics.store(ctrl, CTRL_CURSOR, 0);
        Atomics.store(ctrl, CTRL_LIMIT, Math.floor(table.slots * MAX_LOAD) - distinct);
        const m: LevelRequest = { t: 'level', table: table.buffer, ctrl: ctrlBuf, segments, counts, fresh };
        const pending = workers.map(reply);
        workers.forEach((w) => w.postMessage(m));
        const got = await untilStopped(Promise.all(pending), o.stop);
        if (got === STOPPED) return stoppedResult(distinct, generated, depth, t0, n);
        replies = got;
        levelGenerated = replies.reduce((s, r) => s + r.generated, 0);
        const inserted = Atomics.load(ctrl, CTRL_INSERTS);
        const stop = Atomics.load(ctrl, CTRL_STOP);
        if (stop & STOP_VIOLATION) return null;
        distinct += inserted;
        if (!(stop & STOP_FULL)) break;
        // The table filled up: grow it and expand the whole level again. The states already
        // inserted stay in their workers' segments and are now known, so nothing is lost or doubled.
        table = table.grown((2 * distinct) / MAX_LOAD);
        fresh = false;
      }
      generated += levelGenerated;
      segments = replies.flatMap((r) => r.segments);
      counts = replies.flatMap((r) => r.counts);
      levelSize = counts.reduce((s, c) => s + c, 0);
      if (levelSize > 0) depth++;
      o.onProgress?.({ distinctStates: distinct, generated, depth, queued: levelSize, wallMs: performance.now() - t0 });
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return completeResult(distinct, generated, depth, t0, n);
}

/** A search that exhausted the space. */
function completeResult(distinct: number, generated: number, depth: number, t0: number, workers: number): ParallelResult {
  const wallMs = performance.now() - t0;
  return { distinctStates: distinct, generated, depth, complete: true, stoppedBy: null, violation: null, wallMs, statesPerSec: wallMs > 0 ? Math.round((distinct * 1000) / wallMs) : 0, workers };
}

/** The counts of the levels done when Ctrl-C stopped the search. */
function stoppedResult(distinct: number, generated: number, depth: number, t0: number, workers: number): ParallelResult {
  const wallMs = performance.now() - t0;
  return { distinctStates: distinct, generated, depth, complete: false, stoppedBy: 'interrupted', violation: null, wallMs, statesPerSec: wallMs > 0 ? Math.round((distinct * 1000) / wallMs) : 0, workers };
}
