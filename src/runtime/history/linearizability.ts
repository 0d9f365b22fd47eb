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


import { EntryList } from './entry-list.js';
import { LinearizedSet } from './linearized-set.js';
import type { CheckOptions, CheckResult, Model, Operation, PartitionResult, StopReason, Verdict, Violation } from './operations.js';
import { isPending, validateOperations } from './operations.js';
import { StateCache } from './state-cache.js';

export type { CheckOptions, CheckResult, Model, Operation, PartitionResult, ShrinkOptions, StateOps, StopReason, Verdict, Violation } from './operations.js';
export { isPending, validateOperations } from './operations.js';

const DEFAULT_MAX_STEPS = 10_000_000;
const DEFAULT_SHRINK_CHECKS = 400;
const MIN_SHRINK_STEPS = 100_000;
/** Steps between two reads of the clock. */
const CLOCK_EVERY = 1024;

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
