// The sequential specification of the replicated key-value store's client operations, as a
// model for the linearizability checker: put(key, value) → 'ok', get(key) → value | null
// (null: never written), cas(key, expected, next) → whether the value was `expected` (null
// expects an absent key) and so replaced by `next`.
//
// Operations on different keys commute and never observe each other, so a history is
// linearizable iff its per-key sub-histories are (linearizability is local): the model
// partitions by key, and each search then only ever sees one register. The state is still a
// map so that the model stays correct when used without partitioning.

import type { Model, Operation } from './linearizability.js';

export type KvInput =
  | { readonly kind: 'put'; readonly key: string; readonly value: string }
  | { readonly kind: 'get'; readonly key: string }
  | { readonly kind: 'cas'; readonly key: string; readonly expected: string | null; readonly next: string };

/** 'ok' for put, the value or null for get, success for cas. */
export type KvOutput = string | null | boolean;

export type KvOperation = Operation<KvInput, KvOutput>;

/** Key → value; an absent key reads as null. Never mutated: a write copies. */
export type KvState = ReadonlyMap<string, string>;

export function kvPut(key: string, value: string): KvInput {
  return { kind: 'put', key, value };
}

export function kvGet(key: string): KvInput {
  return { kind: 'get', key };
}

export function kvCas(key: string, expected: string | null, next: string): KvInput {
  return { kind: 'cas', key, expected, next };
}

function write(state: KvState, key: string, value: string): KvState {
  const next = new Map(state);
  next.set(key, value);
  return next;
}

type CasInput = Extract<KvInput, { kind: 'cas' }>;

function stepCas(state: KvState, input: CasInput, output: KvOutput | undefined): readonly [boolean, KvState] {
  const hit = (state.get(input.key) ?? null) === input.expected;
  // A pending cas that misses changes nothing: the checker's omission of it already covers that.
  if (output === undefined) return [hit, hit ? write(state, input.key, input.next) : state];
  if (output !== hit) return [false, state];
  return [true, hit ? write(state, input.key, input.next) : state];
}

function step(state: KvState, input: KvInput, output: KvOutput | undefined): readonly [boolean, KvState] {
  switch (input.kind) {
    case 'put':
      return [output === undefined || output === 'ok', write(state, input.key, input.value)];
    case 'get':
      // A pending read has no effect and no result to check, so it is simply omitted.
      if (output === undefined) return [false, state];
      return [output === (state.get(input.key) ?? null), state];
    case 'cas':
      return stepCas(state, input, output);
  }
}

function equal(a: KvState, b: KvState): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function hash(state: KvState): string {
  // Partitioned by key, a state holds at most one entry: skip the sort and the encoding. The
  // cache compares states with equal() too, so a collision between the two forms is harmless.
  if (state.size === 0) return '';
  if (state.size === 1) for (const [k, v] of state) return `${k}\u0000${v}`;
  return JSON.stringify([...state].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function partition(ops: readonly KvOperation[]): KvOperation[][] {
  const byKey = new Map<string, KvOperation[]>();
  for (const op of ops) {
    const list = byKey.get(op.input.key);
    if (list === undefined) byKey.set(op.input.key, [op]);
    else list.push(op);
  }
  return [...byKey.values()];
}

/** The value an operation may have written, if any: a failed cas wrote nothing. */
function written(op: KvOperation): string | undefined {
  if (op.input.kind === 'put') return op.input.value;
  if (op.input.kind === 'cas' && op.output !== false) return op.input.next;
  return undefined;
}

/** The value an operation saw, if it saw a written one: a get's result, a successful cas's expected. */
function observed(op: KvOperation): string | undefined {
  if (op.input.kind === 'get' && typeof op.output === 'string') return op.output;
  if (op.input.kind === 'cas' && op.output === true && op.input.expected !== null) return op.input.expected;
  return undefined;
}

/**
 * An operation that saw value v depends on every operation that may have written v (all of
 * them, as the checker cannot tell which one it was; with unique values there is one), on
 * the same key.
 */
function dependencies(ops: readonly KvOperation[]): number[][] {
  const writers = new Map<string, number[]>();
  ops.forEach((op, i) => {
    const v = written(op);
    if (v === undefined) return;
    const k = JSON.stringify([op.input.key, v]);
    const list = writers.get(k);
    if (list === undefined) writers.set(k, [i]);
    else list.push(i);
  });
  return ops.map((op, i) => {
    const v = observed(op);
    if (v === undefined) return [];
    return (writers.get(JSON.stringify([op.input.key, v])) ?? []).filter((w) => w !== i);
  });
}

function describeInput(input: KvInput): string {
  const q = (v: string | null): string => JSON.stringify(v);
  switch (input.kind) {
    case 'put':
      return `put(${q(input.key)}, ${q(input.value)})`;
    case 'get':
      return `get(${q(input.key)})`;
    case 'cas':
      return `cas(${q(input.key)}, ${q(input.expected)}, ${q(input.next)})`;
  }
}

export const kvModel: Model<KvState, KvInput, KvOutput> = {
  init: () => new Map<string, string>(),
  step,
  equal,
  hash,
  partition,
  dependencies,
  describe: {
    partition: (ops) => `key ${JSON.stringify(ops[0]?.input.key ?? null)}`,
    operation: (op) => `${describeInput(op.input)} → ${op.output === undefined ? '?' : JSON.stringify(op.output)}`,
  },
};
