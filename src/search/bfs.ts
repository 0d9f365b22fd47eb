// Systematic exploration of a TransitionSystem: breadth-first (shortest counterexamples) or
// depth-first, over a visited set of 64-bit fingerprints (TLC-style: states are identified by
// fingerprint only, so a fingerprint collision — odds about n²/2⁶⁵ — could hide a state).
//
// Counting follows TLC so its published numbers can be compared:
// - distinctStates: distinct fingerprints reached ("distinct states found");
// - generated: initial states plus every successor computed, duplicates and stuttering steps
//   included ("states generated");
// - depth: the number of states on the longest shortest path from an initial state, initial
//   states counting 1 ("the depth of the complete state graph search"); for DFS, the largest
//   number of states on a discovery path.

import type { Invariant, PackedTransitionSystem, StateCodec, TransitionSystem } from '../kernel/model.js';
import { isPacked } from '../kernel/model.js';
import { VisitedSet } from './visited.js';
import { CompactQueue, CompactStack } from './compact/frontier.js';
import type { StopFlag, Steps } from '../step/drive.js';
import { runSync } from '../step/drive.js';

export type Strategy = 'bfs' | 'dfs';

export interface ExploreProgress {
  readonly distinctStates: number;
  readonly generated: number;
  readonly depth: number;
  /** States discovered but not yet expanded. */
  readonly queued: number;
  readonly wallMs: number;
}

export interface ExploreOptions {
  readonly strategy?: Strategy;
  /**
   * Largest number of states on an explored path (initial states are depth 1): states at this
   * depth are expanded only to learn whether anything lies beyond, which makes the run
   * incomplete.
   */
  readonly maxDepth?: number;
  /** Stop (incomplete) when this many distinct states have been found and another new one appears. */
  readonly maxStates?: number;
  /** Check the system's invariants on every new state (default true). */
  readonly checkInvariants?: boolean;
  /** Called about every `progressEvery` expanded states (default 250 000), and at the end. */
  readonly onProgress?: (p: ExploreProgress) => void;
  readonly progressEvery?: number;
  /** Sizing hint for the visited set. */
  readonly expectedStates?: number;
  /**
   * Called for every new state as it is added: its id (discovery order), fingerprint, the id of
   * the state it was reached from (-1 for an initial state) and the action's index in that
   * state's `actions` list (for an initial state, its index among them). Shards record the
   * explored graph through it.
   */
  readonly onDiscover?: (id: number, hi: number, lo: number, parent: number, action: number) => void;
  /** Read at step boundaries (every few dozen expanded states): once up, the search ends, incomplete. */
  readonly stop?: StopFlag;
  /** Keep queued states in the system's compact form when it has one (default true). */
  readonly compact?: boolean;
}

export interface Violation<A> {
  /** The invariant that failed. */
  readonly name: string;
  /** Actions from the initial state `initialIndex` to the violating state. */
  readonly path: readonly A[];
  /** `describe` of each action in `path`. */
  readonly steps: readonly string[];
  readonly initialIndex: number;
  /** `show` of every state on the path (initial first) when the system can render states. */
  readonly states?: readonly string[];
}

export interface ExploreResult<A> {
  readonly system: string;
  readonly strategy: Strategy;
  readonly distinctStates: number;
  readonly generated: number;
  readonly depth: number;
  /** True when every reachable state was explored: no bound cut the search and no violation stopped it. */
  readonly complete: boolean;
  /** Why the search ended early, if it did ('interrupted' also when a budget flag came up: see budget.ts). */
  readonly stoppedBy: 'violation' | 'maxDepth' | 'maxStates' | 'interrupted' | null;
  /** States discovered but never expanded when the search ended (0 when complete). */
  readonly queued: number;
  readonly violation?: Violation<A>;
  readonly wallMs: number;
  readonly statesPerSec: number;
  /** Visited-set bytes per distinct state (table + parent + action), slack included. */
  readonly bytesPerState: number;
  /** Fingerprint-table bytes per distinct state, slack included. */
  readonly tableBytesPerState: number;
}

