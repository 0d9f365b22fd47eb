// Breadth- or depth-first search with sleep sets (Godefroid, "Partial-Order Methods for the
// Verification of Concurrent Systems", ch. 5), over a TransitionSystem with a PartialOrder.
//
// A state's sleep set holds actions whose successors are covered by another path: an action a
// explored from s goes to sleep in the successors of the actions explored after it that are
// independent of it, and a sleeping action stays asleep across independent steps. Sleeping
// actions are not executed, so `generated` drops; every reachable state is still visited, because
// with state caching each state keeps the sleep set it was stored with and, when reached again
// with a sleep set that lacks some of those actions, executes them then (and keeps the
// intersection). `distinctStates` and the verdict are therefore those of the unreduced search;
// only the paths (and so BFS depths and counterexample lengths) may differ.
//
// Search bounds need care: a state cut off by a bound is not a covering path (its successors
// are never computed), so an action leading to one never goes to sleep, and a step that moves
// the bound (PartialOrder.resets) wakes every sleeping action.

import type { ExploreOptions, ExploreResult, Strategy, Violation } from '../bfs.js';
import { codecFor, replayActions, searchResult } from '../bfs.js';
import type { Steps } from '../../step/drive.js';
import { runSync } from '../../step/drive.js';
import type { PartialOrder, StateCodec, TransitionSystem } from '../../kernel/model.js';
import { independent } from '../../kernel/model.js';
import { StateIndex } from '../state-index.js';
import { IntList, NumList } from '../int-list.js';
import { KeySets } from './key-sets.js';
import { WordLog, WordQueue, WordStack } from '../compact/frontier.js';

export interface SleepStats {
  /** Enabled actions never executed: skipped at their state's expansion and not woken later. */
  readonly skipped: number;
  /** Transitions executed (successors computed). */
  readonly executed: number;
  /** Revisits with a smaller sleep set that executed actions the first visit had skipped. */
  readonly reexplored: number;
}

export type SleepResult<A> = ExploreResult<A> & { readonly sleep: SleepStats };

interface Entry<S> {
  /** The stored representative; null: rebuild it from the initial state (a revisit). */
  readonly s: S | null;
  readonly id: number;
  /** Only these keys are executed (a revisit); null: a first expansion. */
  readonly only: readonly number[] | null;
  /** The sleep set of a revisit; a first expansion reads the stored one. */
  readonly sleep: readonly number[];
}

/** Expanded states held as objects for revisits; beyond this many the oldest are rebuilt when needed. */
const KEPT_STATES = 50_000;
/** Bytes of compact expanded states held for revisits; past them the oldest are rebuilt when needed. */
const KEPT_BYTES = 64 << 20;

function now(): number {
  return performance.now();
}

function minus(a: readonly number[], b: readonly number[]): number[] {
  return a.filter((x) => !b.includes(x));
}

function intersect(a: readonly number[], b: readonly number[]): number[] {
  return a.filter((x) => b.includes(x));
}

class SleepSearch<S, A> {
  readonly index: StateIndex;
  /** Per state: 2 × the id in `sleeps` of the sleep set it is stored with, + 1 once it has been expanded. */
  private readonly stored = new IntList();
  private readonly sleeps = new KeySets();
  private readonly pending: Pending<S>;
  /**
   * Expanded states that may be revisited with a smaller sleep set (theirs was not empty), most
   * recent last; older ones are rebuilt by replaying their path when that happens.
   */
  private readonly kept: Kept<S>;
  generated = 0;
  enabled = 0;
  executed = 0;
  reexplored = 0;
  depth = 0;
  stoppedBy: ExploreResult<A>['stoppedBy'] = null;
  failed: { name: string; id: number } | null = null;
  readonly t0 = now();
  private readonly po: PartialOrder<S, A>;
  private readonly maxStates: number;
  private readonly maxDepth: number;

