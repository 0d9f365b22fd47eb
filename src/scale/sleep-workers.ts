// The sleep-set search (search/reduce/sleep.ts) on several threads, with exactly its counts.
//
// One thread runs the search itself: the visited set, the sleep sets, the queue, the order in
// which states are taken. That bookkeeping is a small part of a step; expanding a state (its
// actions, successors, canonical fingerprints, event keys, invariants) is most of it, and it
// reads nothing but the state and its sleep set. So the search sends first expansions ahead of
// their turn to helper threads, and when their turn comes applies the helper's answer exactly as
// it would its own expansion. It expands a state itself when no helper had room for it, when its
// sleep set shrank after it was sent, or when the answer is not in yet (the helper is then told
// to drop it). Which thread expanded what changes nothing the search reports.
//
// The fingerprint-owned split of parallel.ts cannot do this: sleep sets depend on the order of
// the whole search, which no split preserves, so it searches without them (several times the
// transitions) and clones states between threads. It remains for depth-bounded searches.

import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { CodecParts, StateCodec } from '../kernel/model.js';
import type { HelperExpansion, HelperStep, SleepHelper } from '../search/reduce/sleep.js';
import { exploreWithSleepSetsSteps } from '../search/reduce/sleep.js';
import type { KernelTarget } from '../search/target.js';
import { buildSleepTarget } from '../search/target.js';
import { runAsync } from '../step/drive.js';
import { PartsIn, PartsOut } from './part-link.js';
import type { ParallelOptions, ParallelResult } from './parallel-options.js';
import type { HelperMessage, HelperSetup } from './sleep-helper-protocol.js';
import { CONTROL_CELLS, DROP_BELOW, EXPANDING, FINISHED, KNOWN, POSTED } from './sleep-helper-protocol.js';
import { startThread } from './thread.js';

/** How long the search waits for the answer its helper is computing right now before expanding the state itself. */
const WAIT_MS = 2;
/** Jobs gathered before they are posted, unless the helper is about to run dry. */
const SEND_EVERY = 16;

/** One helper thread, as the search sees it: the jobs sent to it and its answers. */
class HelperThread {
  readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly control: Int32Array;
  private readonly out: PartsOut;
  private readonly in: PartsIn;
  private jobs: number[] = [];
  private jobCount = 0;
  private readonly answers = new Map<number, HelperExpansion>();
  /** Jobs sent; the helper counts those it has finished (control[FINISHED]): the difference is what it has yet to do. */
  private sent = 0;
  failure: Error | null = null;