/** The codec queued states are kept in, if the system has one and the options allow it. */
export function codecFor<S>(ts: TransitionSystem<S, unknown>, opts: ExploreOptions): StateCodec<S> | undefined {
  return opts.compact === false ? undefined : ts.codec;
}

interface Fifo<T> {
  readonly length: number;
  push(x: T): void;
  shift(): T;
}

/** A FIFO in fixed-size chunks; consumed chunks are dropped so only the frontier stays alive. */
class ChunkQueue<T> implements Fifo<T> {
  private static readonly SIZE = 8192;
  private chunks: (T | undefined)[][] = [];
  private first = 0;
  private headChunk = 0;
  private head = 0;
  private tail = 0;
  private len = 0;

  get length(): number {
    return this.len;
  }

  push(x: T): void {
    let c = this.chunks[this.chunks.length - 1];
    if (c === undefined || this.tail === ChunkQueue.SIZE) {
      c = new Array<T | undefined>(ChunkQueue.SIZE);
      this.chunks.push(c);
      this.tail = 0;
    }
    c[this.tail++] = x;
    this.len++;
  }

  shift(): T {
    if (this.len === 0) throw new Error('empty queue');
    const c = this.chunks[this.headChunk - this.first] as (T | undefined)[];
    const x = c[this.head] as T;
    c[this.head] = undefined;
    this.len--;
    if (++this.head === ChunkQueue.SIZE) {
      this.head = 0;
      this.headChunk++;
      if (this.headChunk - this.first > 64) {
        this.chunks = this.chunks.slice(this.headChunk - this.first);
        this.first = this.headChunk;
      }
    }
    return x;
  }
}

/** A FIFO of fixed-width Int32 states in flat chunks; consumed chunks are dropped. */
class FlatQueue {
  private static readonly STATES = 16384;
  private chunks: (Int32Array | null)[] = [];
  private readonly chunkWords: number;
  private headChunk = 0;
  private head = 0;
  private tail: number;
  private len = 0;

  constructor(private readonly width: number) {
    this.chunkWords = FlatQueue.STATES * width;
    this.tail = this.chunkWords;
  }

  get length(): number {
    return this.len;
  }

  push(src: Int32Array): void {
    const w = this.width;
    if (this.tail === this.chunkWords) {
      this.chunks.push(new Int32Array(this.chunkWords));
      this.tail = 0;
    }
    const c = this.chunks[this.chunks.length - 1] as Int32Array;
    const o = this.tail;
    for (let i = 0; i < w; i++) c[o + i] = src[i] as number;
    this.tail = o + w;
    this.len++;
  }

  shiftInto(dst: Int32Array): void {
    if (this.len === 0) throw new Error('empty queue');
    const w = this.width;
    const c = this.chunks[this.headChunk] as Int32Array;
    const o = this.head;
    for (let i = 0; i < w; i++) dst[i] = c[o + i] as number;
    this.len--;
    this.head = o + w;
    if (this.head === this.chunkWords) {
      this.chunks[this.headChunk++] = null;
      this.head = 0;
      if (this.headChunk > 1024) {
        this.chunks = this.chunks.slice(this.headChunk);
        this.headChunk = 0;
      }
    }
  }
}

/** A LIFO of fixed-width Int32 states, each with its id and level, in one growable array. */
class FlatStack {
  private buf: Int32Array;
  private top = 0;
  private readonly entry: number;
  /** Id and level of the entry last popped. */
  id = 0;
  level = 0;

  constructor(private readonly width: number) {
    this.entry = width + 2;
    this.buf = new Int32Array(1024 * this.entry);
  }

  get length(): number {
    return this.top / this.entry;
  }

