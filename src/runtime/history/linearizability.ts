// Linearizability checking of a recorded client history against a sequential model: the
// Wing–Gong search with Lowe's memoisation, laid out the way Porcupine does it.
//
// Every operation becomes a call entry and a return entry, sorted by time in one doubly-linked
// list. The search walks the list from its head: at a call it tries to linearize the operation
// next (the model must accept the recorded output), and on success lifts the call and its
// return out of the list and starts again from the head. Reaching a return means the operation
// it belongs to cannot be put off any longer, yet nothing placeable is left before it, so the
// search backtracks: it pops the last linearized call and puts both entries back (dancing
// links: lifting and unlifting in LIFO order needs no copying). A cache of (set of linearized
// operations, model state) pairs prunes every configuration already explored, which is what
// makes the search practical: two orders that reach the same set and state have the same
// futures.
//
// An operation precedes another only if it returned strictly before the other was called; equal
// timestamps count as concurrent (calls sort before returns on ties), the safe reading of a
// clock with coarse ticks.
//
// A pending operation (no return: the client was killed or timed out) may have taken effect at
// any point after its call, or never. Its return entry sorts at +Infinity, after every real
// return, so the search has succeeded as soon as the first return it meets is a pending one:
// every completed operation is placed and the pending ones still in the list are omitted.
//
// The search is exponential in the worst case. It counts steps and answers 'unknown' when the
// step budget or the wall-clock budget runs out instead of hanging; the clock is read only
// every CLOCK_EVERY steps so the hot loop stays free of system calls.

export type Verdict = 'ok' | 'violation' | 'unknown';

/** Why a search gave up. */
export type StopReason = 'steps' | 'time';

export interface Operation<I, O> {
  readonly id: number;
  readonly client: number;
  readonly input: I;
  /** The recorded result; undefined exactly when the operation is pending (ignored then). */
  readonly output: O | undefined;
  readonly call: number;
  /** Return time; undefined or Infinity for a pending operation. */
  readonly ret?: number | undefined;
}

/** The part of a model the state cache needs. */
export interface StateOps<S> {
  equal(a: S, b: S): boolean;
  /** Optional: equal states must hash equal. Speeds up the cache; collisions are tolerated. */
  hash?(state: S): string;
}

export interface Model<S, I, O> extends StateOps<S> {
  init(): S;
  /**
   * Applies one operation to `state`, which must not be mutated. Returns whether the recorded
   * `output` is what the sequential object would answer, and the state after. `output` is
   * undefined exactly for a pending operation: return the state as if it took effect. The
   * checker already tries omitting every pending operation, so a model may answer false for a
   * pending operation that would have no effect (a read, a compare-and-set that misses), which
   * spares the search from placing it.
   */
  step(state: S, input: I, output: O | undefined): readonly [ok: boolean, next: S];
  /** Splits a history into independently checkable parts (e.g. by key). Default: one part. */
  partition?(ops: readonly Operation<I, O>[]): Operation<I, O>[][];
  /**
   * For shrinking: for each operation of `ops`, the indices of the operations it cannot be
   * understood without (the writers of the value a read returned). The shrinker never drops an
   * operation a kept one depends on, so a stale read does not shrink into a read of a value
   * nobody wrote, which would be a smaller but less telling witness.
   */
  dependencies?(ops: readonly Operation<I, O>[]): number[][];
  describe?: {
    partition?(ops: readonly Operation<I, O>[]): string;
    operation?(op: Operation<I, O>): string;
  };
}

export interface ShrinkOptions {
  /** Sub-histories checked while shrinking a violation (default 400). */
  readonly maxChecks?: number;
  /** Step budget of each of those checks (default: max(100 000, 2 × the failing search)). */
  readonly maxStepsPerCheck?: number;
}

