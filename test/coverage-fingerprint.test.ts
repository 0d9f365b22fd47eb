import { describe, expect, it } from 'vitest';
import { stateKey } from '../src/coverage/coverage-fingerprint.js';
import { CoverageCollector } from '../src/coverage/coverage.js';
import { runTimed } from '../src/sim/timed.js';
import { fingerprint } from '../src/kernel/fingerprint.js';
import { hex64 } from '../src/kernel/hash.js';
import type { World } from '../src/kernel/world.js';
import { scenario, tinyPaxos } from './report-fixture.js';

describe('cached state key', () => {
  it('partitions worlds exactly as the kernel fingerprint does', () => {
    const sys = tinyPaxos({ proposers: 3 });
    const sc = scenario({ network: { delay: { dist: 'uniform', min: 1, max: 12 }, drop: 0.05, duplicate: 0.05 } });
    const byKernel = new Map<string, string>();
    const byKey = new Map<string, string>();
    let worlds = 0;
    const see = (w: World): void => {
      worlds++;
      const k = hex64(fingerprint(w));
      const c = hex64(stateKey(w));
      // Same class on both sides: the kernel class maps to one key and back.
      expect(byKernel.get(k) ?? c).toBe(c);
      expect(byKey.get(c) ?? k).toBe(k);
      byKernel.set(k, c);
      byKey.set(c, k);
    };
    for (let run = 0; run < 30; run++) runTimed(sys, sc, 5, run, { observer: { onStart: (w) => see(w), onStep: (_e, _fx, _p, next) => see(next) } });
    expect(worlds).toBeGreaterThan(1000);
    expect(byKernel.size).toBeGreaterThan(500);
    expect(byKey.size).toBe(byKernel.size);
  });

  it('gives the collector the same distinct-state count as the kernel fingerprint', () => {
    const sys = tinyPaxos();
    const sc = scenario();
    const fast = new CoverageCollector(sys);
    const kernel = new CoverageCollector(sys, { fingerprint });
    for (let run = 0; run < 20; run++) {
      runTimed(sys, sc, 2, run, { observer: fast });
      runTimed(sys, sc, 2, run, { observer: kernel });
    }
    expect(fast.data()).toEqual(kernel.data());
  });
});
