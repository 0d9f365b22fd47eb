import { describe, expect, it } from 'vitest';
import { CoverageCollector, mergeCoverage, messageKind, observeChoices, observers } from '../src/coverage/coverage.js';
import { runTimed } from '../src/sim/timed.js';
import { scenario, tinyPaxos } from './report-fixture.js';

describe('coverage collector', () => {
  const sys = tinyPaxos();
  const sc = scenario();

  function collect(runs: number, seed = 1): CoverageCollector {
    const c = new CoverageCollector(sys);
    for (let run = 0; run < runs; run++) runTimed(sys, sc, seed, run, { observer: c });
    return c;
  }

  it('collects labels per role, message orders, crash points, faults and saturation', () => {
    const d = collect(40).data();
    expect(d.runs).toBe(40);
    expect(Object.keys(d.labels).sort()).toEqual(['acceptor', 'proposer']);
    expect(d.labels['acceptor']?.['acceptor.prepare.promised']).toBeGreaterThan(0);
    expect(d.labels['proposer']?.['proposer.decide']).toBeGreaterThan(0);
    expect(d.messageKinds['acceptor']).toEqual(expect.arrayContaining(['accept', 'prepare']));
    // Two proposers duel, so an acceptor sees prepare after accept as well as before.
    const at = (first: string, second: string) => d.messageOrders.find((o) => o.role === 'acceptor' && o.first === first && o.second === second);
    expect(at('prepare', 'accept')?.runs).toBeGreaterThan(0);
    expect(at('accept', 'prepare')?.runs).toBeGreaterThan(0);
    expect(Object.keys(d.crashPoints).length).toBeGreaterThan(0);
    for (const k of Object.keys(d.crashPoints)) expect(k).toMatch(/^after /);
    expect(d.faults['crash']).toBeGreaterThan(0);
    expect(d.distinctStates).toBeGreaterThan(100);
    expect(d.interleavingClasses).toBeGreaterThan(1);
    expect(d.interleavingClasses).toBeLessThanOrEqual(40);
    const last = d.saturation.points.at(-1);
    expect(last?.runs).toBe(40);
    expect(last?.states).toBe(d.distinctStates);
    expect(last?.classes).toBe(d.interleavingClasses);
  });

  it('is deterministic and identical runs add no new interleaving class', () => {
    const a = collect(10).data();
    expect(collect(10).data()).toEqual(a);
    const c = new CoverageCollector(sys);
    runTimed(sys, sc, 7, 3, { observer: c });
    runTimed(sys, sc, 7, 3, { observer: observers(c) });
    const d = c.data();
    expect(d.interleavingClasses).toBe(1);
    expect(d.saturation.points.map((p) => p.newClassesPer1000)).toEqual([1000, 0]);
  });

  it('feeds choice sequences (fast-check, BFS counterexamples) through the same collector', () => {
    const r = runTimed(sys, sc, 1, 0);
    const direct = new CoverageCollector(sys);
    runTimed(sys, sc, 1, 0, { observer: direct });
    const replayed = new CoverageCollector(sys);
    observeChoices(replayed, r.choices);
    expect(replayed.data()).toEqual(direct.data());
  });

  it('names message kinds by msg.t and server traffic by op', () => {
    expect(messageKind({ seq: 1, from: 0, to: 1, body: { kind: 'msg', msg: { t: 'prepare', b: 1 } } })).toBe('prepare');
    expect(messageKind({ seq: 1, from: 0, to: 4, body: { kind: 'op', req: { op: 'append', tag: 1, key: 'k', record: 1 }, inc: 0 } })).toBe('op:append');
    expect(messageKind({ seq: 1, from: 4, to: 0, body: { kind: 'reply', reply: { op: 'put', tag: 1, key: 'k', ok: true }, inc: 0 } })).toBe('reply:put');
    expect(messageKind({ seq: 1, from: 0, to: 1, body: { kind: 'msg', msg: [1, 2] } })).toBe('msg');
  });

  it('merges shards: counts add, label sets unite', () => {
    const a = collect(5, 1).data();
    const b = collect(5, 2).data();
    const m = mergeCoverage([a, b]);
    expect(m.runs).toBe(10);
    expect(m.distinctStates).toBe(a.distinctStates + b.distinctStates);
    expect(m.saturation.points.at(-1)?.runs).toBe(10);
    expect(m.labels['acceptor']?.['acceptor.prepare.promised']).toBe((a.labels['acceptor']?.['acceptor.prepare.promised'] ?? 0) + (b.labels['acceptor']?.['acceptor.prepare.promised'] ?? 0));
  });
});