export interface CheckOptions {
  /** Search steps allowed per partition (default 10 000 000). */
  readonly maxSteps?: number;
  /** Wall-clock budget for the whole check, shrinking included, in ms (default: none). */
  readonly timeoutMs?: number;
  /** Clock in ms (default performance.now); injectable for tests. */
  readonly now?: () => number;
  /** Stop at the first violating partition (default true). */
  readonly stopOnViolation?: boolean;
  /** Shrinking of the violating partition; false skips it. */
  readonly shrink?: ShrinkOptions | false;
}

export interface PartitionResult {
  readonly index: number;
  readonly key: string;
  readonly size: number;
  readonly verdict: Verdict;
  readonly steps: number;
  /** Set when the verdict is 'unknown'. */
  readonly stop?: StopReason;
}

export interface Violation<I, O> {
  readonly partition: number;
  readonly key: string;
  /** The deepest partial linearization the search reached, in linearization order. */
  readonly prefix: Operation<I, O>[];
  /** The operation whose return the search could not get past with that prefix in place. */
  readonly blocked: Operation<I, O>;
  /** A sub-history of the partition, in call order, that is still not linearizable. */
  readonly minimal: Operation<I, O>[];
  /**
   * True when no single operation (that no other kept one depends on) can be dropped from
   * `minimal` without it becoming linearizable.
   */
  readonly oneMinimal: boolean;
  readonly shrinkChecks: number;
}

export interface CheckResult<I, O> {
  readonly verdict: Verdict;
  readonly partitions: PartitionResult[];
  readonly partitionsChecked: number;
  readonly partitionsTotal: number;
  /** Search steps over all partitions, shrinking excluded. */
  readonly steps: number;
  readonly violation?: Violation<I, O>;
}

const DEFAULT_MAX_STEPS = 10_000_000;
const DEFAULT_SHRINK_CHECKS = 400;
const MIN_SHRINK_STEPS = 100_000;
/** Steps between two reads of the clock. */
const CLOCK_EVERY = 1024;

export function isPending(op: Operation<unknown, unknown>): boolean {
  return op.ret === undefined || op.ret === Infinity;
}

/**
 * Rejects histories the search would silently misread. A completed operation needs an output:
 * models read an undefined output as "pending" and may then skip the operation, which is only
 * sound for an operation that may also never have happened.
 */
export function validateOperations(ops: readonly Operation<unknown, unknown>[]): void {
  for (const op of ops) {
    if (!Number.isFinite(op.call)) throw new RangeError(`operation ${op.id}: call time ${op.call} is not finite`);
    if (isPending(op)) continue;
    const ret = op.ret as number;
    if (Number.isNaN(ret) || ret < op.call) {
      throw new RangeError(`operation ${op.id}: returns (${ret}) before its call (${op.call})`);
    }
    if (op.output === undefined) {
      throw new RangeError(`operation ${op.id}: returned without an output (record it as pending instead)`);
    }
  }
}

/** Wall-clock deadline shared by every search of one check. */
interface Clock {
  readonly now: () => number;
  readonly deadline: number;
}

function makeClock(options: CheckOptions): Clock {
  const now = options.now ?? (() => performance.now());
  const timeout = options.timeoutMs;
  return { now, deadline: timeout === undefined ? Infinity : now() + timeout };
}

/** Reads the clock only when there is a deadline to compare it with. */
function expired(clock: Clock): boolean {
  return clock.deadline !== Infinity && clock.now() > clock.deadline;
}

/** Step and time accounting of one search. */
class Budget {
  steps = 0;

  constructor(
    private readonly maxSteps: number,
    private readonly clock: Clock,
  ) {}

  /** Counts a step; says why to stop, if the search must. */
  tick(): StopReason | undefined {
    if (this.steps >= this.maxSteps) return 'steps';
    this.steps++;
    if (this.steps % CLOCK_EVERY === 0 && expired(this.clock)) return 'time';
    return undefined;
  }
}

/**
 * The call and return entries of a partition, sorted by time, as a circular doubly-linked list
 * on typed arrays with a sentinel `head`. Entry indices are positions in time order.
 */
