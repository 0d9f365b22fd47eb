import { describe, expect, it } from 'vitest';
import {
  kvCas,
  kvGet,
  kvModel,
  kvPut,
  type KvInput,
  type KvOperation,
  type KvOutput,
  type KvState,
} from '../src/runtime/history/kv-model.js';
import {
  checkLinearizability,
  formatViolation,
  isPending,
  type CheckOptions,
  type CheckResult,
  type Model,
} from '../src/runtime/history/linearizability.js';

type Result = CheckResult<KvInput, KvOutput>;

/** Builds histories with fresh ids; `ret` undefined makes the operation pending. */
class History {
  readonly ops: KvOperation[] = [];

  put(key: string, value: string, call: number, ret?: number, client = 0): KvOperation {
    return this.add(kvPut(key, value), 'ok', call, ret, client);
  }

  get(key: string, value: string | null, call: number, ret?: number, client = 0): KvOperation {
    return this.add(kvGet(key), value, call, ret, client);
  }

  cas(key: string, from: string | null, to: string, ok: boolean, call: number, ret?: number, client = 0): KvOperation {
    return this.add(kvCas(key, from, to), ok, call, ret, client);
  }

  private add(input: KvInput, output: KvOutput, call: number, ret: number | undefined, client: number): KvOperation {
    const id = this.ops.length;
    const op: KvOperation = ret === undefined
      ? { id, client, input, output: undefined, call }
      : { id, client, input, output, call, ret };
    this.ops.push(op);
    return op;
  }
}

function check(ops: readonly KvOperation[], options?: CheckOptions): Result {
  return checkLinearizability(kvModel, ops, options);
}

const ids = (ops: readonly KvOperation[]): number[] => ops.map((o) => o.id).sort((a, b) => a - b);

/** A violation whose minimal sub-history is itself non-linearizable and strictly smaller than the history. */
function expectViolation(ops: readonly KvOperation[], options?: CheckOptions): Violation {
  const result = check(ops, options);
  expect(result.verdict).toBe('violation');
  const v = result.violation;
  if (v === undefined) throw new Error('violation without details');
  expect(check(v.minimal).verdict).toBe('violation');
  expect(v.minimal.length).toBeLessThan(ops.length);
  expect(ops).toEqual(expect.arrayContaining(v.minimal));
  expectSoundDetails(v);
  return v;
}

type Violation = NonNullable<Result['violation']>;

const precedes = (a: KvOperation, b: KvOperation): boolean => !isPending(a) && (a.ret as number) < b.call;

/**
 * The prefix is a real partial linearization (the model accepts it in that order, which never
 * contradicts real time) that does not contain the blocked operation; and a witness said to be
 * 1-minimal loses its violation when any one operation no other depends on is dropped.
 */
function expectSoundDetails(v: Violation): void {
  let state = kvModel.init();
  let latestCall = -Infinity;
  const wrong: string[] = [];
  for (const op of v.prefix) {
    const [ok, next] = kvModel.step(state, op.input, isPending(op) ? undefined : op.output);
    if (!ok) wrong.push(`#${op.id} rejected by the model`);
    // Placed after an operation called later than it returned: real time contradicted.
    if (!isPending(op) && (op.ret as number) < latestCall) wrong.push(`#${op.id} out of real-time order`);
    latestCall = Math.max(latestCall, op.call);
    state = next;
  }
  expect(wrong).toEqual([]);
  expect(v.prefix).not.toContain(v.blocked);
  if (!v.oneMinimal) return;
  const deps = kvModel.dependencies?.(v.minimal) ?? [];
  const needed = new Set(deps.flat());
  for (let i = 0; i < v.minimal.length; i++) {
    if (needed.has(i)) continue;
    expect(bruteForce(v.minimal.filter((_, j) => j !== i))).toBe(true);
  }
}

/** Independent oracle: tries every order that respects real time; pending operations may be left out. */
function bruteForce(ops: readonly KvOperation[]): boolean {
  const placed = new Array<boolean>(ops.length).fill(false);
  const go = (state: KvState, left: number): boolean => {
    if (left === 0) return true;
    for (const [i, x] of ops.entries()) {
      if (placed[i]) continue;
      if (ops.some((y, j) => !placed[j] && j !== i && precedes(y, x))) continue;
      const [ok, next] = kvModel.step(state, x.input, isPending(x) ? undefined : x.output);
      if (!ok) continue;
      placed[i] = true;
      const done = go(next, left - (isPending(x) ? 0 : 1));
      placed[i] = false;
      if (done) return true;
    }
    return false;
  };
  return go(kvModel.init(), ops.filter((o) => !isPending(o)).length);
}

