import { describe, expect, it } from 'vitest';
import { runTimed } from '../src/sim/timed.js';
import { fingerprint } from '../src/kernel/fingerprint.js';
import { hex64 } from '../src/kernel/hash.js';
import type { World } from '../src/kernel/world.js';
import { CoverageCollector } from '../src/coverage/coverage.js';
import { scenario, tinyPaxos } from './report-fixture.js';

// The kernel fingerprint keeps the hash of each state part by object identity (a step pays only
// for what it changed). The cache must never change a result: every world of lossy, duplicating
// runs must fingerprint exactly as a deep copy of it does, whose parts the cache has never seen.
describe('fingerprint cached by identity', () => {
  it('equals the fingerprint of a fresh deep copy of every world', () => {
    const sys = tinyPaxos({ proposers: 3 });
    const sc = scenario({ network: { delay: { dist: 'uniform', min: 1, max: 12 }, drop: 0.05, duplicate: 0.05 } });
    const distinct = new Set<string>();
    let worlds = 0;
    const see = (w: World): void => {
      worlds++;
      const k = hex64(fingerprint(w));
      expect(hex64(fingerprint(structuredClone(w)))).toBe(k);
      distinct.add(k);
    };
    for (let run = 0; run < 30; run++) runTimed(sys, sc, 5, run, { observer: { onStart: (w) => see(w), onStep: (_e, _fx, _p, next) => see(next) } });
    expect(worlds).toBeGreaterThan(1000);
    expect(distinct.size).toBeGreaterThan(500);
  });

  it('gives the coverage collector the counts of an uncached fingerprint', () => {
    const sys = tinyPaxos();
    const sc = scenario();
    const cached = new CoverageCollector(sys);
    const fresh = new CoverageCollector(sys, { fingerprint: (w) => fingerprint(structuredClone(w)) });
    for (let run = 0; run < 20; run++) {
      runTimed(sys, sc, 2, run, { observer: cached });
      runTimed(sys, sc, 2, run, { observer: fresh });
    }
    expect(cached.data()).toEqual(fresh.data());
  });
});
