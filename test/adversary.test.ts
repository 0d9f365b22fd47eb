import { describe, expect, it } from 'vitest';
import { delayBound, flpExperiment, runAdversary } from '../src/sim/adversary.js';
import { runTimed } from '../src/sim/timed.js';
import { registerTiny, scenario, tinyPaxos } from './report-fixture.js';

const calm = scenario({
  horizon: 3000,
  network: { delay: { dist: 'uniform', min: 1, max: 12 }, drop: 0, duplicate: 0 },
  crashes: { count: 0, downtime: { dist: 'fixed', value: 1 }, within: 1 },
});

describe('FLP adversary', () => {
  it('with a zero delay bound it never steers: the run equals the plain timed run', () => {
    const sys = tinyPaxos();
    for (let run = 0; run < 5; run++) {
      const a = runAdversary(sys, calm, 3, run, { bound: 0 });
      expect(a.deferrals).toBe(0);
      expect(a.result.trace).toEqual(runTimed(sys, calm, 3, run).trace);
    }
  });

  it('holds back decisive deliveries only up to the delay bound and stays safe', () => {
    const sys = tinyPaxos({ backoff: 'deterministic' });
    const r = runAdversary(sys, calm, 1, 0);
    expect(r.deferrals).toBeGreaterThan(0);
    expect(r.result.violation).toBeNull();
    expect(delayBound(calm.network.delay)).toBe(12);
  });

  it('FLP: past the back-off, deterministic back-off never decides, randomized back-off still does', () => {
    registerTiny();
    const res = flpExperiment({ protocol: 'tiny', scenario: { ...calm, horizon: 1500 }, seed: 1, runs: 12, bounds: [12, 36] });
    const cell = (bound: number, backoff: string) => res.cells.find((c) => c.bound === bound && c.backoff === backoff)?.summary;
    // A weak adversary (bound = the network's own delay bound) cannot stop either.
    expect(cell(12, 'deterministic')?.decided).toBe(12);
    expect(cell(12, 'randomized')?.decided).toBe(12);
    // Bound 36 > the 30-unit retry timeout: deterministic retries duel forever ...
    const det = cell(36, 'deterministic');
    expect(det?.decided).toBe(0);
    expect(det?.rounds.p50 ?? 0).toBeGreaterThan(50);
    // ... while random waits (30 to 60 units) let one proposer through, in a few rounds.
    const rnd = cell(36, 'randomized');
    expect(rnd?.decided).toBe(12);
    expect(rnd?.rounds.max ?? Infinity).toBeLessThan(30);
    expect(det?.roundsHistogram.reduce((n, [, k]) => n + k, 0)).toBe(12);
  });
});
