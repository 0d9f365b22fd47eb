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

export type SleepResult<A> = ExploreResult<A> & {
  readonly sleep: SleepStats;
  /** The violation's path as positions in each state's actions() list, from the initial state `initialIndex`. */
  readonly violationChoices?: { readonly initialIndex: number; readonly choices: readonly number[] };
};

/**
 * A thread that expands states for the search (scale/sleep-workers.ts): first expansions are
 * sent to it ahead of their turn, with the state's codec words and its sleep set, and taken back
 * in order. The search applies an answer exactly as it would its own expansion, so the counts do
 * not depend on which thread expanded what.
 */
export interface SleepHelper {
  /** Expansions sent and not yet answered: the search sends more only while this is small. */
  readonly backlog: number;
  /** Sends the first expansion of the state whose codec words are `words[from..]`; returns its ticket. */
  send(words: readonly number[], from: number, sleep: readonly number[]): number;
  /** Hands what was sent over to the helper. */
  flush(): void;
  /** The answer for a ticket, if it is in; null: the helper is told to drop it, and the search expands it itself. */
  take(ticket: number): HelperExpansion | null;
}

export interface HelperExpansion {
  /** How many actions the state enables. */
  readonly enabled: number;
  readonly steps: readonly HelperStep[];
}

/** One executed action of a helper's expansion, as expandAwake() hands it on. */
export interface HelperStep {
  readonly action: number;
  readonly hi: number;
  readonly lo: number;
  /** Index of the first invariant the successor violates, or -1 (with words null: not checked). */
  readonly bad: number;
  readonly sleep: readonly number[];
  /** The successor's codec words, in this thread's part ids; null for a state the search already knows. */
  readonly words: readonly number[] | null;
}

/** A queued entry taken ahead of its turn: its record and, if a helper has it, the ticket and the sleep set sent. */
interface Slot {
  readonly record: number[];
  readonly ticket: number;
  readonly sleepId: number;
}