class EntryList {
  readonly head: number;
  readonly next: Int32Array;
  readonly prev: Int32Array;
  /** The operation (index into the partition) each entry belongs to. */
  readonly opOf: Int32Array;
  readonly isCall: Uint8Array;
  /** For a call entry, its return entry. */
  readonly match: Int32Array;

  constructor(ops: readonly Operation<unknown, unknown>[]) {
    const n = ops.length;
    const order = sortedEntries(ops);
    this.head = 2 * n;
    this.next = new Int32Array(2 * n + 1);
    this.prev = new Int32Array(2 * n + 1);
    this.opOf = new Int32Array(2 * n);
    this.isCall = new Uint8Array(2 * n);
    this.match = new Int32Array(2 * n);
    const callAt = new Int32Array(n);
    order.forEach(([op, isCall], e) => {
      this.opOf[e] = op;
      this.isCall[e] = isCall ? 1 : 0;
      if (isCall) callAt[op] = e;
      else this.match[callAt[op] as number] = e;
      this.next[e] = e + 1;
      this.prev[e] = e === 0 ? this.head : e - 1;
    });
    this.next[this.head] = n === 0 ? this.head : 0;
    this.prev[this.head] = n === 0 ? this.head : 2 * n - 1;
    if (n > 0) this.next[2 * n - 1] = this.head;
  }

  first(): number {
    return this.next[this.head] as number;
  }

  /** Takes a call entry and its return out of the list. */
  lift(call: number): void {
    this.unlink(call);
    this.unlink(this.match[call] as number);
  }

  /** Undoes the matching lift; lifts must be undone in reverse order. */
  unlift(call: number): void {
    this.relink(this.match[call] as number);
    this.relink(call);
  }

  private unlink(e: number): void {
    const p = this.prev[e] as number;
    const q = this.next[e] as number;
    this.next[p] = q;
    this.prev[q] = p;
  }

  private relink(e: number): void {
    this.next[this.prev[e] as number] = e;
    this.prev[this.next[e] as number] = e;
  }
}

/** [operation index, is call] pairs in time order; calls first on equal times. */
function sortedEntries(ops: readonly Operation<unknown, unknown>[]): [number, boolean][] {
  const entries: { op: number; isCall: boolean; time: number }[] = [];
  ops.forEach((op, i) => {
    entries.push({ op: i, isCall: true, time: op.call });
    entries.push({ op: i, isCall: false, time: isPending(op) ? Infinity : (op.ret as number) });
  });
  entries.sort((a, b) => {
    if (a.time !== b.time) return a.time < b.time ? -1 : 1;
    if (a.isCall !== b.isCall) return a.isCall ? -1 : 1;
    return a.op - b.op;
  });
  return entries.map((e) => [e.op, e.isCall]);
}

/** 32-bit integer mixer (the murmur3 finaliser), for per-operation Zobrist keys. */
function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/**
 * A frozen linearized set, as a plain array (typed-array slices cost far more to allocate and
 * collect, and the cache holds millions): the low-water word index, then the completed
 * operations' words from that one to the last non-zero one, then all the pending operations' words.
 */
type SetSnapshot = readonly number[];

/**
 * The set of linearized operations as a bitset, with a 64-bit Zobrist hash kept up to date on
 * every change so the cache key costs O(1). Operations 0 … completed-1 are the completed ones in
 * call order, the rest the pending ones.
 *
 * Copying the whole bitset into every cache entry, as Porcupine does, makes each step O(n) and
 * dominates on long histories. But every completed operation called before the earliest
 * unlinearized one is linearized, and only operations called before that one returns can be
 * linearized after it, so over the completed operations the set is all ones up to a low-water
 * word and all zeros past a high one: only the window in between, as wide as the concurrency,
 * is stored and compared. Pending operations never return, so they would hold the low-water
 * mark back for good; they get words of their own, kept whole (there are few of them).
 */