  constructor(setup: Omit<HelperSetup, 'control'>, parts: CodecParts, memoryMiB: number | undefined) {
    const ch = new MessageChannel();
    this.port = ch.port1;
    const control = new SharedArrayBuffer(4 * CONTROL_CELLS);
    this.control = new Int32Array(control);
    this.control[EXPANDING] = -1;
    const workerData = { setup: { ...setup, control }, port: ch.port2 };
    this.worker = startThread(import.meta.url, './sleep-helper', { workerData, transferList: [ch.port2], ...(memoryMiB !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: memoryMiB } } : {}) });
    this.worker.on('error', (e) => (this.failure ??= e));
    this.out = new PartsOut(parts);
    this.in = new PartsIn(parts);
  }

  get backlog(): number {
    return this.sent - Atomics.load(this.control, FINISHED);
  }

  send(ticket: number, words: readonly number[], from: number, sleep: readonly number[]): void {
    const j = this.jobs;
    j.push(ticket, sleep.length, ...sleep);
    const at = j.length;
    for (let i = from; i < words.length; i++) j.push(words[i] as number);
    this.out.note(j, at);
    this.jobCount++;
    this.sent++;
  }

  flush(): void {
    // A helper with little left to do gets what there is at once; otherwise jobs go in batches.
    if (this.jobCount === 0 || (this.jobCount < SEND_EVERY && this.backlog - this.jobCount > SEND_EVERY)) return;
    this.port.postMessage({ fresh: this.out.takeFresh(), data: this.jobs } satisfies HelperMessage);
    this.jobs = [];
    this.jobCount = 0;
  }

  /** The answer for `ticket` (the oldest this thread has open), or null after telling the helper to drop it. */
  take(ticket: number): HelperExpansion | null {
    this.drain();
    // The helper is on it now: its answer is a moment away, nearer than a whole expansion here.
    for (let waited = 0; !this.answers.has(ticket) && waited < WAIT_MS && Atomics.load(this.control, EXPANDING) === ticket; waited++) {
      Atomics.wait(this.control, POSTED, Atomics.load(this.control, POSTED), 1);
      this.drain();
    }
    const x = this.answers.get(ticket);
    if (x !== undefined) {
      this.answers.delete(ticket);
      return x;
    }
    Atomics.store(this.control, DROP_BELOW, ticket + 1);
    return null;
  }

  private drain(): void {
    if (this.failure) throw this.failure;
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
      const msg = m.message as HelperMessage | { error: string };
      if ('error' in msg) throw new Error(`explore helper thread: ${msg.error}`);
      this.read(msg);
    }
  }

  /** Takes in one message of answers, translating successors' words into this thread's part ids. */
  private read(m: HelperMessage): void {
    this.in.learn(m.fresh);
    const d = m.data;
    const floor = Atomics.load(this.control, DROP_BELOW);
    for (let at = 0; at < d.length; ) {
      const ticket = d[at++] as number;
      const enabled = d[at++] as number;
      const n = d[at++] as number;
      const steps: HelperStep[] = [];
      for (let k = 0; k < n; k++) {
        const action = d[at] as number;
        const hi = d[at + 1] as number;
        const lo = d[at + 2] as number;
        const bad = d[at + 3] as number;
        const ns = d[at + 4] as number;
        const sleep = d.slice(at + 5, at + 5 + ns);
        const from = at + 5 + ns;
        at = bad === KNOWN ? from : this.in.translate(d, from);
        steps.push({ action, hi, lo, bad, sleep, words: bad === KNOWN ? null : d.slice(from, at) });
      }
      if (ticket >= floor) this.answers.set(ticket, { enabled, steps });
    }
  }
}

/** The helper threads behind one search, taking jobs in turn. */
class Helpers implements SleepHelper {
  private next = 0;
  private readonly owner = new Map<number, HelperThread>();

  constructor(readonly threads: readonly HelperThread[]) {}

  get backlog(): number {
    let least = Infinity;
    for (const t of this.threads) least = Math.min(least, t.backlog);
    return least;
  }

  send(words: readonly number[], from: number, sleep: readonly number[]): number {
    let t = this.threads[0] as HelperThread;
    for (const u of this.threads) if (u.backlog < t.backlog) t = u;
    const ticket = this.next++;
    this.owner.set(ticket, t);
    t.send(ticket, words, from, sleep);
    return ticket;
  }

  flush(): void {
    for (const t of this.threads) t.flush();
  }

  take(ticket: number): HelperExpansion | null {
    const t = this.owner.get(ticket) as HelperThread;
    this.owner.delete(ticket);
    return t.take(ticket);
  }
}

/** The default (sleep-set) search of a kernel target, on `o.workers` threads: this one and `o.workers - 1` helpers. */
export async function exploreSleepWorkers(target: KernelTarget, o: ParallelOptions): Promise<ParallelResult> {
  const ts = buildSleepTarget(target);
  const parts = (ts.codec as StateCodec<unknown> | undefined)?.parts;
  if (parts === undefined) throw new Error(`${ts.name}: a sleep-set search on threads needs compact states with a part table`);
  const setup = { target, checkInvariants: o.checkInvariants !== false };
  const threads = Array.from({ length: Math.max(1, o.workers - 1) }, () => new HelperThread(setup, parts, o.workerMemoryMiB));
  try {
    const r = await runAsync(exploreWithSleepSetsSteps(ts, { strategy: 'bfs', maxStates: o.maxStates, stop: o.stop, checkInvariants: o.checkInvariants, onProgress: o.onProgress, progressEvery: 20_000 }, new Helpers(threads)));
    const v = r.violation;
    return {
      distinctStates: r.distinctStates,
      generated: r.generated,
      depth: r.depth,
      complete: r.complete,
      stoppedBy: r.stoppedBy,
      violation: v && r.violationChoices ? { name: v.name, ...r.violationChoices } : null,
      wallMs: r.wallMs,
      statesPerSec: r.statesPerSec,
      workers: o.workers,
    };
  } finally {
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}
