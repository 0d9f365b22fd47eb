// The default bound ladder on worker threads (`explore --workers N` with no bounds): each thread
// runs whole rung attempts, each the same sequential search (sleep sets, symmetry, coverage) the
// single-threaded ladder runs, so the attempts' counts are exactly its counts. Attempts are
// taken in schedule order (search/ladder.ts LadderBook): rung lines, the rung the ladder ends
// at and its counterexample do not depend on the number of threads; only wall time does.
//
// Lookahead: while earlier attempts run, idle threads start the next positions of the schedule
// whose rung has no earlier attempt still open (a smaller cap that may yet close the rung).
// When the ladder ends (a violation, a budget, Ctrl-C), attempts still running are stopped.

import { Worker } from 'node:worker_threads';
import type { StopFlag } from '../step/drive.js';
import type { ExploreProgress } from '../search/bfs.js';
import type { BudgetFlag } from '../search/budget.js';
import { MEMORY_FRACTION } from '../search/budget.js';
import type { FailureSink } from '../step/counterexample.js';
import type { ModuleRef } from '../protocols/index.js';
import type { LadderOptions } from '../search/ladder.js';
import { LadderBook } from '../search/ladder.js';
import type { RungSummary } from '../search/ladder.js';
import type { LadderAttempt, LadderOutcome } from './explore-runset.js';
import { ladderOutcome, ladderSkip } from './explore-runset.js';
import type { FromLadderThread, LadderJob, LadderThreadSetup, ToLadderThread } from './ladder-thread-protocol.js';
import { CANCEL_ALL } from './ladder-thread-protocol.js';

export type { LadderJob } from './ladder-thread-protocol.js';

export interface LadderThreadsOptions {
  readonly threads: number;
  /** Ctrl-C and the budgets, read by this thread; each attempt gets the time left and its share of memory. */
  readonly stop: StopFlag;
  readonly maxTimeMs: number;
  readonly maxMemoryMiB: number;
  readonly record?: FailureSink;
  readonly module?: ModuleRef | null;
  readonly onRung?: LadderOptions['onRung'];
  /** The attempt the ladder waits on, while it runs. */
  readonly onProgress?: (p: ExploreProgress) => void;
}

type Done = Extract<FromLadderThread, { t: 'done' }>;

/** How often this thread looks at Ctrl-C while the attempts run. */
const POLL_MS = 50;

class LadderThread {
  readonly worker: Worker;
  /** The schedule position it runs, or null when idle. */
  running: number | null = null;

  constructor(setup: LadderThreadSetup, memoryMiB: number, onReply: (t: LadderThread, m: FromLadderThread) => void, onFail: (err: Error) => void) {
    // Compiled: the thread's own module; from TypeScript sources: an entry that registers tsx first.
    const url = new URL(import.meta.url.endsWith('.ts') ? './ladder-thread-entry.mjs' : './ladder-thread.js', import.meta.url);
    this.worker = new Worker(url, { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: memoryMiB } });
    this.worker.on('message', (m: FromLadderThread) => onReply(this, m));
    this.worker.on('error', onFail);
  }

  start(m: ToLadderThread): void {
    this.running = m.p;
    this.worker.postMessage(m);
  }
}