class LinearizedSet {
  private readonly words: Uint32Array;
  private readonly pending: Uint32Array;
  private hi = 0;
  private lo = 0;
  /** The first word of `words` that is not all ones (exact). */
  private low = 0;
  /** No word of `words` past this one is non-zero (an upper bound, tightened lazily). */
  private top = -1;

  constructor(private readonly completed: number, pending: number) {
    this.words = new Uint32Array(Math.ceil(completed / 32));
    this.pending = new Uint32Array(Math.ceil(pending / 32));
  }

  add(i: number): void {
    this.flip(i);
    if (i >= this.completed) return this.setPending(i - this.completed, true);
    const w = i >>> 5;
    this.words[w] = (this.words[w] as number) | (1 << (i & 31));
    if (w > this.top) this.top = w;
    while (this.words[this.low] === 0xffffffff) this.low++;
  }

  remove(i: number): void {
    this.flip(i);
    if (i >= this.completed) return this.setPending(i - this.completed, false);
    const w = i >>> 5;
    this.words[w] = (this.words[w] as number) & ~(1 << (i & 31));
    if (w < this.low) this.low = w;
  }

  /** The two 32-bit halves of the Zobrist hash. */
  hashHi(): number {
    return this.hi;
  }

  hashLo(): number {
    return this.lo;
  }

  snapshot(): SetSnapshot {
    this.trim();
    const snap = [this.low];
    for (let w = this.low; w <= this.top; w++) snap.push(this.words[w] as number);
    for (const word of this.pending) snap.push(word);
    return snap;
  }

  equals(snap: SetSnapshot): boolean {
    this.trim();
    const window = this.top + 1 - this.low;
    if (snap[0] !== this.low || snap.length !== 1 + window + this.pending.length) return false;
    for (let w = 0; w < window; w++) if (snap[1 + w] !== this.words[this.low + w]) return false;
    for (let w = 0; w < this.pending.length; w++) if (snap[1 + window + w] !== this.pending[w]) return false;
    return true;
  }

  private setPending(j: number, on: boolean): void {
    const w = j >>> 5;
    const bit = 1 << (j & 31);
    this.pending[w] = on ? (this.pending[w] as number) | bit : (this.pending[w] as number) & ~bit;
  }

  private trim(): void {
    while (this.top >= this.low && this.words[this.top] === 0) this.top--;
  }

  private flip(i: number): void {
    this.hi ^= mix32(2 * i + 0x9e3779b9);
    this.lo ^= mix32(2 * i + 0x7f4a7c15);
  }
}

interface CacheEntry<S> {
  readonly lo: number;
  readonly stateHash: string | undefined;
  readonly set: SetSnapshot;
  readonly state: S;
}

/** Buckets are keyed by 23 bits of the set's hash: a Map cannot hold more than 2^24 keys. */
const BUCKET_MASK = 0x7fffff;

/**
 * The memo of configurations already explored: (linearized set, state) pairs. Numeric bucket
 * keys with the rest of the hash checked in the bucket avoid building a string key per step.
 */
class StateCache<S> {
  private readonly buckets = new Map<number, CacheEntry<S>[]>();

  constructor(private readonly model: StateOps<S>) {}

  /** Records the configuration; false when it was already there. */
  add(set: LinearizedSet, state: S): boolean {
    const lo = set.hashLo();
    const stateHash = this.model.hash?.(state);
    const key = (set.hashHi() ^ (stateHash === undefined ? 0 : stringHash(stateHash))) & BUCKET_MASK;
    const bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.buckets.set(key, [{ lo, stateHash, set: set.snapshot(), state }]);
      return true;
    }
    for (const seen of bucket) {
      if (seen.lo !== lo || seen.stateHash !== stateHash) continue;
      if (set.equals(seen.set) && this.model.equal(seen.state, state)) return false;
    }
    bucket.push({ lo, stateHash, set: set.snapshot(), state });
    return true;
  }
}

