// The vocabulary of linearizability checking: recorded operations, sequential models, options
// and results (linearizability.ts is the checker).

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