  constructor(
    readonly ts: TransitionSystem<S, A>,
    readonly opts: ExploreOptions,
    readonly inits: readonly S[],
  ) {
    if (!ts.partialOrder) throw new Error(`${ts.name}: no partial order to reduce with`);
    this.po = ts.partialOrder;
    this.maxStates = opts.maxStates ?? Infinity;
    this.maxDepth = opts.maxDepth ?? Infinity;
    this.index = new StateIndex(Math.min(opts.expectedStates ?? 1 << 16, this.maxStates));
    const dfs = this.strategy === 'dfs';
    const codec = codecFor(ts, opts);
    this.pending = codec ? new CompactPending(codec, dfs) : new ObjectPending(dfs);
    this.kept = codec ? new CompactKept(codec) : new ObjectKept();
  }

  private sleepOf(id: number): readonly number[] {
    return this.sleeps.get(this.stored.get(id) >>> 1);
  }

  get strategy(): Strategy {
    return this.opts.strategy ?? 'bfs';
  }

  private push(e: Entry<S>): void {
    this.pending.push(e);
  }

  /** BFS takes the oldest entry, DFS the newest. */
  private take(): Entry<S> | undefined {
    return this.pending.length === 0 ? undefined : this.pending.take();
  }

  get queued(): number {
    return this.pending.length;
  }

  *run(): Steps<void> {
    for (let i = 0; i < this.inits.length && this.stoppedBy === null; i++) {
      this.generated++;
      this.arrive(this.inits[i] as S, -1, i, 1, []);
    }
    const every = this.opts.progressEvery ?? 250_000;
    let n = 0;
    for (let e = this.take(); e !== undefined && this.stoppedBy === null; e = this.take()) {
      this.expand(e);
      if (++n % every === 0) this.progress();
      // A step boundary after every expansion: one can take long (revisits rebuild their state).
      yield;
      if (this.stoppedBy === null && this.opts.stop?.stopped === true) this.stoppedBy = 'interrupted';
    }
  }

  progress(): void {
    this.opts.onProgress?.({
      distinctStates: this.index.size,
      generated: this.generated,
      depth: this.depth,
      queued: this.queued,
      wallMs: now() - this.t0,
    });
  }

  /** A state reached with sleep set `sleep`: stored if new, else its stored sleep set shrinks. */
  private arrive(t: S, parent: number, action: number, level: number, sleep: readonly number[]): void {
    const fp = this.ts.fingerprint(t);
    const known = this.index.find(fp.hi, fp.lo);
    if (known >= 0) {
      const old = this.sleepOf(known);
      const woken = minus(old, sleep);
      if (woken.length === 0) return;
      const expanded = this.stored.get(known) & 1;
      this.stored.set(known, this.sleeps.id(intersect(old, sleep)) * 2 + expanded);
      // Not yet expanded: it will be, with the smaller set.
      if (expanded === 1) this.push({ s: null, id: known, only: woken, sleep });
      return;
    }
    if (this.index.size >= this.maxStates) {
      this.stoppedBy = 'maxStates';
      return;
    }
    const id = this.index.add(fp.hi, fp.lo, parent, action, level);
    this.stored.push(this.sleeps.id(sleep) * 2);
    if (level > this.depth) this.depth = level;
    for (const inv of this.opts.checkInvariants === false ? [] : (this.ts.invariants ?? [])) {
      if (!inv.holds(t)) {
        this.failed = { name: inv.name, id };
        this.stoppedBy = 'violation';
        return;
      }
    }
    this.push({ s: t, id, only: null, sleep: [] });
  }