/** FNV-1a over UTF-16 code units: spreads states with the same linearized set over buckets. */
function stringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

interface SearchOutcome<I, O> {
  readonly verdict: Verdict;
  readonly steps: number;
  readonly stop?: StopReason;
  /** For a violation: the deepest partial linearization, and the operation it was stuck at. */
  readonly prefix?: Operation<I, O>[];
  readonly blocked?: Operation<I, O>;
}

/** One Wing–Gong–Lowe search over the operations of one partition. */
class Search<S, I, O> {
  private readonly list: EntryList;
  private readonly linearized: LinearizedSet;
  private readonly cache: StateCache<S>;
  private readonly pending: boolean[];
  /** The call entries linearized so far, and the state before each. */
  private readonly stackEntry: Int32Array;
  private readonly stackState: S[] = [];
  private depth = 0;
  private state: S;
  /** The deepest stack seen at a dead end (operation indices); best[0, bestValid) still matches the stack. */
  private readonly best: Int32Array;
  private bestDepth = -1;
  private bestValid = 0;
  private blocked = -1;

  constructor(
    private readonly model: Model<S, I, O>,
    private readonly ops: readonly Operation<I, O>[],
    private readonly budget: Budget,
  ) {
    this.list = new EntryList(ops);
    this.pending = ops.map(isPending);
    const pendingCount = this.pending.filter(Boolean).length;
    this.linearized = new LinearizedSet(ops.length - pendingCount, pendingCount);
    this.cache = new StateCache(model);
    this.stackEntry = new Int32Array(ops.length);
    this.best = new Int32Array(ops.length);
    this.state = model.init();
  }

  run(): SearchOutcome<I, O> {
    const list = this.list;
    let entry = list.first();
    for (;;) {
      if (entry === list.head) return this.outcome('ok');
      const stop = this.budget.tick();
      if (stop !== undefined) return this.outcome('unknown', stop);
      if (list.isCall[entry] === 1) {
        entry = this.tryCall(entry);
        continue;
      }
      const op = list.opOf[entry] as number;
      // Only pending returns are left: every completed operation is placed.
      if (this.pending[op]) return this.outcome('ok');
      this.noteDeadEnd(op);
      if (this.depth === 0) return this.outcome('violation');
      entry = this.backtrack();
    }
  }

  /** Tries to linearize the call's operation now; returns the entry to visit next. */
  private tryCall(entry: number): number {
    const op = this.list.opOf[entry] as number;
    const o = this.ops[op] as Operation<I, O>;
    const [ok, next] = this.model.step(this.state, o.input, this.pending[op] ? undefined : o.output);
    if (ok) {
      this.linearized.add(op);
      if (this.cache.add(this.linearized, next)) {
        this.stackEntry[this.depth] = entry;
        this.stackState[this.depth] = this.state;
        this.depth++;
        this.state = next;
        this.list.lift(entry);
        return this.list.first();
      }
      this.linearized.remove(op);
    }
    return this.list.next[entry] as number;
  }

  /** Undoes the last linearization; the search resumes just after that call. */
  private backtrack(): number {
    this.depth--;
    const entry = this.stackEntry[this.depth] as number;
    this.state = this.stackState[this.depth] as S;
    this.linearized.remove(this.list.opOf[entry] as number);
    this.list.unlift(entry);
    if (this.depth < this.bestValid) this.bestValid = this.depth;
    return this.list.next[entry] as number;
  }

  /** Keeps the deepest dead end, copying only the part of the stack that changed since. */
  private noteDeadEnd(op: number): void {
    if (this.depth <= this.bestDepth) return;
    for (let d = this.bestValid; d < this.depth; d++) {
      this.best[d] = this.list.opOf[this.stackEntry[d] as number] as number;
    }
    this.bestDepth = this.depth;
    this.bestValid = this.depth;
    this.blocked = op;
  }

