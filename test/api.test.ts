import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { always, check, formatResult, checkDeterminism, defineAgent, defineProtocol, schedules, sometimes } from '../src/index.js';
import '../src/vitest.js';

// A tiny register protocol written only against the public API: node 0 writes its submitted
// value to node 1, which stores and decides it. Enough to exercise every strategy end to end.
const keeper = defineAgent<{ v: string | null }>({
  role: 'keeper',
  init: () => ({ v: null }),
  onMessage: (s, _from, msg, ctx) => {
    const v = String(msg);
    ctx.decide(0, v);
    return { v };
  },
  view: (s) => (s.v === null ? {} : { decided: { 0: s.v } }),
});
const client = defineAgent<null>({
  role: 'client',
  init: () => null,
  onSubmit: (s, v, ctx) => (ctx.send(1, v), s),
  view: () => ({}),
});
const register = defineProtocol({
  name: 'api-register',
  agents: [client, keeper],
  workload: [{ node: 0, value: 'x' }],
  acceptors: [],
  properties: (builtIn) => [
    ...builtIn,
    always('one-value', (s) => s.decided(0).every((v) => v === 'x') || 'a value other than x was decided'),
    sometimes('decided', (s) => s.decided(0).length > 0),
    sometimes('never', () => false),
  ],
});

describe('public API', () => {
  test.each(['simulate', 'random', 'bfs', 'fast-check'] as const)('%s: no violation, unreached sometimes reported by name', (strategy) => {
    const r = check(register, { strategy, runs: 20, out: false, topology: { commands: 1 } });
    expect(r.violation).toBeNull();
    expect(r.verdict).toBe('unreached');
    expect(r.unreached).toEqual(['never']);
    expect(r.sometimes.find((s) => s.name === 'decided')?.reached).toBeGreaterThan(0);
    expect(r.ok).toBe(false);
  });

  test('a bad option is one clear error', () => {
    expect(() => check(register, { runs: 0 })).toThrow(/option "runs"/);
    expect(() => check(register, { strategy: 'nope' as 'bfs' })).toThrow(/option "strategy"/);
  });

  test('toHold fails with the property, the counterexample and the replay command', () => {
    const out = '/tmp/t1';
    const r = check('static', { mutant: 'minority-quorum', strategy: 'simulate', out });
    expect(r.violation?.property).toBe('agreement');
    expect(r.replayCommand).toMatch(/^npx paxcheck replay \/tmp\/t1\/failures\/static-minority-quorum-1-\d+\.json$/);
    expect(r.counterexample.some((l) => l.startsWith('>>'))).toBe(true);
    let message = '';
    try {
      expect(r).toHold();
    } catch (err) {
      message = String(err);
    }
    expect(message).toContain('violates agreement');
    expect(message).toContain('npx paxcheck replay');
    expect(check('static', { runs: 20, out: false })).toHold();
  });

  test('schedules: fast-check shrinks a failing schedule of a mutant', () => {
    const arb = schedules('static', { mutant: 'minority-quorum', topology: { commands: 1 } });
    const details = fc.check(fc.property(arb, (s) => s.violation === null), { seed: 3, numRuns: 300 });
    expect(details.failed).toBe(true);
    const [s] = details.counterexample ?? [];
    expect(s?.violation?.property).toBe('agreement');
    expect(String(s)).toContain('violating agreement');
  });

  test('checkDeterminism: a protocol reading module state is caught', () => {
    expect(checkDeterminism('static', { runs: 3 }).ok).toBe(true);
    let counter = 0;
    const leaky = defineProtocol({
      name: 'api-leaky',
      agents: [defineAgent<number>({ role: 'leaky', init: () => counter++, view: () => ({}), onSubmit: (s, v, ctx) => (ctx.setTimer(`t${s}`, 1), s) })],
    });
    const r = checkDeterminism(leaky, { runs: 2 });
    expect(r.ok).toBe(false);
  });
});

describe('check() budgets', () => {
  test('a time budget ends a bfs incomplete, with stopReason time, and no violation', () => {
    const r = check('static', { strategy: 'bfs', maxTimeMs: 300, out: false });
    expect(r.ok).toBe(true);
    expect(r.search?.complete).toBe(false);
    expect(r.search?.stopReason).toBe('time');
    expect(formatResult(r)).toContain('incomplete (time budget or bound reached)');
    // No bound given: the default ladder ran, and the formatted result says how far it got.
    expect(formatResult(r).split('\n')[0]).toMatch(/^bound ladder: \d+ attempts?, \d+ of 60 rungs complete; the summary below is rung \d+ \(2 proposers/);
  });
  test('a state bound says so too', () => {
    const r = check('static', { strategy: 'bfs', maxStates: 50, out: false });
    expect(r.search?.stopReason).toBe('states');
    expect(r.search?.ladder).toBeUndefined();
    expect(formatResult(r)).not.toContain('bound ladder');
  });
});
