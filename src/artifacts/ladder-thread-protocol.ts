// Messages between the threaded bound ladder (ladder-threads.ts) and its threads (ladder-thread.ts).

import type { Bounds } from '../search/bounds.js';
import type { ExploreProgress } from '../search/bfs.js';
import type { ModuleRef } from '../protocols/index.js';
import type { Counterexample } from '../step/counterexample.js';
import type { Reached } from '../coverage/reach.js';
import type { LadderAttempt, UnboundedSearch } from './explore-runset.js';

/** What every attempt of one ladder shares: plain data, rebuilt in each thread. */
export type LadderJob = Omit<UnboundedSearch, 'stop' | 'record' | 'onProgress' | 'progressEvery'>;

export interface LadderThreadSetup {
  readonly search: LadderJob;
  readonly module: ModuleRef | null;
  /** Int32 per thread: the attempt (schedule position + 1) to stop, or CANCEL_ALL. */
  readonly cancel: SharedArrayBuffer;
  readonly slot: number;
  readonly maxMemoryMiB: number;
  /** Count the steps reaching each `sometimes` of the system (the API's check reports them). */
  readonly reach: boolean;
}

export const CANCEL_ALL = -1;

/** Set on a ladder thread's global object: the API refuses to start threads from one. */
export const IN_LADDER_THREAD = Symbol.for('paxcheck.ladder-thread');

export const inLadderThread = (): boolean => (globalThis as Record<symbol, unknown>)[IN_LADDER_THREAD] === true;

export type ToLadderThread = { readonly t: 'attempt'; readonly p: number; readonly bounds: Bounds; readonly cap: number | null; readonly timeLeftMs: number };

export type FromLadderThread =
  /** An attempt under way: its progress, as the single-threaded search reports it. */
  | { readonly t: 'progress'; readonly p: number; readonly progress: ExploreProgress }
  | { readonly t: 'done'; readonly p: number; readonly attempt: LadderAttempt; readonly failure: Counterexample | null; readonly reach: readonly Reached[] }
  | { readonly t: 'error'; readonly p: number; readonly message: string };