  private outcome(verdict: Verdict, stop?: StopReason): SearchOutcome<I, O> {
    const steps = this.budget.steps;
    if (verdict === 'violation') {
      const at = (i: number): Operation<I, O> => this.ops[i] as Operation<I, O>;
      const prefix = Array.from(this.best.subarray(0, this.bestDepth), at);
      return { verdict, steps, prefix, blocked: at(this.blocked) };
    }
    return stop === undefined ? { verdict, steps } : { verdict, steps, stop };
  }
}

/** Searches completed operations in call order, then pending ones: the order LinearizedSet needs. */
function search<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  maxSteps: number,
  clock: Clock,
): SearchOutcome<I, O> {
  if (expired(clock)) return { verdict: 'unknown', steps: 0, stop: 'time' };
  const byCall = ops.slice().sort((a, b) => a.call - b.call);
  const ordered = byCall.filter((o) => !isPending(o)).concat(byCall.filter(isPending));
  return new Search(model, ordered, new Budget(maxSteps, clock)).run();
}

interface Shrunk<I, O> {
  readonly ops: Operation<I, O>[];
  readonly oneMinimal: boolean;
  readonly checks: number;
}

/**
 * Drops operations while the rest stays non-linearizable: chunks of halving size first (so a
 * large partition collapses in few checks), then single operations until a full pass drops
 * nothing. A drop keeps whatever the remaining operations depend on. Every accepted drop was
 * verified, so the result is non-linearizable even when the budget runs out; a check that
 * answers 'unknown' keeps the chunk.
 */
class Shrinker<S, I, O> {
  checks = 0;
  private readonly deps: number[][];

  constructor(
    private readonly model: Model<S, I, O>,
    private readonly ops: readonly Operation<I, O>[],
    private readonly maxSteps: number,
    private readonly maxChecks: number,
    private readonly clock: Clock,
  ) {
    this.deps = model.dependencies?.(ops) ?? [];
  }

  run(): Shrunk<I, O> {
    let current = this.ops.map((_, i) => i);
    let chunk = Math.max(1, Math.ceil(current.length / 2));
    for (;;) {
      let dropped = false;
      for (let i = 0; i < current.length; ) {
        if (this.outOfBudget()) return this.result(current, false);
        const candidate = this.without(current, i, i + chunk);
        if (candidate !== undefined && this.fails(candidate)) {
          current = candidate;
          dropped = true;
        } else {
          i += chunk;
        }
      }
      if (chunk === 1 && !dropped) return this.result(current, true);
      chunk = Math.max(1, Math.ceil(chunk / 2));
    }
  }

  /** `current` minus its slice [from, to) and plus what the rest depends on; undefined if that drops nothing. */
  private without(current: readonly number[], from: number, to: number): number[] | undefined {
    const keep = new Uint8Array(this.ops.length);
    const work: number[] = [];
    current.forEach((op, i) => {
      if (i < from || i >= to) {
        keep[op] = 1;
        work.push(op);
      }
    });
    for (let op = work.pop(); op !== undefined; op = work.pop()) {
      for (const dep of this.deps[op] ?? []) {
        if (keep[dep] === 1) continue;
        keep[dep] = 1;
        work.push(dep);
      }
    }
    const candidate = current.filter((op) => keep[op] === 1);
    return candidate.length === current.length || candidate.length === 0 ? undefined : candidate;
  }

  private fails(candidate: readonly number[]): boolean {
    this.checks++;
    const sub = candidate.map((i) => this.ops[i] as Operation<I, O>);
    return search(this.model, sub, this.maxSteps, this.clock).verdict === 'violation';
  }

  private outOfBudget(): boolean {
    return this.checks >= this.maxChecks || expired(this.clock);
  }

  private result(current: readonly number[], oneMinimal: boolean): Shrunk<I, O> {
    return { ops: current.map((i) => this.ops[i] as Operation<I, O>), oneMinimal, checks: this.checks };
  }
}

