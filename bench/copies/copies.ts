// The ceiling of any parallel search on this machine: N independent copies of one search, each
// on its own worker thread, sharing nothing. No split of one search across N threads can beat
// the rate at which N unrelated copies run, so `ceiling` bounds what `--workers N` can give.
import type { Worker } from 'node:worker_threads';
import { startThread } from '../../src/scale/thread.js';

interface CopyDone {
  readonly distinctStates: number;
  readonly wallMs: number;
}

function message<T>(w: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    w.once('message', (m: T) => resolve(m));
    w.once('error', reject);
  });
}

/** Starts n copies, waits until all are loaded, then sets them off together; ends when all have. */
async function together(n: number): Promise<{ done: CopyDone[]; wallMs: number; cpuMs: number }> {
  const ws = Array.from({ length: n }, () => startThread(import.meta.url, './copy-thread'));
  await Promise.all(ws.map((w) => message<'ready'>(w)));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const running = ws.map((w) => message<CopyDone>(w));
  for (const w of ws) w.postMessage('go');
  const done = await Promise.all(running);
  const wallMs = performance.now() - t0;
  const used = process.cpuUsage(cpu0);
  await Promise.all(ws.map((w) => w.terminate()));
  return { done, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

export interface CopiesRow {
  readonly copies: number;
  readonly wallSec: number;
  /** CPU seconds of the whole process (every thread) while the copies ran. */
  readonly cpuSec: number;
  /** Distinct states of all copies per second of wall time. */
  readonly statesPerSec: number;
  /** statesPerSec over that of one copy alone. */
  readonly ceiling: number;
}

/** Runs 1, then each of `counts` copies at once; one row per count. */
export async function independentCopies(counts: readonly number[]): Promise<CopiesRow[]> {
  const rows: CopiesRow[] = [];
  let one = 0;
  for (const n of [1, ...counts.filter((c) => c > 1)]) {
    const { done, wallMs, cpuMs } = await together(n);
    const rate = (done.reduce((s, d) => s + d.distinctStates, 0) * 1000) / wallMs;
    if (n === 1) one = rate;
    rows.push({ copies: n, wallSec: +(wallMs / 1000).toFixed(2), cpuSec: +(cpuMs / 1000).toFixed(2), statesPerSec: Math.round(rate), ceiling: +(rate / one).toFixed(2) });
  }
  return rows;
}
