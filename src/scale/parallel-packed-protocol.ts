// Messages between the coordinator of the shared-table parallel BFS for packed systems
// (parallel-packed.ts) and its worker threads (parallel-packed-worker.ts).

export interface PackedWorkerSetup {
  readonly maxBallot: number;
  readonly checkInvariants: boolean;
}

/** Words of the shared control array. */
export const CTRL_INSERTS = 0;
export const CTRL_STOP = 1;
export const CTRL_LIMIT = 2;
export const CTRL_CURSOR = 3;
export const CTRL_WORDS = 4;

/** Bits of CTRL_STOP: why the workers abandoned the level. */
export const STOP_FULL = 1;
export const STOP_VIOLATION = 2;

/** States per segment of a level's state buffer. */
export const SEGMENT_STATES = 1 << 14;

/**
 * Expand one level. `fresh` is false when the level is being redone after the table grew: the
 * worker then keeps the states it already appended (they are in the table, so it will not
 * append them again) and recounts its generated successors from zero.
 */
export interface LevelRequest {
  readonly t: 'level';
  readonly table: SharedArrayBuffer;
  readonly ctrl: SharedArrayBuffer;
  readonly segments: readonly SharedArrayBuffer[];
  readonly counts: readonly number[];
  readonly fresh: boolean;
}

export type PackedFromWorker =
  | { readonly t: 'done'; readonly segments: SharedArrayBuffer[]; readonly counts: number[]; readonly generated: number }
  | { readonly t: 'error'; readonly message: string };