/** xorshift32 in [0, 1). */
function random(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

interface Planned {
  readonly op: KvOperation;
  readonly at: number;
  readonly effective: boolean;
}

/**
 * One client slot's operations: random overlapping intervals, a linearization point inside each.
 * Now and then the client is killed mid-operation (which stays pending, and took effect or not)
 * and a fresh client, with a new id, takes over the slot, as a test harness respawns them.
 */
function planClient(
  rand: () => number,
  slot: number,
  slots: number,
  count: number,
  keys: number,
  nextValue: () => string,
): Planned[] {
  const planned: Planned[] = [];
  let client = slot;
  let t = rand() * 10;
  for (let j = 0; j < count; j++) {
    const call = t + rand() * 3;
    const ret = call + 1 + rand() * 20;
    const at = call + (0.001 + 0.998 * rand()) * (ret - call);
    const key = `k${Math.floor(rand() * keys)}`;
    const r = rand();
    // A cas's expected value is settled in simulateRegister, which knows the current one.
    const input = r < 0.4 ? kvPut(key, nextValue()) : r < 0.9 ? kvGet(key) : kvCas(key, null, nextValue());
    const killed = rand() < 0.002;
    const op: KvOperation = { id: -1, client, input, output: undefined, call, ret: killed ? Infinity : ret };
    planned.push({ op, at, effective: !killed || rand() < 0.5 });
    if (killed) client += slots;
    t = ret;
  }
  return planned;
}

/** Runs the planned operations on a real atomic map in linearization-point order to get their outputs. */
function simulateRegister(seed: number, clients: number, perClient: number, keys: number): KvOperation[] {
  const rand = random(seed);
  let counter = 0;
  const nextValue = (): string => `v${counter++}`;
  const slots = Array.from({ length: clients }, (_, c) => planClient(rand, c, clients, perClient, keys, nextValue));
  const planned = slots.flat();
  planned.sort((a, b) => a.at - b.at);
  let state: KvState = kvModel.init();
  const out: KvOperation[] = [];
  // The value each key held before its current one: what a cas that lost a race expects.
  const previous = new Map<string, string | null>();
  for (const item of planned) {
    const key = item.op.input.key;
    const cur = state.get(key) ?? null;
    let op = item.op;
    if (op.input.kind === 'cas') {
      const expected = rand() < 0.6 ? cur : (previous.get(key) ?? null);
      op = { ...op, input: kvCas(key, expected, op.input.next) };
    }
    if (!item.effective) {
      out.push(op);
      continue;
    }
    const output: KvOutput = op.input.kind === 'put' ? 'ok' : op.input.kind === 'get' ? cur : cur === op.input.expected;
    state = kvModel.step(state, op.input, output)[1];
    if ((state.get(key) ?? null) !== cur) previous.set(key, cur);
    out.push(isPending(op) ? op : { ...op, output });
  }
  return out.sort((a, b) => a.call - b.call).map((op, id) => ({ ...op, id }));
}

/** Makes one completed get read a value overwritten before it was called: a stale read. */
function makeStale(ops: KvOperation[]): { mutated: KvOperation[]; read: KvOperation; writer: KvOperation } {
  const puts = ops.filter((o) => o.input.kind === 'put' && !isPending(o));
  for (const g of ops.slice(ops.length >> 1)) {
    if (g.input.kind !== 'get' || isPending(g)) continue;
    const key = g.input.key;
    const before = puts.filter((p) => p.input.key === key && (p.ret as number) < g.call);
    const old = before.find((w) => before.some((w2) => (w.ret as number) < w2.call));
    if (old === undefined || old.input.kind !== 'put') continue;
    const read = { ...g, output: old.input.value };
    return { mutated: ops.map((o) => (o === g ? read : o)), read, writer: old };
  }
  throw new Error('no stale read possible');
}

describe('linearizability: sequential histories', () => {
  it('accepts a sequential history that follows the register', () => {
    const h = new History();
    h.get('x', null, 0, 1);
    h.put('x', 'a', 2, 3);
    h.get('x', 'a', 4, 5);
    h.cas('x', 'a', 'b', true, 6, 7);
    h.cas('x', 'a', 'c', false, 8, 9);
    h.get('x', 'b', 10, 11);
    const r = check(h.ops);
    expect(r.verdict).toBe('ok');
    expect(r.partitions).toEqual([expect.objectContaining({ key: 'key "x"', size: 6, verdict: 'ok' })]);
    expect(r.violation).toBeUndefined();
  });

  it('rejects a sequential stale read and shrinks to put a, put b, get → a', () => {
    const h = new History();
    const a = h.put('x', 'a', 0, 1);
    h.get('x', 'a', 2, 3);
    const b = h.put('x', 'b', 4, 5);
    const stale = h.get('x', 'a', 6, 7);
    const v = expectViolation(h.ops);
    expect(ids(v.minimal)).toEqual(ids([a, b, stale]));
    expect(v.oneMinimal).toBe(true);
    expect(v.blocked).toBe(stale);
    expect(ids(v.prefix)).toEqual([0, 1, 2]);
  });

  it('rejects reading null after a completed write', () => {
    const h = new History();
    h.put('x', 'a', 0, 1);
    h.get('x', 'a', 2, 3);
    const bad = h.get('x', null, 4, 5);
    const v = expectViolation(h.ops);
    expect(v.minimal).toContain(bad);
  });
});

describe('linearizability: concurrent histories', () => {
  it('accepts overlapping writes that only one order explains', () => {
    const h = new History();
    h.put('x', '1', 0, 10, 0);
    h.put('x', '2', 0, 10, 1);
    h.get('x', '2', 2, 3, 2);
    h.get('x', '1', 11, 12, 2);
    expect(check(h.ops).verdict).toBe('ok');
    // The only order is put 2, get 2, put 1, get 1: a later read of 2 has no explanation.
    h.get('x', '2', 13, 14, 3);
    const v = expectViolation(h.ops);
    expect(ids(v.minimal)).toEqual([0, 1, 3, 4]);
  });

  it('accepts concurrent cas where exactly one wins, and rejects two winners', () => {
    const ok = new History();
    ok.cas('x', null, 'a', false, 0, 10, 0);
    ok.cas('x', null, 'b', true, 0, 10, 1);
    ok.get('x', 'b', 11, 12, 2);
    expect(check(ok.ops).verdict).toBe('ok');

    const wrongWinner = new History();
    wrongWinner.cas('x', null, 'a', false, 0, 10, 0);
    wrongWinner.cas('x', null, 'b', true, 0, 10, 1);
    wrongWinner.get('x', null, 0, 1, 3);
    wrongWinner.get('x', 'a', 11, 12, 2);
    // The cas of 'a' reported failure, so it wrote nothing: the read of 'a' alone is the witness.
    const v = expectViolation(wrongWinner.ops);
    expect(ids(v.minimal)).toEqual([3]);

    const both = new History();
    both.cas('x', null, 'a', true, 0, 10, 0);
    both.cas('x', null, 'b', true, 0, 10, 1);
    both.get('x', null, 0, 1, 2);
    expect(ids(expectViolation(both.ops).minimal)).toEqual([0, 1]);
  });

  it('rejects a stale read after a completed write, with a bystander left out of the witness', () => {
    const h = new History();
    const w1 = h.put('x', '1', 0, 1);
    const w2 = h.put('x', '2', 2, 3);
    h.get('x', '2', 2.5, 10, 1);
    const stale = h.get('x', '1', 4, 5);
    const v = expectViolation(h.ops);
    expect(ids(v.minimal)).toEqual(ids([w1, w2, stale]));
    expect(v.blocked).toBe(stale);
  });

  it('rejects two readers that see two concurrent writes in opposite orders', () => {
    const h = new History();
    h.put('x', '1', 0, 100, 0);
    h.put('x', '2', 0, 100, 1);
    h.get('x', '1', 10, 20, 2);
    h.get('x', '2', 30, 40, 2);
    h.get('x', '2', 10, 20, 3);
    h.get('x', '1', 30, 40, 3);
    const whole = check(h.ops);
    expect(whole.verdict).toBe('violation');
    // Every read is needed: without any one of them an order exists.
    expect(whole.violation?.minimal.length).toBe(6);
    expect(whole.violation?.oneMinimal).toBe(true);
    for (let drop = 2; drop < 6; drop++) expect(check(h.ops.filter((o) => o.id !== drop)).verdict).toBe('ok');
    // With an unrelated read before it all, the witness is smaller than the history.
    h.get('x', null, -2, -1, 4);
    expect(ids(expectViolation(h.ops).minimal)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('treats equal timestamps as concurrent', () => {
    const h = new History();
    h.put('x', 'a', 0, 5);
    h.get('x', null, 5, 6);
    expect(check(h.ops).verdict).toBe('ok');
    const later = new History();
    later.put('x', 'a', 0, 5);
    later.get('x', null, 5.001, 6);
    expect(check(later.ops).verdict).toBe('violation');
  });
});

describe('linearizability: pending operations', () => {
  it('takes a pending write as effective when a later read needs it', () => {
    const h = new History();
    h.put('x', '1', 0);
    h.get('x', null, 1, 2);
    h.get('x', '1', 5, 6);
    expect(check(h.ops).verdict).toBe('ok');
  });

  it('takes a pending cas as effective when a later read needs it', () => {
    const h = new History();
    h.cas('x', null, 'a', true, 0);
    h.get('x', 'a', 5, 6);
    expect(check(h.ops).verdict).toBe('ok');
  });

  it('omits a pending write whose value is never read', () => {
    const h = new History();
    h.put('x', '1', 0);
    h.get('x', null, 5, 6);
    h.get('x', null, 7, 8);
    h.get('k', null, 9);
    expect(check(h.ops).verdict).toBe('ok');
  });

  it('accepts a pending ret of Infinity the same as a missing one', () => {
    const ops: KvOperation[] = [
      { id: 0, client: 0, input: kvPut('x', '1'), output: undefined, call: 0, ret: Infinity },
      { id: 1, client: 1, input: kvGet('x'), output: '1', call: 3, ret: 4 },
    ];
    expect(check(ops).verdict).toBe('ok');
  });

  it('rejects a read of a value nobody wrote, not even a pending write', () => {
    const h = new History();
    h.put('x', '1', 0);
    h.get('x', null, 0.5, 0.7);
    const bad = h.get('x', '2', 1, 2);
    const v = expectViolation(h.ops);
    expect(v.minimal).toEqual([bad]);
  });

  it('rejects a pending write that is seen and then unseen', () => {
    const h = new History();
    h.get('x', null, -2, -1);
    const w = h.put('x', '1', 0);
    const seen = h.get('x', '1', 1, 2);
    const unseen = h.get('x', null, 3, 4);
    const v = expectViolation(h.ops);
    expect(ids(v.minimal)).toEqual(ids([w, seen, unseen]));
  });
});

describe('linearizability: partitions', () => {
  function manyKeys(keys: number, staleKey?: number): KvOperation[] {
    const h = new History();
    for (let k = 0; k < keys; k++) {
      const t = k * 0.01;
      h.put(`k${k}`, 'a', t, t + 10, 0);
      h.put(`k${k}`, 'b', t, t + 10, 1);
      h.get(`k${k}`, 'b', t + 1, t + 2, 2);
      h.get(`k${k}`, 'a', t + 11, t + 12, 2);
      if (k === staleKey) h.get(`k${k}`, 'b', t + 13, t + 14, 3);
    }
    return h.ops;
  }

  it('checks every key of a linearizable history on its own', () => {
    const r = check(manyKeys(200));
    expect(r.verdict).toBe('ok');
    expect(r.partitionsTotal).toBe(200);
    expect(r.partitionsChecked).toBe(200);
    expect(r.partitions.every((p) => p.size === 4 && p.verdict === 'ok')).toBe(true);
    expect(r.partitions[57]?.key).toBe('key "k57"');
  });

  it('names the key that is not linearizable', () => {
    const ops = manyKeys(200, 57);
    const v = expectViolation(ops);
    expect(v.key).toBe('key "k57"');
    expect(v.partition).toBe(57);
    expect(v.minimal.every((o) => o.input.key === 'k57')).toBe(true);
    expect(v.minimal).toHaveLength(4);
    const stopped = check(ops);
    expect(stopped.partitionsChecked).toBe(58);
    const all = check(ops, { stopOnViolation: false });
    expect(all.partitionsChecked).toBe(200);
    expect(all.partitions.filter((p) => p.verdict === 'violation').map((p) => p.key)).toEqual(['key "k57"']);
  });

  it('puts a violation in one key above an unknown in another, and unknown above ok', () => {
    const h = new History();
    for (let i = 0; i < 16; i++) h.put('slow', `v${i}`, 0, 100, i);
    h.get('slow', 'never', 0, 100, 99);
    h.put('ok', 'a', 0, 1);
    h.get('ok', 'a', 2, 3);
    const unknown = check(h.ops, { maxSteps: 5000 });
    expect(unknown.verdict).toBe('unknown');
    expect(unknown.partitions.map((p) => p.verdict)).toEqual(['unknown', 'ok']);
    h.put('bad', 'a', 0, 1);
    h.get('bad', null, 2, 3);
    const r = check(h.ops, { maxSteps: 5000 });
    expect(r.verdict).toBe('violation');
    expect(r.violation?.key).toBe('key "bad"');
    expect(r.partitions.map((p) => p.verdict)).toEqual(['unknown', 'ok', 'violation']);
  });
});

describe('linearizability: agreement with a brute-force oracle', () => {
  it('gives the oracle verdict on 600 random small histories', () => {
    const rand = random(4242);
    const counts = { ok: 0, violation: 0 };
    const vals = ['a', 'b', 'c'];
    const pick = (): string => vals[Math.floor(rand() * vals.length)] as string;
    for (let n = 0; n < 600; n++) {
      const h = new History();
      const size = 2 + Math.floor(rand() * 6);
      for (let i = 0; i < size; i++) {
        const call = Math.floor(rand() * 10);
        const ret = rand() < 0.1 ? undefined : call + Math.floor(rand() * 6);
        const r = rand();
        if (r < 0.4) h.put('x', pick(), call, ret, i);
        else if (r < 0.8) h.get('x', rand() < 0.2 ? null : pick(), call, ret, i);
        else h.cas('x', rand() < 0.3 ? null : pick(), pick(), rand() < 0.5, call, ret, i);
      }
      const expected = bruteForce(h.ops);
      const result = check(h.ops);
      expect(result.verdict, JSON.stringify(h.ops)).toBe(expected ? 'ok' : 'violation');
      counts[expected ? 'ok' : 'violation']++;
      if (result.violation) {
        expect(bruteForce(result.violation.minimal)).toBe(false);
        expectSoundDetails(result.violation);
      }
    }
    // Both answers must be well represented, or the comparison proves little.
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts.violation).toBeGreaterThan(100);
  });
});

describe('linearizability: large random histories', () => {
  const history = simulateRegister(20240601, 16, 1000, 4);

  it('accepts a simulated atomic register history quickly', () => {
    expect(history).toHaveLength(16_000);
    expect(history.filter(isPending).length).toBeGreaterThan(10);
    // Both cas outcomes occur, so the model's cas is exercised either way.
    const cas = history.filter((o) => o.input.kind === 'cas' && !isPending(o));
    expect(cas.filter((o) => o.output === true).length).toBeGreaterThan(100);
    expect(cas.filter((o) => o.output === false).length).toBeGreaterThan(100);
    const t0 = performance.now();
    const r = check(history);
    const ms = performance.now() - t0;
    const pending = history.filter(isPending).length;
    console.info(`large history: ${history.length} ops (${pending} pending), ${r.steps} steps, ${ms.toFixed(1)} ms`);
    expect(r.verdict).toBe('ok');
    expect(r.partitionsTotal).toBe(4);
    expect(ms).toBeLessThan(5000);
  });

  it('rejects it after one read is made stale, with a small witness that contains that read', () => {
    const { mutated, read, writer } = makeStale(history);
    const t0 = performance.now();
    const v = expectViolation(mutated);
    const ms = performance.now() - t0;
    console.info(`stale-read mutant: ${v.minimal.length}-op witness, ${v.shrinkChecks} checks, ${ms.toFixed(1)} ms`);
    expect(v.key).toBe(`key "${read.input.key}"`);
    // Without the mutated read the history is the simulated one, so every witness needs it.
    expect(v.minimal).toContain(read);
    expect(v.minimal).toContain(writer);
    expect(v.minimal.length).toBeLessThan(20);
    expect(v.oneMinimal).toBe(true);
    const value = (writer.input as { value: string }).value;
    expect(formatViolation(kvModel, v)).toContain(`get("${read.input.key}") → "${value}"`);
  });
});

describe('linearizability: budgets', () => {
  /** n concurrent writes and a read of a value none wrote: the search must visit every subset of writes. */
  function pathological(n: number): KvOperation[] {
    const h = new History();
    for (let i = 0; i < n; i++) h.put('x', `v${i}`, 0, 100, i);
    h.get('x', 'never', 0, 100, n);
    return h.ops;
  }

  it('answers unknown when the step budget runs out', () => {
    const r = check(pathological(16), { maxSteps: 1000 });
    expect(r.verdict).toBe('unknown');
    expect(r.violation).toBeUndefined();
    expect(r.partitions).toEqual([expect.objectContaining({ verdict: 'unknown', stop: 'steps', steps: 1000 })]);
  });

  it('answers violation on the same shape once the budget suffices', () => {
    const r = check(pathological(8), { maxSteps: 1_000_000 });
    expect(r.verdict).toBe('violation');
    expect(r.steps).toBeGreaterThan(1000);
    expect(r.violation?.minimal.map((o) => o.input.kind)).toEqual(['get']);
  });

  it('answers unknown when the wall clock runs out, reading it only every 1024 steps', () => {
    let reads = 0;
    const now = (): number => ++reads;
    const r = check(pathological(20), { timeoutMs: 40, now });
    expect(r.verdict).toBe('unknown');
    const p = r.partitions[0];
    expect(p?.stop).toBe('time');
    const steps = p?.steps ?? 0;
    expect(steps).toBeGreaterThanOrEqual(40 * 1024);
    // One read sets the deadline, one starts the partition, the rest come every 1024 steps.
    expect(reads).toBe(2 + Math.floor(steps / 1024));
  });
});

describe('linearizability: input checks and models', () => {
  it('rejects returns before calls and completed operations without an output', () => {
    const backwards: KvOperation[] = [{ id: 0, client: 0, input: kvGet('x'), output: null, call: 5, ret: 4 }];
    expect(() => check(backwards)).toThrow(RangeError);
    const silent: KvOperation[] = [{ id: 0, client: 0, input: kvPut('x', 'a'), output: undefined, call: 0, ret: 1 }];
    expect(() => check(silent)).toThrow(RangeError);
  });

  it('works with a model that has no hash, no partition and no describe', () => {
    const counter: Model<number, 'inc' | 'read', number> = {
      init: () => 0,
      step: (s, input, output) => (input === 'inc' ? [true, s + 1] : [output === undefined || output === s, s]),
      equal: (a, b) => a === b,
    };
    type CounterOp = { id: number; client: number; input: 'inc' | 'read'; output: number; call: number; ret: number };
    const op = (id: number, input: 'inc' | 'read', output: number, call: number, ret: number): CounterOp =>
      ({ id, client: id, input, output, call, ret });
    const ok = [op(0, 'inc', 0, 0, 10), op(1, 'inc', 0, 0, 10), op(2, 'read', 1, 1, 2), op(3, 'read', 2, 11, 12)];
    expect(checkLinearizability(counter, ok).verdict).toBe('ok');
    const bad = [...ok, op(4, 'read', 1, 13, 14)];
    const r = checkLinearizability(counter, bad);
    expect(r.verdict).toBe('violation');
    expect(r.violation?.key).toBe('0');
    expect(r.violation?.minimal.length).toBeLessThan(bad.length);
    expect(checkLinearizability(counter, r.violation?.minimal ?? []).verdict).toBe('violation');
  });

  it('tells states apart in the cache without a hash', () => {
    // put a then put b reaches the same set as put b then put a, in another state; only the
    // second order explains the read, so a cache that ignored states would answer violation.
    const unhashed: Model<KvState, KvInput, KvOutput> = { ...kvModel, hash: undefined };
    const h = new History();
    h.put('x', 'a', 0, 10, 0);
    h.put('x', 'b', 0, 10, 1);
    h.get('x', 'a', 11, 12, 2);
    expect(checkLinearizability(unhashed, h.ops).verdict).toBe('ok');
    h.get('x', 'b', 13, 14, 3);
    expect(checkLinearizability(unhashed, h.ops).verdict).toBe('violation');
  });

  it('checks the empty history', () => {
    expect(check([])).toMatchObject({ verdict: 'ok', partitionsTotal: 0, steps: 0 });
  });
});