/** The ladder with its attempts spread over `o.threads` worker threads. */
export async function ladderOnThreads(job: LadderJob, o: LadderThreadsOptions): Promise<LadderOutcome> {
  const book = new LadderBook<RungSummary>({ onRung: o.onRung, skip: ladderSkip(job) });
  const cancel = new Int32Array(new SharedArrayBuffer(4 * o.threads));
  const deadline = performance.now() + o.maxTimeMs;
  const share = Math.max(16, Math.floor(o.maxMemoryMiB / o.threads));
  const results = new Map<number, Done>();
  let failed: Error | null = null;
  let waitingOn = -1;
  let wake: (() => void) | null = null;
  const poke = (): void => {
    wake?.();
    wake = null;
  };
  const threads = Array.from({ length: o.threads }, (_, slot) => {
    const setup: LadderThreadSetup = { search: job, module: o.module ?? null, cancel: cancel.buffer as SharedArrayBuffer, slot, maxMemoryMiB: share };
    // The heap limit leaves the search its budget with room for the collector (budget.ts).
    return new LadderThread(setup, Math.ceil(share / MEMORY_FRACTION) + 64, (t, m) => {
      if (m.t === 'progress') {
        if (m.p === waitingOn) o.onProgress?.(m.progress);
        return;
      }
      t.running = null;
      if (m.t === 'error') failed ??= new Error(m.message);
      else results.set(m.p, m);
      poke();
    }, (err) => {
      failed ??= err;
      poke();
    });
  });
  const poll = setInterval(() => {
    // A spent budget is the threads' own to see (each has the time left and its memory share),
    // so that their summaries say which; Ctrl-C is passed on.
    if (o.stop.stopped && (o.stop as Partial<BudgetFlag>).reason == null) {
      for (let i = 0; i < threads.length; i++) Atomics.store(cancel, i, CANCEL_ALL);
      poke();
    }
  }, POLL_MS);
  try {
    const kept = await takeInOrder(book, threads, results, {
      deadline,
      waiting: (p) => (waitingOn = p),
      next: () => new Promise<void>((resolve) => (wake = resolve)),
      failed: () => failed,
      cancelOthers: () => threads.forEach((t, i) => t.running !== null && Atomics.store(cancel, i, t.running + 1)),
    });
    return withFailureFile(ladderOutcome(kept.last, kept.report), kept.failure, o.record);
  } finally {
    clearInterval(poll);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}

interface Waits {
  readonly deadline: number;
  readonly waiting: (p: number) => void;
  readonly next: () => Promise<void>;
  readonly failed: () => Error | null;
  readonly cancelOthers: () => void;
}

/** Starts attempts on idle threads ahead of the ladder, and takes their results in schedule order. */
async function takeInOrder(book: LadderBook<RungSummary>, threads: readonly LadderThread[], results: Map<number, Done>, w: Waits) {
  const started = new Set<number>();
  let last: LadderAttempt | null = null;
  let failure: Done['failure'] = null;
  for (let p = 0; p < book.schedule.length; ) {
    const err = w.failed();
    if (err) throw err;
    const n = book.need(p);
    if (n.k !== 'search') {
      if (n.k === 'skip') book.take(p, null);
      p++;
      continue;
    }
    launch(book, threads, started, p, w.deadline);
    w.waiting(p);
    const done = results.get(p);
    if (done === undefined) {
      await w.next();
      continue;
    }
    results.delete(p);
    last = done.attempt;
    failure = done.failure;
    if (book.take(p, done.attempt.summary)) {
      w.cancelOthers();
      return { last, failure, report: book.report(true) };
    }
    p++;
  }
  return { last, failure, report: book.report(false) };
}

/**
 * Hands positions from `from` on to idle threads: a position is started when its rung needs it
 * (not closed) and no earlier position of the same rung is still open.
 */
function launch(book: LadderBook<RungSummary>, threads: readonly LadderThread[], started: Set<number>, from: number, deadline: number): void {
  const open = new Set<number>();
  for (let q = from; q < book.schedule.length; q++) {
    const idle = threads.find((t) => t.running === null);
    if (idle === undefined) return;
    const n = book.need(q);
    if (n.k !== 'search') continue;
    if (!started.has(q) && !open.has(n.rung)) {
      started.add(q);
      idle.start({ t: 'attempt', p: q, bounds: n.bounds, cap: n.cap, timeLeftMs: deadline - performance.now() });
    }
    open.add(n.rung);
  }
}

/** The kept attempt's counterexample is written here, by the one thread that knows it is kept. */
function withFailureFile(r: LadderOutcome, failure: Done['failure'], record: FailureSink | undefined): LadderOutcome {
  const v = r.summary.firstViolation;
  if (!v || !failure || !record) return r;
  const file = record(failure);
  const runSet = r.runSet.firstViolation ? { ...r.runSet, firstViolation: { ...r.runSet.firstViolation, file } } : r.runSet;
  return { ...r, summary: { ...r.summary, firstViolation: { ...v, file } }, runSet };
}