  push(src: Int32Array, id: number, level: number): void {
    if (this.top + this.entry > this.buf.length) {
      const bigger = new Int32Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    const b = this.buf;
    const o = this.top;
    const w = this.width;
    for (let i = 0; i < w; i++) b[o + i] = src[i] as number;
    b[o + w] = id;
    b[o + w + 1] = level;
    this.top = o + this.entry;
  }

  popInto(dst: Int32Array): void {
    if (this.top === 0) throw new Error('empty stack');
    const o = (this.top -= this.entry);
    const b = this.buf;
    const w = this.width;
    for (let i = 0; i < w; i++) dst[i] = b[o + i] as number;
    this.id = b[o + w] as number;
    this.level = b[o + w + 1] as number;
  }
}

function now(): number {
  return performance.now();
}

type StopReason = ExploreResult<unknown>['stoppedBy'];

/** What both search loops share: the visited set, the counters and the stop logic. */
class Search<S, A> {
  readonly visited: VisitedSet;
  generated = 0;
  depth = 0;
  stoppedBy: StopReason = null;
  failed: { name: string; id: number } | null = null;
  /** The frontier left when the loop ended. */
  queued = 0;
  readonly t0 = now();
  private readonly maxStates: number;
  private readonly invariants: readonly Invariant<S>[];
  private readonly onDiscover: ExploreOptions['onDiscover'];

  constructor(
    readonly ts: TransitionSystem<S, A>,
    readonly opts: ExploreOptions,
  ) {
    this.maxStates = opts.maxStates ?? Infinity;
    this.invariants = opts.checkInvariants === false ? [] : (ts.invariants ?? []);
    this.visited = new VisitedSet(Math.min(opts.expectedStates ?? 1 << 16, this.maxStates));
    this.onDiscover = opts.onDiscover;
  }

  /** Records a newly generated state: its id if new, -1 if seen, -2 if the search must stop. */
  discover(t: S, parent: number, action: number): number {
    const fp = this.ts.fingerprint(t);
    const visited = this.visited;
    if (visited.size >= this.maxStates) {
      if (visited.has(fp.hi, fp.lo)) return -1;
      this.stoppedBy = 'maxStates';
      return -2;
    }
    const id = visited.add(fp.hi, fp.lo, parent, action);
    if (id < 0) return id;
    if (this.onDiscover) this.onDiscover(id, fp.hi, fp.lo, parent, action);
    const invs = this.invariants;
    for (let i = 0; i < invs.length; i++) {
      const inv = invs[i] as Invariant<S>;
      if (!inv.holds(t)) {
        this.failed = { name: inv.name, id };
        this.stoppedBy = 'violation';
        return -2;
      }
    }
    return id;
  }

  /** At the depth bound: true when `t` is new, i.e. the bound cut something off. */
  beyondBound(t: S): boolean {
    const fp = this.ts.fingerprint(t);
    if (this.visited.has(fp.hi, fp.lo)) return false;
    this.stoppedBy = 'maxDepth';
    return true;
  }

  /** At a step boundary: ends the search if the stop flag is up. */
  checkStop(): void {
    if (this.stoppedBy === null && this.opts.stop?.stopped === true) this.stoppedBy = 'interrupted';
  }