  private expand(e: Entry<S>): void {
    const { id } = e;
    const level = this.index.level(id);
    if (level >= this.maxDepth) {
      // Only whether anything lies beyond matters: any enabled action does.
      if (e.only === null && this.hasSuccessor(e.s as S)) this.stoppedBy = 'maxDepth';
      return;
    }
    const s = e.s ?? this.kept.get(id) ?? this.rebuild(id);
    const first = e.only === null;
    const sleep = first ? this.sleepOf(id) : e.sleep;
    if (first) {
      this.stored.set(id, this.stored.get(id) | 1);
      if (sleep.length > 0) this.kept.keep(id, s);
    } else this.reexplored++;
    const ts = this.ts;
    const po = this.po;
    const acts: A[] = [];
    ts.actions(s, acts);
    const keys = acts.map((a) => po.key(s, a));
    const feet = acts.map((a) => po.footprint(s, a));
    if (first) this.enabled += acts.length;
    // Actions already covered: the sleeping ones, then each one explored here.
    const covered: number[] = [];
    for (let i = 0; i < acts.length; i++) if (sleep.includes(keys[i] as number)) covered.push(i);
    for (let i = 0; i < acts.length && this.stoppedBy === null; i++) {
      const k = keys[i] as number;
      if (first ? sleep.includes(k) : !(e.only as readonly number[]).includes(k)) continue;
      const a = acts[i] as A;
      const t = ts.next(s, a);
      if (t === null) continue;
      this.generated++;
      this.executed++;
      const fi = feet[i] as readonly number[];
      const childSleep: number[] = [];
      if (!po.resets?.(s, t)) {
        for (const j of covered) {
          if (independent(fi, feet[j] as readonly number[])) {
            const kt = po.key(t, acts[j] as A);
            if (!childSleep.includes(kt)) childSleep.push(kt);
          }
        }
      }
      this.arrive(t, id, i, level + 1, childSleep);
      if (!po.cut?.(t)) covered.push(i);
    }
  }

  private hasSuccessor(s: S): boolean {
    const acts: A[] = [];
    this.ts.actions(s, acts);
    return acts.some((a) => {
      const t = this.ts.next(s, a);
      if (t === null) return false;
      this.generated++;
      const fp = this.ts.fingerprint(t);
      return this.index.find(fp.hi, fp.lo) < 0;
    });
  }

  /** The action indices from an initial state to `id`, initial index first. */
  chain(id: number): { initial: number; steps: number[] } {
    const steps: number[] = [];
    let x = id;
    while (this.index.parent(x) >= 0) {
      steps.push(this.index.action(x));
      x = this.index.parent(x);
    }
    return { initial: this.index.action(x), steps: steps.reverse() };
  }

  /** The stored representative of `id`, by replaying the path it was first reached by. */
  rebuild(id: number): S {
    const { initial, steps } = this.chain(id);
    let s = this.inits[initial] as S;
    const acts: A[] = [];
    for (const k of steps) {
      acts.length = 0;
      this.ts.actions(s, acts);
      const t = this.ts.next(s, acts[k] as A);
      if (t === null) throw new Error('sleep-set search: replay failed, actions() is not deterministic');
      s = t;
    }
    return s;
  }

  violation(name: string, id: number): Violation<A> {
    const { initial, steps } = this.chain(id);
    return replayActions(this.ts, this.inits, name, initial, steps);
  }
}

/** Expanded states held for revisits, by id; one not held is rebuilt by replaying its path. */
interface Kept<S> {
  keep(id: number, s: S): void;
  get(id: number): S | undefined;
}

/** The most recent KEPT_STATES states, as objects. */
class ObjectKept<S> implements Kept<S> {
  private readonly states = new Map<number, S>();

  keep(id: number, s: S): void {
    this.states.set(id, s);
    if (this.states.size > KEPT_STATES) this.states.delete(this.states.keys().next().value as number);
  }

  get(id: number): S | undefined {
    return this.states.get(id);
  }
}

/** The most recent KEPT_BYTES of states, encoded. */
class CompactKept<S> implements Kept<S> {
  private readonly log = new WordLog(KEPT_BYTES);
  private readonly at = new NumList();
  private readonly words: number[] = [];

  constructor(private readonly codec: StateCodec<S>) {}

  keep(id: number, s: S): void {
    const w = this.words;
    w.length = this.codec.encode(s, w, 0);
    this.at.set(id, this.log.append(w));
  }

