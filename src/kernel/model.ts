// The generic interface the systematic explorers (BFS/DFS) work over, in the style of
// Stateright's `Model`: a transition system given by its initial states, the action instances
// enabled in a state, and a successor function. Two kinds of system implement it:
//
// - spec-level models (src/protocols/spec-paxos): S is a packed Int32Array, A a small integer;
// - the kernel world: S = World (or a wrapper carrying run history such as decisions), A = Event,
//   actions = kernel `enabled`, next = kernel `step(...).world`, fingerprint = kernel `fingerprint`.
//
// The engine never looks inside S or A: it hashes states through `fingerprint`, stores action
// *indices* (positions in the `actions` output) for counterexample reconstruction, and replays
// them from the initial states when it needs the path. `actions` must therefore be deterministic.

import type { Hash64 } from './hash.js';

/** A state predicate that must hold in every reachable state. */
export interface Invariant<S> {
  readonly name: string;
  holds(s: S): boolean;
}

/** The index of the first invariant `s` violates, or -1. */
export function firstFailing<S>(invariants: readonly Invariant<S>[], s: S): number {
  for (let i = 0; i < invariants.length; i++) if (!(invariants[i] as Invariant<S>).holds(s)) return i;
  return -1;
}

export interface TransitionSystem<S, A> {
  readonly name: string;
  /** The initial states (TLC: the states satisfying Init), in a fixed order. */
  initial(): readonly S[];
  /**
   * Appends to `out` every action instance enabled in `s`, in a fixed order. Each entry yields
   * one successor, so a spec's ∃-quantified witnesses are separate entries and instances that
   * leave the state unchanged (stuttering) are listed too: the explorer's `generated` count then
   * equals TLC's "states generated".
   */
  actions(s: S, out: A[]): void;
  /** The successor of `s` under `a`, or null when `a` is not enabled in `s`. Never mutates `s`. */
  next(s: S, a: A): S | null;
  /** Canonical 64-bit fingerprint: equal states give equal fingerprints. */
  fingerprint(s: S): Hash64;
  /** Checked on every distinct state (initial states included) as it is first reached. */
  readonly invariants?: readonly Invariant<S>[];
  describe(a: A): string;
  /** A readable rendering of a state, for traces. */
  show?(s: S): string;
  /** What partial-order reduction needs to know of the actions; absent: no reduction. */
  readonly partialOrder?: PartialOrder<S, A>;
  /** A compact form for the states the explorer keeps queued; absent: it keeps the objects. */
  readonly codec?: StateCodec<S>;
}

/**
 * States as lists of non-negative integers, for a frontier that holds millions of them: the
 * explorer stores the integers (as varints) and decodes a state when it expands it. decode must
 * return a state with the same fingerprint, actions and successors as the one encoded.
 */
export interface StateCodec<S> {
  /**
   * Writes the state's words into `out` from position `at` on and returns the position after
   * them. Written by position, not pushed: an array emptied by `length = 0` gives up its storage,
   * and pushing then grows a new one for every state.
   */
  encode(s: S, out: number[], at: number): number;
  /** The state whose words start at `from` in `words`. */
  decode(words: readonly number[], from: number): S;
  /**
   * Present when words are ids in a table of parts private to this codec: another thread's codec
   * numbers the same parts differently, so words cross threads with their ids translated.
   */
  readonly parts?: CodecParts;
}

/** The part table behind a codec's words (see StateCodec.parts). */
export interface CodecParts {
  /** Calls `f` with each position of the state at `from` that holds a part id; returns the end. */
  idsAt(words: readonly number[], from: number, f: (at: number) => void): number;
  /** The part an id stands for. */
  part(id: number): unknown;
  /** The id of a part (equal parts, by content, get one id). */
  id(part: unknown): number;
}

/**
 * Independence of actions, for sleep sets. Two actions of a state are independent when their
 * footprints are disjoint: executing one leaves the other enabled and both orders reach states
 * with the same fingerprint.
 */
export interface PartialOrder<S, A> {
  /**
   * What `a` reads or writes in `s`, as non-negative numbers (nodes, budgets, …); -1 stands for
   * everything. Numbers must mean the same along a path, where a sleeping action is compared with
   * the actions taken after it.
   */
  footprint(s: S, a: A): readonly number[];
  /**
   * A name of action `a` in `s` that does not depend on the path to `s`: every state with the
   * fingerprint of `s` names its actions alike, and actions of one state with the same name have
   * successors with the same fingerprint.
   */
  key(s: S, a: A): number;
  /** True when the step `s` → `t` moved a search bound (e.g. a new ballot): sleeping actions wake. */
  resets?(s: S, t: S): boolean;
  /** True when a search bound cuts `t` off: it gets no successors although the system would. */
  cut?(t: S): boolean;
}

/**
 * Optional fast path for systems whose states are fixed-width Int32 vectors. The explorer then
 * computes each successor into a scratch vector, fingerprints it there, and copies only new
 * states into flat storage: no allocation per generated state.
 */
export interface PackedTransitionSystem<A> extends TransitionSystem<Int32Array, A> {
  /** Int32 words per state; every state has exactly this length. */
  readonly width: number;
  /** Writes the successor of `s` under `a` into `out`; false (out undefined) when `a` is not enabled. */
  nextInto(s: Int32Array, a: A, out: Int32Array): boolean;
}

export function isPacked<S, A>(ts: TransitionSystem<S, A>): ts is TransitionSystem<S, A> & PackedTransitionSystem<A> {
  const p = ts as Partial<PackedTransitionSystem<A>>;
  return typeof p.width === 'number' && typeof p.nextInto === 'function';
}

/** Actions with these footprints commute: disjoint, and neither touches everything. */
export function independent(a: readonly number[], b: readonly number[]): boolean {
  if (a.includes(-1) || b.includes(-1)) return false;
  return !a.some((x) => b.includes(x));
}
