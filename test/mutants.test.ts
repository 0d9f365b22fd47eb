import { failuresIn } from '../src/artifacts/failure-file.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../src/sim/simulate.js';
import { replay } from '../src/step/replay.js';
import { families } from '../src/protocols/index.js';
import { readFailure } from '../src/artifacts/failure-file.js';
import { loadScenario } from '../src/scenario/load.js';

// Every mutant is caught by plain seeded simulation of the default scenario within its run
// budget, writes a failure file, and the file replays to the same violation and fingerprint.
const scenario = loadScenario('default');
const budget = scenario.runs;
const out = mkdtempSync(join(tmpdir(), 'paxcheck-mutants-'));

describe('every mutant is caught and replays', () => {
  for (const f of families) {
    for (const m of f.mutants) {
      it(`${f.name}${m.service ? `/${m.service}` : ''} ${m.name}: caught within ${budget} runs`, () => {
        const s = simulate({ protocol: f.name, service: m.service, mutant: m.name, scenario, seed: 1, runs: budget, record: failuresIn(out) });
        expect(s.firstViolation, `${m.name} survived ${s.runs} runs`).not.toBeNull();
        const file = s.firstViolation?.file;
        expect(file).toBeTruthy();
        const r = replay(readFailure(file as string));
        expect(r.violation?.property).toBe(s.firstViolation?.property);
        expect(r.reproduced).toBe(true);
        expect(r.trace).toBe(s.firstViolation?.trace);
      });
    }
  }
});
