import { describe, expect, it } from 'vitest';
import { allTargets } from '../src/protocols/index.js';
import { simulate } from '../src/sim/simulate.js';
import { builtInScenarioNames, loadScenario } from '../src/scenario/load.js';

// Every correct protocol survives at least 2,000 faulty runs spread over every scenario.
const scenarios = builtInScenarioNames().map(loadScenario);
const perScenario = Math.ceil(2000 / scenarios.length);

describe('correct protocols survive thousands of faulty runs', () => {
  for (const t of allTargets()) {
    const label = t.service ? `${t.protocol}/${t.service}` : t.protocol;
    it(`${label}: ${perScenario * scenarios.length} runs over ${scenarios.length} scenarios, no violation`, () => {
      let runs = 0;
      let decided = 0;
      for (const sc of scenarios) {
        const s = simulate({ ...t, scenario: sc, seed: 7, runs: perScenario, keepGoing: true });
        expect(s.firstViolation, `${label} × ${sc.name}: ${s.firstViolation?.message}`).toBeNull();
        runs += s.runs;
        decided += s.liveness.decided;
      }
      expect(runs).toBeGreaterThanOrEqual(2000);
      // The runs exercise the protocol, not an idle world: most of them decide everything.
      expect(decided / runs).toBeGreaterThan(0.5);
    });
  }
});
