import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { allTargets } from '../src/protocols/index.js';
import { fastCheckSearch, runChoiceSequence } from '../src/walks/fastcheck.js';
import { exploreTopology } from '../src/search/systematic.js';
import { replayChoices } from '../src/step/replay.js';
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
    fcTest.prop([fc.array(fc.nat({ max: 0xffff }), { maxLength: 200, size: 'max' })], { numRuns: 50, seed: 5 })(
      'static: any schedule is safe (@fast-check/vitest)',
      (ints) => runChoiceSequence(sys, ints, budget).violation === null,
    );
  }

  // Mutants whose failing schedules fast-check finds and shrinks within seconds; the others are
  // caught by timed simulation (test/mutants.test.ts) and by bfs.
  const shrinkable = [
    ['static', undefined, 'non-unique-ballot'],
    ['static', undefined, 'minority-quorum'],
    ['static', undefined, 'reply-before-persist'],
    ['passive', 'list', 'stale-read'],
    ['passive', 'list', 'commit-before-majority'],
    ['passive', 'cas', 'blind-put'],
  ] as const;
  for (const [protocol, service, mutant] of shrinkable) {
    it(`${protocol}${service ? `/${service}` : ''} ${mutant}: a failing schedule is found, shrinks and replays`, () => {
      const sys = buildSystem({ protocol, service, mutant, topology: exploreTopology });
      const r = fastCheckSearch({ sys, budget, runs: 2000, maxLength: 300, seed: 3 });
      expect(r.failed).toBe(true);
      expect(r.shrunkLength as number).toBeLessThan(r.originalLength as number);
      const rep = replayChoices(sys, r.choices, null, '');
      expect(rep.violation?.property).toBe(r.violation?.property);
      expect(rep.violationStep).toBe(r.shrunkLength);
    });
  }
});
