import { failuresIn } from '../src/artifacts/failure-file.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundedSearch, mutantBounds, targetLabel } from '../src/search/bounds.js';
import type { MutantBounds } from '../src/search/bounds.js';
import { randomized } from '../src/walks/randomized.js';
import { replay } from '../src/step/replay.js';
import { simulate } from '../src/sim/simulate.js';
import { systematic } from '../src/search/systematic.js';
import { families } from '../src/protocols/index.js';
import { readFailure } from '../src/artifacts/failure-file.js';
import { loadScenario } from '../src/scenario/load.js';

// Every mutant is found by bfs at its bounds (src/search/bounds.ts `mutantBounds`, reductions
// on as in the CLI, with the bug-hunting restrictions its bounds name); the failure file replays,
// without those restrictions, to the same violation and trace fingerprint; and
// the counterexample is no longer than the one a random untimed walk finds at the same bounds
// (or, when the walks miss, the one seeded timed simulation finds), counted in choices.
const out = mkdtempSync(join(tmpdir(), 'paxcheck-explore-mutants-'));
const scenario = loadScenario('default');
const key = (m: { protocol: string; service?: string; mutant: string }): string => `${targetLabel(m)} ${m.mutant}`;

/** Choices in the counterexample of a random walk at the same bounds, else of a timed simulation. */
function randomLength(m: MutantBounds): { strategy: string; choices: number } {
  const b = m.bounds;
  const r = randomized({ protocol: m.protocol, service: m.service, mutant: m.mutant, strategy: 'random', scenario, topology: b.topology, budget: b.budget, seed: 1, runs: 300, maxSteps: 400 });
  if (r.firstViolation) return { strategy: 'random', choices: r.firstViolation.depth };
  const s = simulate({ protocol: m.protocol, service: m.service, mutant: m.mutant, scenario, seed: 1, runs: scenario.runs });
  if (!s.firstViolation) throw new Error(`${key(m)}: neither random walks nor the simulation found it`);
  return { strategy: 'simulate', choices: s.firstViolation.depth };
}

describe('every mutant is found by bfs, replays, and is no longer than the random counterexample', () => {
  it('the table has bounds for every mutant', () => {
    const all = families.flatMap((f) => f.mutants.map((m) => key({ protocol: f.name, service: m.service, mutant: m.name })));
    expect(mutantBounds.map(key).sort()).toEqual(all.sort());
  });

  for (const m of mutantBounds) {
    it(key(m), () => {
      const s = systematic({ ...boundedSearch(m), record: failuresIn(out) });
      const v = s.firstViolation;
      expect(v, `${key(m)} not found in ${s.distinctStates} states`).not.toBeNull();
      expect(v?.file).toBeTruthy();
      const f = readFailure(v?.file as string);
      expect(f.strategy).toBe('bfs');
      expect(f.mutant).toBe(m.mutant);
      const r = replay(f);
      expect(r.error).toBeNull();
      expect(r.reproduced).toBe(true);
      expect(r.violation?.property).toBe(v?.property);
      expect(r.trace).toBe(f.trace);
      expect(f.choices.length).toBe(v?.depth);
      const rnd = randomLength(m);
      expect(f.choices.length, `bfs ${f.choices.length} choices, ${rnd.strategy} ${rnd.choices}`).toBeLessThanOrEqual(rnd.choices);
    });
  }
});
