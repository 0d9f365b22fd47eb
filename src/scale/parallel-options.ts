// What a multi-threaded BFS is asked and what it reports (parallel.ts, parallel-packed.ts).

import type { ExploreProgress } from '../search/bfs.js';
import type { ShardViolation } from './shard.js';
import type { StopFlag } from '../step/drive.js';

/** What untilStopped() resolves to when the stop flag came up first. */
export const STOPPED: unique symbol = Symbol('stopped');

/**
 * `p`, or STOPPED as soon as `stop` is up (polled every 20 ms): the coordinator waits on worker
 * replies with the event loop free, so Ctrl-C sets the flag while a level is being expanded.
 */
export function untilStopped<T>(p: Promise<T>, stop: StopFlag | undefined): Promise<T | typeof STOPPED> {
  if (!stop) return p;
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopped = new Promise<typeof STOPPED>((resolve) => {
    timer = setInterval(() => {
      if (stop.stopped) resolve(STOPPED);
    }, 20);
  });
  return Promise.race([p, stopped]).finally(() => clearInterval(timer));
}

export interface ParallelOptions {
  readonly workers: number;
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly checkInvariants?: boolean;
  /** Called after every level. */
  readonly onProgress?: (p: ExploreProgress) => void;
  /** Polled while the workers expand a level: once up, the search ends with the levels done so far. */
  readonly stop?: StopFlag;
  /**
   * Old-generation heap each worker thread may use (V8 resourceLimits). A worker that reaches it
   * ends the search as `stoppedBy: 'memory'` with the levels done so far, instead of the process
   * dying of heap exhaustion.
   */
  readonly workerMemoryMiB?: number;
}

export interface ParallelResult {
  readonly distinctStates: number;
  readonly generated: number;
  readonly depth: number;
  readonly complete: boolean;
  readonly stoppedBy: 'violation' | 'maxDepth' | 'maxStates' | 'interrupted' | 'memory' | null;
  readonly violation: ShardViolation | null;
  readonly wallMs: number;
  readonly statesPerSec: number;
  readonly workers: number;
}
