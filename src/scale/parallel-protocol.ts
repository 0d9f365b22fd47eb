// Messages between the coordinator of a multi-threaded BFS (parallel.ts) and its worker threads
// (parallel-worker.ts), and between workers. See parallel.ts for the algorithm.

import type { MessagePort } from 'node:worker_threads';
import type { Target } from '../search/target.js';

export interface WorkerSetup {
  readonly target: Target;
  readonly id: number;
  readonly workers: number;
  readonly checkInvariants: boolean;
}

/** Ranks are below 2³¹ and successor positions below 2²¹, so a key is an exact double. */
export const KEY_SHIFT = 2 ** 21;

export function packKey(parentRank: number, position: number): number {
  return parentRank * KEY_SHIFT + position;
}

export function keyParent(key: number): number {
  return Math.floor(key / KEY_SHIFT);
}

export function keyPosition(key: number): number {
  return key % KEY_SHIFT;
}

/** Coordinator → worker. */
export type ToWorker =
  /** Peer ports (null at the worker's own index) and the initial states it owns, by index, in rank order. */
  | { readonly t: 'init'; readonly ports: readonly (MessagePort | null)[]; readonly initials: Int32Array }
  /** Expand the current level and route the successors. */
  | { readonly t: 'expand'; readonly round: number }
  /** Global ranks of the states the worker reported in its last `expanded`, in that order: they become the current level. */
  | { readonly t: 'ranks'; readonly ranks: Int32Array }
  /** Expand the states of the current (bound) level ranked below `toRank`; report successors no worker has. */
  | { readonly t: 'bound'; readonly round: number; readonly toRank: number }
  /** Total out-degree of the current level's states ranked below `rank`. */
  | { readonly t: 'sum'; readonly rank: number }
  /** The parent of a state, to rebuild a counterexample. */
  | { readonly t: 'parent'; readonly local: number };

/** Worker → coordinator. */
export type FromWorker =
  | {
      readonly t: 'expanded';
      readonly round: number;
      /** Keys (packKey(parent rank, successor position)) of the new states, ascending. */
      readonly keys: Float64Array;
      /** Positions (in `keys`) and local indices of new states that violate an invariant, and its name. */
      readonly violating: Int32Array;
      readonly violatingLocal: Int32Array;
      readonly names: readonly string[];
      /** Successors generated while expanding the level. */
      readonly generated: number;
    }
  | { readonly t: 'bounded'; readonly round: number; readonly minKey: number; readonly generated: number }
  | { readonly t: 'sum'; readonly value: number }
  /** owner -1: an initial state, `action` its index. */
  | { readonly t: 'parent'; readonly owner: number; readonly local: number; readonly action: number }
  | { readonly t: 'error'; readonly message: string };

/** Worker → worker: successors of one round, in the sender's expansion order. */
export interface Batch {
  readonly t: 'batch';
  readonly round: number;
  readonly n: number;
  /** hi, lo per successor. */
  readonly fps: Int32Array;
  /** Parent rank, 1-based position among the parent's generated successors. */
  readonly keys: Int32Array;
  /** Parent's local index at the sender, action index (absent in bound rounds). */
  readonly parents?: Int32Array;
  /** Packed systems: the successors' words. */
  readonly words?: Int32Array;
  /**
   * Other systems: successors stay with the sender until the owner asks for the new ones
   * (`want`): copying a state between threads costs more than generating it. Entry i is the
   * sender's held successor `first + i`; `bad` is 1 + the index of an invariant it violates, or 0.
   */
  readonly first?: number;
  readonly bad?: Int32Array;
}

export interface RoundEnd {
  readonly t: 'end';
  readonly round: number;
}

/** The held successors (by index) an owner keeps as new states, and the states sent back. */
export interface Want {
  readonly t: 'want';
  readonly round: number;
  readonly refs: Int32Array;
}

export interface Have {
  readonly t: 'have';
  readonly round: number;
  readonly states: readonly unknown[];
}

export type PeerMessage = Batch | RoundEnd | Want | Have;
