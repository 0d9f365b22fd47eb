// What a multi-threaded BFS is asked and what it reports (parallel.ts, parallel-packed.ts).

import type { ExploreProgress } from '../search/bfs.js';
import type { ShardViolation } from './shard.js';

export interface ParallelOptions {
  readonly workers: number;
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly checkInvariants?: boolean;
  /** Called after every level. */
  readonly onProgress?: (p: ExploreProgress) => void;
}

export interface ParallelResult {
  readonly distinctStates: number;
  readonly generated: number;
  readonly depth: number;
  readonly complete: boolean;
  readonly stoppedBy: 'violation' | 'maxDepth' | 'maxStates' | null;
  readonly violation: ShardViolation | null;
  readonly wallMs: number;
  readonly statesPerSec: number;
  readonly workers: number;
}