function partitionKey<I, O>(model: Model<unknown, I, O>, ops: readonly Operation<I, O>[], index: number): string {
  return model.describe?.partition?.(ops) ?? String(index);
}

function violationOf<S, I, O>(
  model: Model<S, I, O>,
  ops: Operation<I, O>[],
  index: number,
  found: SearchOutcome<I, O>,
  options: CheckOptions,
  clock: Clock,
): Violation<I, O> {
  const key = partitionKey(model, ops, index);
  const base = { partition: index, key, prefix: found.prefix ?? [], blocked: found.blocked as Operation<I, O> };
  if (options.shrink === false) return { ...base, minimal: ops.slice(), oneMinimal: false, shrinkChecks: 0 };
  const steps = options.shrink?.maxStepsPerCheck ?? Math.max(MIN_SHRINK_STEPS, 2 * found.steps);
  const shrunk = new Shrinker(model, ops, steps, options.shrink?.maxChecks ?? DEFAULT_SHRINK_CHECKS, clock).run();
  return { ...base, minimal: shrunk.ops, oneMinimal: shrunk.oneMinimal, shrinkChecks: shrunk.checks };
}

/**
 * Checks that `history` is linearizable with respect to `model`, partition by partition. The
 * verdict is 'violation' if any partition checked is not linearizable, else 'unknown' if any
 * partition ran out of budget (or was not reached), else 'ok'.
 */
export function checkLinearizability<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  options: CheckOptions = {},
): CheckResult<I, O> {
  validateOperations(history);
  const clock = makeClock(options);
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const parts = model.partition ? model.partition(history) : [history.slice()];
  const partitions: PartitionResult[] = [];
  let violation: Violation<I, O> | undefined;
  let steps = 0;
  for (const [index, ops] of parts.entries()) {
    if (violation !== undefined && options.stopOnViolation !== false) break;
    const found = search(model, ops, maxSteps, clock);
    steps += found.steps;
    const key = partitionKey(model, ops, index);
    const base = { index, key, size: ops.length, verdict: found.verdict, steps: found.steps };
    partitions.push(found.stop === undefined ? base : { ...base, stop: found.stop });
    if (found.verdict === 'violation' && violation === undefined) {
      violation = violationOf(model, ops, index, found, options, clock);
    }
  }
  const complete = partitions.length === parts.length && partitions.every((p) => p.verdict === 'ok');
  const verdict: Verdict = violation !== undefined ? 'violation' : complete ? 'ok' : 'unknown';
  const result = { verdict, partitions, partitionsChecked: partitions.length, partitionsTotal: parts.length, steps };
  return violation === undefined ? result : { ...result, violation };
}

function describeOperation<I, O>(model: Model<unknown, I, O>, op: Operation<I, O>): string {
  const result = isPending(op) ? '?' : JSON.stringify(op.output);
  const what = model.describe?.operation?.(op) ?? `${JSON.stringify(op.input)} → ${result}`;
  const ret = isPending(op) ? '∞' : String(op.ret);
  return `#${op.id} client ${op.client} [${op.call}, ${ret}] ${what}`;
}

/** A human-readable account of a violation, for reports and failing tests. */
export function formatViolation<S, I, O>(model: Model<S, I, O>, violation: Violation<I, O>): string {
  const line = (op: Operation<I, O>): string => `  ${describeOperation(model, op)}`;
  const minimality = violation.oneMinimal ? ', 1-minimal' : '';
  return [
    `not linearizable: partition ${violation.key}`,
    `deepest partial linearization (${violation.prefix.length} operations):`,
    ...violation.prefix.map(line),
    'could not get past the return of:',
    line(violation.blocked),
    `minimal non-linearizable sub-history (${violation.minimal.length} operations${minimality}):`,
    ...violation.minimal.map(line),
  ].join('\n');
}