  progress(queued: number): void {
    this.opts.onProgress?.({
      distinctStates: this.visited.size,
      generated: this.generated,
      depth: this.depth,
      queued,
      wallMs: now() - this.t0,
    });
  }
}

/** Explores `ts` exhaustively (within the bounds) and reports TLC-comparable counts. */
export function explore<S, A>(ts: TransitionSystem<S, A>, opts: ExploreOptions = {}): ExploreResult<A> {
  return runSync(exploreSteps(ts, opts));
}

/** explore() as steps (every STEP_STATES expanded states), for a driver that lets Ctrl-C in. */
export function* exploreSteps<S, A>(ts: TransitionSystem<S, A>, opts: ExploreOptions = {}): Steps<ExploreResult<A>> {
  const strategy = opts.strategy ?? 'bfs';
  const inits = ts.initial();
  const search = new Search(ts, opts);
  if (isPacked(ts)) {
    const packed = ts as PackedTransitionSystem<A>;
    const ps = search as unknown as Search<Int32Array, A>;
    if (strategy === 'bfs') yield* packedBfs(packed, ps, inits as unknown as readonly Int32Array[]);
    else yield* packedDfs(packed, ps, inits as unknown as readonly Int32Array[]);
  } else if (strategy === 'bfs') yield* genericBfs(ts, search, inits);
  else yield* genericDfs(ts, search, inits);

  search.progress(search.queued);
  const visited = search.visited;
  const result = searchResult<A>(ts.name, strategy, search, visited.size, visited);
  const f = search.failed;
  return f === null ? result : { ...result, violation: rebuild(ts, inits, visited, f.name, f.id) };
}

/** The counts of a finished search, TLC-style, with its rate and memory per state. */
export function searchResult<A>(
  system: string,
  strategy: Strategy,
  search: { readonly generated: number; readonly depth: number; readonly stoppedBy: StopReason; readonly t0: number; readonly queued: number },
  distinctStates: number,
  memory: { readonly bytesPerState: number; readonly tableBytesPerState: number },
): ExploreResult<A> {
  const wallMs = now() - search.t0;
  return {
    system,
    strategy,
    distinctStates,
    generated: search.generated,
    depth: search.depth,
    complete: search.stoppedBy === null,
    stoppedBy: search.stoppedBy,
    queued: search.queued,
    wallMs,
    statesPerSec: wallMs > 0 ? Math.round((distinctStates * 1000) / wallMs) : 0,
    bytesPerState: memory.bytesPerState,
    tableBytesPerState: memory.tableBytesPerState,
  };
}

/**
 * Expanded states between two step boundaries of the packed loops (a power of two; see
 * STEP_MASK): a packed state expands in microseconds, so a yield per state would cost more than
 * the work. A kernel-world state takes from tens of microseconds to (with a large fan-out) a
 * good fraction of a second, so the generic loops yield after every one.
 */
export const STEP_STATES = 64;
const STEP_MASK = STEP_STATES - 1;

function maxDepthOf(opts: ExploreOptions): number {
  return opts.maxDepth ?? Infinity;
}

function progressEveryOf(opts: ExploreOptions): number {
  return opts.progressEvery ?? 250_000;
}

// BFS assigns ids level by level, so the id of the state being expanded (`head`) tells its
// level: ids below `levelEnd` belong to `level`.

function* genericBfs<S, A>(ts: TransitionSystem<S, A>, search: Search<S, A>, inits: readonly S[]): Steps<void> {
  const maxDepth = maxDepthOf(search.opts);
  const every = progressEveryOf(search.opts);
  const codec = codecFor(ts, search.opts);
  const queue: Fifo<S> = codec ? new CompactQueue(codec) : new ChunkQueue<S>();
  for (let i = 0; i < inits.length && search.stoppedBy === null; i++) {
    search.generated++;
    if (search.discover(inits[i] as S, -1, i) >= 0) {
      queue.push(inits[i] as S);
      search.depth = 1;
    }
  }
  const out: A[] = [];
  let level = 1;
  let levelEnd = search.visited.size;
  let head = 0;
  while (search.stoppedBy === null && queue.length > 0) {
    if (head === levelEnd) {
      level++;
      levelEnd = search.visited.size;
    }
    const s = queue.shift();
    const atBound = level >= maxDepth;
    out.length = 0;
    ts.actions(s, out);
    for (let k = 0; k < out.length; k++) {
      const t = ts.next(s, out[k] as A);
      if (t === null) continue;
      search.generated++;
      if (atBound) {
        if (search.beyondBound(t)) break;
        continue;
      }
      const id = search.discover(t, head, k);
      if (id === -1) continue;
      if (id === -2) break;
      if (level + 1 > search.depth) search.depth = level + 1;
      queue.push(t);
    }
    head++;
    if (head % every === 0) search.progress(queue.length);
    yield;
    search.checkStop();
  }
  search.queued = queue.length;
}

/** A LIFO of states, each with its id and level. */
interface Lifo<S> {
  readonly length: number;
  push(s: S, id: number, level: number): void;
  /** The top state; its id and level are then in `id` and `level`. */
  pop(): S;
  readonly id: number;
  readonly level: number;
}

class ObjectStack<S> implements Lifo<S> {
  private readonly states: S[] = [];
  private readonly meta: number[] = [];
  id = 0;
  level = 0;