/** Entries taken from the queue ahead of the one being expanded; helper expansions wait among them. */
const WINDOW = 512;
/** Expansions a helper may have unanswered: more than it does while the search takes WINDOW entries. */
const BACKLOG = 96;

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

  /** Entries taken from the queue ahead of their turn (a helper's window). */
  private held = 0;

  get queued(): number {
    return this.pending.length + this.held;
  }

  *run(): Steps<void> {
    this.arriveInitials();
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

  private arriveInitials(): void {
    for (let i = 0; i < this.inits.length && this.stoppedBy === null; i++) {
      this.generated++;
      this.arrive(this.inits[i] as S, -1, i, 1, []);
    }
  }

  /** run() with a helper: breadth-first only, no depth bound, compact states. */
  *runWith(helper: SleepHelper): Steps<void> {
    const pending = this.pending;
    if (!(pending instanceof CompactPending) || this.strategy !== 'bfs' || this.maxDepth !== Infinity) throw new Error('sleep-set search: a helper needs bfs, compact states and no depth bound');
    this.arriveInitials();
    const every = this.opts.progressEvery ?? 250_000;
    let window: (Slot | undefined)[] = [];
    let head = 0;
    for (let n = 1; this.stoppedBy === null; n++) {
      while (window.length - head < WINDOW && pending.length > 0) window.push(this.slotFor(pending.shiftRecord(), helper));
      helper.flush();
      if (head === window.length) break;
      const slot = window[head] as Slot;
      window[head++] = undefined;
      if (head > 4096 && head * 2 > window.length) {
        window = window.slice(head);
        head = 0;
      }
      this.held = window.length - head;
      this.expandSlot(slot, helper, pending);
      if (n % every === 0) this.progress();
      yield;
      if (this.stoppedBy === null && this.opts.stop?.stopped === true) this.stoppedBy = 'interrupted';
    }
  }

  /** A first expansion goes to the helper while it has room; revisits stay here (they need the kept state). */
  private slotFor(record: number[], helper: SleepHelper): Slot {
    if (record[1] !== 0 || helper.backlog >= BACKLOG) return { record, ticket: -1, sleepId: -1 };
    const sleepId = this.stored.get(record[0] as number) >>> 1;
    return { record, ticket: helper.send(record, 2, this.sleeps.get(sleepId)), sleepId };
  }

  /** The helper's answer when it is in and still right (the sleep set did not shrink since); else expanded here. */
  private expandSlot(slot: Slot, helper: SleepHelper, pending: CompactPending<S>): void {
    const id = slot.record[0] as number;
    const x = slot.ticket < 0 ? null : helper.take(slot.ticket);
    if (x !== null && this.stored.get(id) >>> 1 === slot.sleepId) this.applyHelper(id, slot.record, x, pending);
    else this.expand(pending.entryOf(slot.record));
  }

  /** expand() of a first expansion, from a helper's answer. */
  private applyHelper(id: number, record: readonly number[], x: HelperExpansion, pending: CompactPending<S>): void {
    const level = this.index.level(id);
    this.stored.set(id, this.stored.get(id) | 1);
    if (this.sleepOf(id).length > 0) this.kept.keepRecord(id, record, 2);
    const invariants = this.ts.invariants ?? [];
    for (const st of x.steps) {
      this.generated++;
      this.executed++;
      const t = this.admit(st.hi, st.lo, id, st.action, level + 1, st.sleep);
      if (t >= 0 && st.words === null) throw new Error('sleep-set search: a helper sent a new state as known');
      if (t >= 0 && st.bad >= 0) this.fail((invariants[st.bad] as { name: string }).name, t);
      else if (t >= 0) pending.pushRecord(t, st.words as readonly number[]);
      if (this.stoppedBy !== null) break;
    }
    this.enabled += x.enabled;
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

  /**
   * A state reached with sleep set `sleep`: its id when it is new (stored, not yet checked or
   * queued), else -1 (its stored sleep set shrank, and it is queued again if that woke actions
   * of an expanded state; or the state cap was reached).
   */
  private admit(hi: number, lo: number, parent: number, action: number, level: number, sleep: readonly number[]): number {
    const known = this.index.find(hi, lo);
    if (known >= 0) {
      const old = this.sleepOf(known);
      const woken = minus(old, sleep);
      if (woken.length === 0) return -1;
      const expanded = this.stored.get(known) & 1;
      this.stored.set(known, this.sleeps.id(intersect(old, sleep)) * 2 + expanded);
      // Not yet expanded: it will be, with the smaller set.
      if (expanded === 1) this.push({ s: null, id: known, only: woken, sleep });
      return -1;
    }
    if (this.index.size >= this.maxStates) {
      this.stoppedBy = 'maxStates';
      return -1;
    }
    const id = this.index.add(hi, lo, parent, action, level);
    this.stored.push(this.sleeps.id(sleep) * 2);
    if (level > this.depth) this.depth = level;
    return id;
  }

  private arrive(t: S, parent: number, action: number, level: number, sleep: readonly number[]): void {
    const fp = this.ts.fingerprint(t);
    const id = this.admit(fp.hi, fp.lo, parent, action, level, sleep);
    if (id < 0) return;
    for (const inv of this.opts.checkInvariants === false ? [] : (this.ts.invariants ?? [])) {
      if (!inv.holds(t)) return this.fail(inv.name, id);
    }
    this.push({ s: t, id, only: null, sleep: [] });
  }

  private fail(name: string, id: number): void {
    this.failed = { name, id };
    this.stoppedBy = 'violation';
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
    const enabled = expandAwake(this.ts, this.po, s, sleep, e.only, (action, t, childSleep) => {
      this.generated++;
      this.executed++;
      this.arrive(t, id, action, level + 1, childSleep);
      return this.stoppedBy === null;
    });
    if (first) this.enabled += enabled;
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

/**
 * Executes the awake actions of `s` (a first expansion: those not in `sleep`; a revisit: those
 * in `only`) in order, handing `step` each successor with its own sleep set, until `step`
 * returns false; returns how many actions `s` enables. It reads nothing but its arguments, so
 * a helper thread computes the same expansion (scale/sleep-workers.ts).
 */
export function expandAwake<S, A>(
  ts: TransitionSystem<S, A>,
  po: PartialOrder<S, A>,
  s: S,
  sleep: readonly number[],
  only: readonly number[] | null,
  step: (action: number, t: S, sleep: number[]) => boolean,
): number {
  const acts: A[] = [];
  ts.actions(s, acts);
  const keys = acts.map((a) => po.key(s, a));
  const feet = acts.map((a) => po.footprint(s, a));
  // Actions already covered: the sleeping ones, then each one explored here.
  const covered: number[] = [];
  for (let i = 0; i < acts.length; i++) if (sleep.includes(keys[i] as number)) covered.push(i);
  for (let i = 0; i < acts.length; i++) {
    const k = keys[i] as number;
    if (only === null ? sleep.includes(k) : !only.includes(k)) continue;
    const t = ts.next(s, acts[i] as A);
    if (t === null) continue;
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
    if (!step(i, t, childSleep)) break;
    if (!po.cut?.(t)) covered.push(i);
  }
  return acts.length;
}

/** Expanded states held for revisits, by id; one not held is rebuilt by replaying its path. */
interface Kept<S> {
  keep(id: number, s: S): void;
  /** keep() of a state given as its codec words, `record[from..]`. */
  keepRecord(id: number, record: readonly number[], from: number): void;
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

  keepRecord(): void {
    throw new Error('sleep-set search: states given as words need a codec');
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

  keepRecord(id: number, record: readonly number[], from: number): void {
    this.at.set(id, this.log.append(record.slice(from)));
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
    return this.entryOf(w);
  }

  /** The oldest record as it is stored, for a search that takes entries ahead of their turn (bfs). */
  shiftRecord(): number[] {
    const w: number[] = [];
    (this.store as WordQueue).shift(w);
    return w;
  }

  /** Queues a first expansion of the state whose codec words are `words`. */
  pushRecord(id: number, words: readonly number[]): void {
    const w = this.words;
    w[0] = id;
    w[1] = 0;
    for (let i = 0; i < words.length; i++) w[2 + i] = words[i] as number;
    w.length = 2 + words.length;
    this.store.push(w);
  }

  entryOf(w: readonly number[]): Entry<S> {
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
export function* exploreWithSleepSetsSteps<S, A>(ts: TransitionSystem<S, A>, opts: ExploreOptions = {}, helper?: SleepHelper): Steps<SleepResult<A>> {
  const inits = ts.initial();
  const search = new SleepSearch(ts, opts, inits);
  yield* helper ? search.runWith(helper) : search.run();
  search.progress();
  const bytes = search.index.bytesPerState;
  const result: SleepResult<A> = {
    ...searchResult<A>(ts.name, search.strategy, search, search.index.size, { bytesPerState: bytes, tableBytesPerState: bytes }),
    sleep: { skipped: search.enabled - search.executed, executed: search.executed, reexplored: search.reexplored },
  };
  const f = search.failed;
  if (f === null) return result;
  const { initial, steps } = search.chain(f.id);
  return { ...result, violation: search.violation(f.name, f.id), violationChoices: { initialIndex: initial, choices: steps } };
}
