import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { allTargets } from '../src/explore/campaign.js';
import { fastCheckSearch, runChoiceSequence } from '../src/explore/fastcheck.js';
import { exploreTopology } from '../src/explore/systematic.js';
import { replayChoices } from '../src/explore/replay.js';
import { buildSystem, families } from '../src/protocols/index.js';

// fast-check generates the schedule (which event, which fault, in which order) as a sequence of
// integers and shrinks it when a property fails.
const budget = { crashes: 1, drops: 2, dups: 1, storage: 1, downs: 1 };

describe('fast-check driven schedules', () => {
  for (const t of allTargets()) {
    const label = t.service ? `${t.protocol}/${t.service}` : t.protocol;
    it(`${label}: 200 generated faulty schedules, no violation`, () => {
      const sys = buildSystem({ ...t, topology: exploreTopology });
      const r = fastCheckSearch({ sys, budget, runs: 200, maxLength: 250, seed: 11 });
      expect(r.failed, r.violation?.message).toBe(false);
      expect(r.runs).toBe(200);
    });
  }

  const staticFamily = families.find((f) => f.name === 'static');
  if (staticFamily) {
    const sys = buildSystem({ protocol: 'static', topology: exploreTopology });
    fcTest.prop([fc.array(fc.nat({ max: 0xffff }), { maxLength: 200 })], { numRuns: 50, seed: 5 })(
      'static: any schedule is safe (@fast-check/vitest)',
      (ints) => runChoiceSequence(sys, ints, budget).violation === null,
    );
  }

  for (const f of families) {
    for (const m of f.mutants) {
      it(`${f.name}${m.service ? `/${m.service}` : ''} ${m.name}: a failing schedule shrinks and replays`, () => {
        const sys = buildSystem({ protocol: f.name, service: m.service, mutant: m.name, topology: exploreTopology });
        const r = fastCheckSearch({ sys, budget, runs: 2000, maxLength: 300, seed: 3 });
        if (!r.failed) return; // some mutants need the timed model's long runs; the simulate test covers them
        expect(r.shrunkLength).not.toBeNull();
        expect(r.shrunkLength as number).toBeLessThanOrEqual(r.originalLength as number);
        const rep = replayChoices(sys, r.choices, null, '');
        expect(rep.violation?.property).toBe(r.violation?.property);
      });
    }
  }
});