  get length(): number {
    return this.states.length;
  }

  push(s: S, id: number, level: number): void {
    this.states.push(s);
    this.meta.push(id, level);
  }

  pop(): S {
    this.level = this.meta.pop() as number;
    this.id = this.meta.pop() as number;
    return this.states.pop() as S;
  }
}

function* genericDfs<S, A>(ts: TransitionSystem<S, A>, search: Search<S, A>, inits: readonly S[]): Steps<void> {
  const maxDepth = maxDepthOf(search.opts);
  const every = progressEveryOf(search.opts);
  const codec = codecFor(ts, search.opts);
  const stack: Lifo<S> = codec ? new CompactStack(codec) : new ObjectStack<S>();
  const firsts: { s: S; id: number }[] = [];
  for (let i = 0; i < inits.length && search.stoppedBy === null; i++) {
    search.generated++;
    const id = search.discover(inits[i] as S, -1, i);
    if (id >= 0) {
      search.depth = 1;
      firsts.push({ s: inits[i] as S, id });
    }
  }
  // Pushed last, the first initial state is expanded first.
  for (const f of firsts.reverse()) stack.push(f.s, f.id, 1);
  const out: A[] = [];
  let expanded = 0;
  while (search.stoppedBy === null && stack.length > 0) {
    const s = stack.pop();
    const sid = stack.id;
    const level = stack.level;
    const atBound = level >= maxDepth;
    out.length = 0;
    ts.actions(s, out);
    // Successors are pushed last action first, so the first action's successor is expanded next.
    for (let k = out.length - 1; k >= 0; k--) {
      const t = ts.next(s, out[k] as A);
      if (t === null) continue;
      search.generated++;
      if (atBound) {
        if (search.beyondBound(t)) break;
        continue;
      }
      const id = search.discover(t, sid, k);
      if (id === -1) continue;
      if (id === -2) break;
      if (level + 1 > search.depth) search.depth = level + 1;
      stack.push(t, id, level + 1);
    }
    if (++expanded % every === 0) search.progress(stack.length);
    yield;
    search.checkStop();
  }
  search.queued = stack.length;
}

function sameWords(a: Int32Array, b: Int32Array, w: number): boolean {
  for (let i = 0; i < w; i++) if (a[i] !== b[i]) return false;
  return true;
}

// The packed loops skip the fingerprint lookup for a successor equal to the state being
// expanded (a stuttering step) or to the previous successor (the same step through another
// witness): both are already in the visited set. They still count as generated.

function* packedBfs<A>(ts: PackedTransitionSystem<A>, search: Search<Int32Array, A>, inits: readonly Int32Array[]): Steps<void> {
  const maxDepth = maxDepthOf(search.opts);
  const every = progressEveryOf(search.opts);
  const W = ts.width;
  const queue = new FlatQueue(W);
  for (let i = 0; i < inits.length && search.stoppedBy === null; i++) {
    search.generated++;
    if (search.discover(inits[i] as Int32Array, -1, i) >= 0) {
      queue.push(inits[i] as Int32Array);
      search.depth = 1;
    }
  }
  const cur = new Int32Array(W);
  let nxt = new Int32Array(W);
  let prev = new Int32Array(W);
  const out: A[] = [];
  let level = 1;
  let levelEnd = search.visited.size;
  let head = 0;
  while (search.stoppedBy === null && queue.length > 0) {
    if (head === levelEnd) {
      level++;
      levelEnd = search.visited.size;
    }
    queue.shiftInto(cur);
    const atBound = level >= maxDepth;
    out.length = 0;
    ts.actions(cur, out);
    let hasPrev = false;
    for (let k = 0; k < out.length; k++) {
      if (!ts.nextInto(cur, out[k] as A, nxt)) continue;
      search.generated++;
      if (sameWords(nxt, cur, W) || (hasPrev && sameWords(nxt, prev, W))) continue;
      const t = prev;
      prev = nxt;
      nxt = t;
      hasPrev = true;
      if (atBound) {
        if (search.beyondBound(prev)) break;
        continue;
      }
      const id = search.discover(prev, head, k);
      if (id === -1) continue;
      if (id === -2) break;
      if (level + 1 > search.depth) search.depth = level + 1;
      queue.push(prev);
    }
    head++;
    if (head % every === 0) search.progress(queue.length);
    if ((head & STEP_MASK) === 0) {
      yield;
      search.checkStop();
    }
  }
  search.queued = queue.length;
}

function* packedDfs<A>(ts: PackedTransitionSystem<A>, search: Search<Int32Array, A>, inits: readonly Int32Array[]): Steps<void> {
  const maxDepth = maxDepthOf(search.opts);
  const every = progressEveryOf(search.opts);
  const W = ts.width;
  const stack = new FlatStack(W);
  for (let i = inits.length - 1; i >= 0 && search.stoppedBy === null; i--) {
    search.generated++;
    const id = search.discover(inits[i] as Int32Array, -1, i);
    if (id >= 0) {
      search.depth = 1;
      stack.push(inits[i] as Int32Array, id, 1);
    }
  }
  const cur = new Int32Array(W);
  let nxt = new Int32Array(W);
  let prev = new Int32Array(W);
  const out: A[] = [];
  let expanded = 0;
  while (search.stoppedBy === null && stack.length > 0) {
    stack.popInto(cur);
    const sid = stack.id;
    const level = stack.level;
    const atBound = level >= maxDepth;
    out.length = 0;
    ts.actions(cur, out);
    let hasPrev = false;
    for (let k = out.length - 1; k >= 0; k--) {
      if (!ts.nextInto(cur, out[k] as A, nxt)) continue;
      search.generated++;
      if (sameWords(nxt, cur, W) || (hasPrev && sameWords(nxt, prev, W))) continue;
      const t = prev;
      prev = nxt;
      nxt = t;
      hasPrev = true;
      if (atBound) {
        if (search.beyondBound(prev)) break;
        continue;
      }
      const id = search.discover(prev, sid, k);
      if (id === -1) continue;
      if (id === -2) break;
      if (level + 1 > search.depth) search.depth = level + 1;
      stack.push(prev, id, level + 1);
    }
    if (++expanded % every === 0) search.progress(stack.length);
    if ((expanded & STEP_MASK) === 0) {
      yield;
      search.checkStop();
    }
  }
  search.queued = stack.length;
}

/** Replays the recorded action indices from the initial state to the violating state. */
function rebuild<S, A>(
  ts: TransitionSystem<S, A>,
  inits: readonly S[],
  visited: VisitedSet,
  name: string,
  id: number,
): Violation<A> {
  const chain: number[] = [];
  let x = id;
  while (visited.parent(x) >= 0) {
    chain.push(visited.action(x));
    x = visited.parent(x);
  }
  const initialIndex = visited.action(x);
  return replayActions(ts, inits, name, initialIndex, chain.reverse());
}

/**
 * The counterexample reached from initial state `initialIndex` by taking, at each step, the
 * action at the recorded position of `actions()` (engines store positions, not actions).
 */
export function replayActions<S, A>(
  ts: TransitionSystem<S, A>,
  inits: readonly S[],
  name: string,
  initialIndex: number,
  positions: readonly number[],
): Violation<A> {
  let s = inits[initialIndex] as S;
  const path: A[] = [];
  const steps: string[] = [];
  const states: string[] = [];
  if (ts.show) states.push(ts.show(s));
  const out: A[] = [];
  for (const k of positions) {
    out.length = 0;
    ts.actions(s, out);
    const a = out[k] as A;
    const t = ts.next(s, a);
    if (t === null) throw new Error('counterexample replay failed: actions() is not deterministic');
    path.push(a);
    steps.push(ts.describe(a));
    s = t;
    if (ts.show) states.push(ts.show(s));
  }
  return ts.show ? { name, path, steps, initialIndex, states } : { name, path, steps, initialIndex };
}
