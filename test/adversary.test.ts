import { describe, expect, it } from 'vitest';
import { delayBound, flpExperiment, runAdversary } from '../src/explore/adversary.js';
import { runTimed } from '../src/explore/timed.js';
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

  it('keeps deterministic back-off undecided for many more rounds than randomized back-off', () => {
    registerTiny();
    const res = flpExperiment({ protocol: 'tiny', scenario: calm, seed: 1, runs: 20 });
    expect(res.bound).toBe(12);
    expect(res.randomized.decided).toBe(20);
    expect(res.deterministic.rounds.p50 ?? 0).toBeGreaterThan(3 * (res.randomized.rounds.p50 ?? 0));
    expect(res.deterministic.rounds.max ?? 0).toBeGreaterThan(res.randomized.rounds.max ?? 0);
    expect(res.deterministic.roundsHistogram.reduce((n, [, k]) => n + k, 0)).toBe(20);
  });
});
