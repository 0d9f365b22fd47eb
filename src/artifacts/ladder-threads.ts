// The default bound ladder on worker threads (`explore --workers N` with no bounds): each thread
// runs whole rung attempts, each the same sequential search (sleep sets, symmetry, coverage) the
// single-threaded ladder runs, so the attempts' counts are exactly its counts. Attempts are
// taken in schedule order (search/ladder.ts LadderBook): rung lines, the rung the ladder ends
// at and its counterexample do not depend on the number of threads; only wall time does.
//
// Lookahead: while earlier attempts run, idle threads start the next positions of the schedule
// whose rung has no earlier attempt still open (a smaller cap that may yet close the rung).
// When the ladder ends (a violation, a budget, Ctrl-C), attempts still running are stopped.

import type { Worker } from 'node:worker_threads';
import { startThread } from '../scale/thread.js';
import type { StopFlag } from '../step/drive.js';
import type { ExploreProgress } from '../search/bfs.js';
import type { BudgetFlag } from '../search/budget.js';
import { MEMORY_FRACTION } from '../search/budget.js';
import type { FailureSink } from '../step/counterexample.js';
import type { ModuleRef } from '../protocols/index.js';
import type { ReachCounter } from '../coverage/reach.js';
import type { LadderOptions, LadderReport } from '../search/ladder.js';
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
  /**
   * Given, each attempt the ladder takes adds the steps that reached each `sometimes` to it:
   * the attempts a single-threaded ladder runs, so the sums are its sums.
   */
  readonly reach?: ReachCounter;
}

type Done = Extract<FromLadderThread, { t: 'done' }>;

/** How often this thread looks at Ctrl-C while the attempts run. */
const POLL_MS = 50;

class LadderThread {
  readonly worker: Worker;
  /** The schedule position it runs, or null when idle. */
  running: number | null = null;

  constructor(setup: LadderThreadSetup, memoryMiB: number, onReply: (t: LadderThread, m: FromLadderThread) => void, onFail: (err: Error) => void) {
    this.worker = startThread(import.meta.url, './ladder-thread', { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: memoryMiB } });
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
  const ladder = new ThreadedLadder(job, o);
  const poll = setInterval(() => ladder.pollStop(), POLL_MS);
  try {
    const kept = await ladder.run();
    return withFailureFile(ladderOutcome(kept.last, kept.report), kept.failure, o.record);
  } finally {
    clearInterval(poll);
    await ladder.close();
  }
}

/** One ladder's threads, the attempts they have finished, and the order they are taken in. */
class ThreadedLadder {
  private readonly book: LadderBook<RungSummary>;
  private readonly cancel: Int32Array;
  private readonly deadline: number;
  private readonly threads: readonly LadderThread[];
  /** Finished attempts not yet taken, by schedule position. */
  private readonly results = new Map<number, Done>();
  private readonly started = new Set<number>();
  private failed: Error | null = null;
  /** The position the ladder takes next: the only attempt whose progress is shown. */
  private waitingOn = -1;
  private wake: (() => void) | null = null;

  constructor(
    job: LadderJob,
    private readonly o: LadderThreadsOptions,
  ) {
    this.book = new LadderBook<RungSummary>({ onRung: o.onRung, skip: ladderSkip(job) });
    this.cancel = new Int32Array(new SharedArrayBuffer(4 * o.threads));
    this.deadline = performance.now() + o.maxTimeMs;
    const share = Math.max(16, Math.floor(o.maxMemoryMiB / o.threads));
    this.threads = Array.from({ length: o.threads }, (_, slot) => {
      const setup: LadderThreadSetup = { search: job, module: o.module ?? null, cancel: this.cancel.buffer as SharedArrayBuffer, slot, maxMemoryMiB: share, reach: o.reach !== undefined };
      // The heap limit leaves the search its budget with room for the collector (budget.ts).
      return new LadderThread(setup, Math.ceil(share / MEMORY_FRACTION) + 64, (t, m) => this.onReply(t, m), (err) => this.fail(err));
    });
  }

  /** Takes the attempts in schedule order, starting them on idle threads ahead of the ladder. */
  async run(): Promise<{ readonly last: LadderAttempt | null; readonly failure: Done['failure']; readonly report: LadderReport }> {
    let last: LadderAttempt | null = null;
    let failure: Done['failure'] = null;
    for (let p = 0; p < this.book.schedule.length; ) {
      if (this.failed) throw this.failed;
      const n = this.book.need(p);
      if (n.k !== 'search') {
        if (n.k === 'skip') this.book.take(p, null);
        p++;
        continue;
      }
      this.launch(p);
      this.waitingOn = p;
      const done = this.results.get(p);
      if (done === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      this.results.delete(p);
      last = done.attempt;
      failure = done.failure;
      this.o.reach?.add(done.reach);
      if (this.book.take(p, done.attempt.summary)) {
        this.threads.forEach((t, i) => t.running !== null && Atomics.store(this.cancel, i, t.running + 1));
        return { last, failure, report: this.book.report(true) };
      }
      p++;
    }
    return { last, failure, report: this.book.report(false) };
  }

  /** Ctrl-C is passed on; a spent budget is the threads' own to see, so their summaries say which. */
  pollStop(): void {
    if (!this.o.stop.stopped || (this.o.stop as Partial<BudgetFlag>).reason != null) return;
    for (let i = 0; i < this.threads.length; i++) Atomics.store(this.cancel, i, CANCEL_ALL);
    this.poke();
  }

  close(): Promise<unknown> {
    return Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  /**
   * Hands positions from `from` on to idle threads: a position is started when its rung needs it
   * (not closed) and no earlier position of the same rung is still open.
   */
  private launch(from: number): void {
    const open = new Set<number>();
    for (let q = from; q < this.book.schedule.length; q++) {
      const idle = this.threads.find((t) => t.running === null);
      if (idle === undefined) return;
      const n = this.book.need(q);
      if (n.k !== 'search') continue;
      if (!this.started.has(q) && !open.has(n.rung)) {
        this.started.add(q);
        idle.start({ t: 'attempt', p: q, bounds: n.bounds, cap: n.cap, timeLeftMs: this.deadline - performance.now() });
      }
      open.add(n.rung);
    }
  }

  private onReply(t: LadderThread, m: FromLadderThread): void {
    if (m.t === 'progress') {
      if (m.p === this.waitingOn) this.o.onProgress?.(m.progress);
      return;
    }
    t.running = null;
    if (m.t === 'error') this.fail(new Error(m.message));
    else {
      this.results.set(m.p, m);
      this.poke();
    }
  }

  private fail(err: Error): void {
    this.failed ??= err;
    this.poke();
  }

  private poke(): void {
    this.wake?.();
    this.wake = null;
  }
}

/**
 * The kept attempt's counterexample is written here, by the one thread that knows it is kept;
 * with nowhere to write it, the summary names no file, as a single-threaded search's does.
 */
function withFailureFile(r: LadderOutcome, failure: Done['failure'], record: FailureSink | undefined): LadderOutcome {
  const v = r.summary.firstViolation;
  if (!v || !failure) return r;
  const file = record ? record(failure) : null;
  const runSet = r.runSet.firstViolation ? { ...r.runSet, firstViolation: { ...r.runSet.firstViolation, file } } : r.runSet;
  return { ...r, summary: { ...r.summary, firstViolation: { ...v, file } }, runSet };
}
