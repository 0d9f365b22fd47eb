import { describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../src/runtime/agent/durable.js';
import { checkRun, failingHistory } from '../src/runtime/check/index.js';
import { checkKvLinearizable, kvOperations } from '../src/runtime/check/linear.js';
import { checkAgreement, checkChosen, checkDivergence, checkDurability, checkStability, checkValidity } from '../src/runtime/check/logs.js';
import type { AgentLog } from '../src/runtime/check/types.js';
import type { AuditResult } from '../src/runtime/check/audit.js';
import type { HistoryEvent } from '../src/runtime/history.js';

// The checks of a real run over hand-made histories and decision logs with known answers.

/** A store audit in which each acknowledged (slot, value) is held by `n` stores. */
const audit = (held: [number, string, number][], stores = 3): AuditResult => ({
  slots: new Map(held.map(([slot, v, n]) => [slot, { holding: new Map([[v, n]]), chosen: null }])),
  stores,
  majority: Math.floor(stores / 2) + 1,
});
const rec = (slot: number, value: string, inc = 0): DecisionRecord => ({ slot, value, inc });
const log = (agent: number, records: DecisionRecord[], finalInc = 0): AgentLog => ({ agent, records, finalInc });

let clock = 0;
const at = (): number => (clock += 1);
function put(id: number, key: string, value: string, outcome: 'ok' | 'info' | 'fail' | null, slot?: number, p = id): HistoryEvent[] {
  const base = { id, process: p, agent: 0, f: 'put' as const, key };
  const out: HistoryEvent[] = [{ type: 'invoke', time: at(), ...base, value, command: `w${id}:${key}=${value}` }];
  if (outcome) out.push({ type: outcome, time: at(), ...base, ...(slot !== undefined ? { slot } : {}) });
  return out;
}
function get(id: number, key: string, value: string | null, slot?: number, p = id): HistoryEvent[] {
  const base = { id, process: p, agent: 0, f: 'get' as const, key };
  return [{ type: 'invoke', time: at(), ...base, command: `r${id}:?${key}` }, { type: 'ok', time: at(), ...base, value, ...(slot !== undefined ? { slot } : {}) }];
}

describe('safety over decision logs', () => {
  it('agreement: two agents with different values in one slot', () => {
    expect(checkAgreement([log(0, [rec(0, 'a')]), log(1, [rec(0, 'a')])]).status).toBe('ok');
    const bad = checkAgreement([log(0, [rec(0, 'a')]), log(1, [rec(0, 'b')])]);
    expect(bad).toMatchObject({ status: 'violation', slots: [0] });
  });

  it('stability: one agent changing its decision across incarnations', () => {
    expect(checkStability([log(0, [rec(0, 'a', 0), rec(0, 'a', 1)])]).status).toBe('ok');
    expect(checkStability([log(0, [rec(0, 'a', 0), rec(0, 'b', 1)])]).status).toBe('violation');
  });

  it('validity: a value no client submitted', () => {
    expect(checkValidity([log(0, [rec(0, 'a'), rec(1, 'noop')])], new Set(['a'])).status).toBe('ok');
    expect(checkValidity([log(0, [rec(0, 'x')])], new Set(['a'])).status).toBe('violation');
  });

  it('no-divergence: a hole in an incarnation log, and prefixes that disagree', () => {
    expect(checkDivergence([log(0, [rec(0, 'a'), rec(1, 'b')]), log(1, [rec(0, 'a')])]).status).toBe('ok');
    expect(checkDivergence([log(0, [rec(0, 'a'), rec(2, 'b')])]).status).toBe('violation');
    expect(checkDivergence([log(0, [rec(0, 'a'), rec(1, 'b')]), log(1, [rec(0, 'a'), rec(1, 'c')])]).status).toBe('violation');
  });

  it('durability: an acknowledged command missing from a majority of stores, or re-learned differently', () => {
    const acked = [{ id: 1, command: 'w1:k=1', slot: 0 }];
    const final = [log(0, [rec(0, 'w1:k=1', 0), rec(0, 'w1:k=1', 1)], 1)];
    expect(checkDurability(final, acked, audit([[0, 'w1:k=1', 2]])).status).toBe('ok');
    expect(checkDurability(final, acked, audit([[0, 'w1:k=1', 1]]))).toMatchObject({ status: 'violation', ops: [1] });
    const relearnedOther = [log(0, [rec(0, 'w1:k=1', 0), rec(0, 'w9:k=9', 1)], 1)];
    expect(checkDurability(relearnedOther, acked, audit([[0, 'w1:k=1', 3]])).status).toBe('violation');
    expect(checkDurability(final, acked, null).status).toBe('unknown');
  });
});

describe('agreement from the stores', () => {
  it('a decided value must be chosen: accepted by a majority at one ballot (lists), or held by a majority (registers)', () => {
    const logs = [log(0, [rec(0, 'v')])];
    const list = (votes: [number, string][][]): AuditResult => {
      const holding = new Map<string, number>();
      for (const vs of votes) for (const v of new Set(vs.map(([, x]) => x))) holding.set(v, (holding.get(v) ?? 0) + 1);
      const chosen = new Set<string>();
      for (const [b, v] of votes.flat()) if (votes.filter((vs) => vs.some(([b2, v2]) => b2 === b && v2 === v)).length >= 2) chosen.add(v);
      return { slots: new Map([[0, { holding, chosen }]]), stores: 3, majority: 2 };
    };
    const none = { snapshots: new Map(), stores: 3, majority: 2 };
    expect(checkChosen(logs, list([[[1, 'v']], [[1, 'v']], []]), none)).toBeNull();
    // decide-by-value: v on two lists, but at two ballots: never chosen.
    expect(checkChosen(logs, list([[[1, 'v']], [[3, 'v']], [[2, 'w']]]), none)?.status).toBe('violation');
    expect(checkChosen(logs, audit([[0, 'v', 2]]), none)).toBeNull();
    expect(checkChosen(logs, audit([[0, 'v', 1]]), none)?.status).toBe('violation');
  });

  it('a decided value must already be chosen when the stores are read right after the decision', () => {
    const logs = [log(0, [rec(0, 'v')])];
    // At the end, the proposer's remaining ACCEPTs have landed: v is chosen at ballot 3.
    const end: AuditResult = { slots: new Map([[0, { holding: new Map([['v', 3]]), chosen: new Set(['v']) }]]), stores: 3, majority: 2 };
    const early = { holding: new Map([['v', 2]]), chosen: new Set<string>() };
    const snap = (audit: typeof early) => ({ snapshots: new Map([[0, { agent: 0, value: 'v', lagMs: 1.5, audit }]]), stores: 3, majority: 2 });
    expect(checkChosen(logs, end, snap(early))).toMatchObject({ status: 'violation', slots: [0] });
    expect(checkChosen(logs, end, snap(early))?.message).toMatch(/slot 0: agent 0 decided "v", but 1\.5 ms after it decided no majority of the 3 stores accepted it at one ballot/);
    expect(checkChosen(logs, end, snap({ holding: new Map([['v', 2]]), chosen: new Set(['v']) }))).toBeNull();
    // Registers keep only the last vote: held by a majority is what can be checked.
    const register = { snapshots: new Map([[0, { agent: 0, value: 'v', lagMs: 1, audit: { holding: new Map([['v', 1]]), chosen: null } }]]), stores: 3, majority: 2 };
    expect(checkChosen(logs, null, register)?.status).toBe('violation');
  });
});

describe('linearizability of the key-value history', () => {
  it('accepts a linearizable history, with an operation left pending by a killed client', () => {
    clock = 0;
    const h = [...put(1, 'k', 'a', 'ok', 0), ...put(2, 'k', 'b', 'info'), ...get(3, 'k', 'b', 2), ...get(4, 'k', 'b', 3)];
    expect(kvOperations(h).find((o) => o.id === 2)?.output).toBeUndefined();
    expect(checkKvLinearizable(h, 5000).result.status).toBe('ok');
  });

  it('rejects a stale read after a completed write, and names the minimal sub-history', () => {
    clock = 0;
    const h = [...put(1, 'k', 'a', 'ok', 0), ...put(2, 'k', 'b', 'ok', 1), ...get(3, 'k', 'a', 2), ...get(4, 'j', null, 3)];
    const r = checkKvLinearizable(h, 5000);
    expect(r.result.status).toBe('violation');
    expect([...r.minimal].sort()).toEqual([1, 2, 3]);
  });

  it('leaves failed operations out: they never happened', () => {
    clock = 0;
    const h = [...put(1, 'k', 'a', 'ok', 0), ...put(2, 'k', 'b', 'fail'), ...get(3, 'k', 'a', 1)];
    expect(checkKvLinearizable(h, 5000).result.status).toBe('ok');
  });
});

describe('checkRun', () => {
  it('names the first violated property and cuts the failing sub-history to its witnesses', () => {
    clock = 0;
    const h: HistoryEvent[] = [
      ...put(1, 'k', 'a', 'ok', 0),
      { type: 'fault', time: at(), fault: 'kill', target: 'agent 1' },
      ...put(2, 'k', 'b', 'ok', 1),
      { type: 'decide', time: at(), agent: 0, inc: 0, slot: 1, value: 'w2:k=b' },
      { type: 'decide', time: at(), agent: 1, inc: 0, slot: 1, value: 'w1:k=a' },
    ];
    const logs = [log(0, [rec(0, 'w1:k=a'), rec(1, 'w2:k=b')]), log(1, [rec(0, 'w1:k=a'), rec(1, 'w1:k=a')])];
    const v = checkRun(h, logs, null, { snapshots: new Map(), stores: 3, majority: 2 }, { linearizabilityMs: 5000 });
    expect(v.verdict).toBe('violation');
    expect(v.violated?.property).toBe('agreement');
    const failing = failingHistory(h, v.violated!);
    expect(failing.filter((e) => e.type === 'decide')).toHaveLength(2);
    expect(failing.some((e) => e.type === 'invoke' && e.id === 2)).toBe(true);
  });
});
