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
import { replayActions, searchResult } from '../bfs.js';
import type { Steps } from '../../step/drive.js';
import { runSync } from '../../step/drive.js';
import type { PartialOrder, TransitionSystem } from '../../kernel/model.js';
import { independent } from '../../kernel/model.js';
import { StateIndex } from '../state-index.js';

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

/** Expanded states held for revisits; beyond this many the oldest are rebuilt when needed. */
const KEPT_STATES = 50_000;

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
  /** Per state: the sleep set it is stored with, and whether it has been expanded. */
  private readonly stored: (readonly number[])[] = [];
  private readonly expanded: boolean[] = [];
  private readonly pending: Entry<S>[] = [];
  /**
   * Expanded states that may be revisited with a smaller sleep set (theirs was not empty), most
   * recent last; older ones are rebuilt by replaying their path when that happens.
   */
  private readonly kept = new Map<number, S>();
  private head = 0;
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
  }

  get strategy(): Strategy {
    return this.opts.strategy ?? 'bfs';
  }

  private push(e: Entry<S>): void {
    this.pending.push(e);
  }

  /** BFS takes the oldest entry, DFS the newest. */
  private take(): Entry<S> | undefined {
    if (this.strategy === 'dfs') return this.pending.pop();
    if (this.head >= this.pending.length) return undefined;
    const e = this.pending[this.head] as Entry<S>;
    this.pending[this.head++] = undefined as unknown as Entry<S>;
    if (this.head > 4096 && this.head * 2 > this.pending.length) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
    return e;
  }

  get queued(): number {
    return this.pending.length - (this.strategy === 'dfs' ? 0 : this.head);
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
      const old = this.stored[known] as readonly number[];
      const woken = minus(old, sleep);
      if (woken.length === 0) return;
      this.stored[known] = intersect(old, sleep);
      // Not yet expanded: it will be, with the smaller set.
      if (this.expanded[known]) this.push({ s: null, id: known, only: woken, sleep });
      return;
    }
    if (this.index.size >= this.maxStates) {
      this.stoppedBy = 'maxStates';
      return;
    }
    const id = this.index.add(fp.hi, fp.lo, parent, action, level);
    this.stored[id] = sleep;
    this.expanded[id] = false;
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
    const sleep = first ? (this.stored[id] as readonly number[]) : e.sleep;
    if (first) {
      this.expanded[id] = true;
      if (sleep.length > 0) this.keep(id, s);
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

  private keep(id: number, s: S): void {
    this.kept.set(id, s);
    if (this.kept.size > KEPT_STATES) this.kept.delete(this.kept.keys().next().value as number);
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