  get(id: number): S | undefined {
    const at = this.at.get(id);
    return at >= 0 && this.log.read(at, this.words) ? this.codec.decode(this.words, 0) : undefined;
  }
}

/** The entries waiting for expansion: a FIFO for BFS, a LIFO for DFS. */
interface Pending<S> {
  readonly length: number;
  push(e: Entry<S>): void;
  take(): Entry<S>;
}

class ObjectPending<S> implements Pending<S> {
  private readonly xs: Entry<S>[] = [];
  private head = 0;

  constructor(private readonly dfs: boolean) {}

  get length(): number {
    return this.xs.length - this.head;
  }

  push(e: Entry<S>): void {
    this.xs.push(e);
  }

  take(): Entry<S> {
    if (this.dfs) return this.xs.pop() as Entry<S>;
    const e = this.xs[this.head] as Entry<S>;
    this.xs[this.head++] = undefined as unknown as Entry<S>;
    if (this.head > 4096 && this.head * 2 > this.xs.length) {
      this.xs.splice(0, this.head);
      this.head = 0;
    }
    return e;
  }
}

/**
 * Entries as words: [id, 0, ...the state's codec words] for a first expansion, [id, 1, |only|,
 * ...only, |sleep|, ...sleep] for a revisit.
 */
class CompactPending<S> implements Pending<S> {
  private readonly store: WordQueue | WordStack;
  private readonly words: number[] = [];

  constructor(
    private readonly codec: StateCodec<S>,
    dfs: boolean,
  ) {
    this.store = dfs ? new WordStack() : new WordQueue();
  }

  get length(): number {
    return this.store.length;
  }

  push(e: Entry<S>): void {
    const w = this.words;
    w[0] = e.id;
    if (e.only === null) {
      w[1] = 0;
      w.length = this.codec.encode(e.s as S, w, 2);
    } else {
      w[1] = 1;
      let at = 2;
      w[at++] = e.only.length;
      for (const k of e.only) w[at++] = k;
      w[at++] = e.sleep.length;
      for (const k of e.sleep) w[at++] = k;
      w.length = at;
    }
    this.store.push(w);
  }

  take(): Entry<S> {
    const w = this.words;
    if (this.store instanceof WordStack) this.store.pop(w);
    else this.store.shift(w);
    const id = w[0] as number;
    if (w[1] === 0) return { s: this.codec.decode(w, 2), id, only: null, sleep: [] };
    const n = w[2] as number;
    return { s: null, id, only: w.slice(3, 3 + n), sleep: w.slice(4 + n, 4 + n + (w[3 + n] as number)) };
  }
}

/**
 * Explores `ts` with sleep sets. Counts follow explore(): `generated` is initial states plus
 * successors computed, and the sleep stats say how many enabled actions were never executed.
 */
export function exploreWithSleepSets<S, A>(ts: TransitionSystem<S, A>, opts: ExploreOptions = {}): SleepResult<A> {
  return runSync(exploreWithSleepSetsSteps(ts, opts));
}

/** exploreWithSleepSets() as steps, for a driver that lets Ctrl-C in (step/drive.ts). */
export function* exploreWithSleepSetsSteps<S, A>(ts: TransitionSystem<S, A>, opts: ExploreOptions = {}): Steps<SleepResult<A>> {
  const inits = ts.initial();
  const search = new SleepSearch(ts, opts, inits);
  yield* search.run();
  search.progress();
  const bytes = search.index.bytesPerState;
  const result: SleepResult<A> = {
    ...searchResult<A>(ts.name, search.strategy, search, search.index.size, { bytesPerState: bytes, tableBytesPerState: bytes }),
    sleep: { skipped: search.enabled - search.executed, executed: search.executed, reexplored: search.reexplored },
  };
  const f = search.failed;
  return f === null ? result : { ...result, violation: search.violation(f.name, f.id) };
}
