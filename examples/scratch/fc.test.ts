import { test } from 'vitest';
import fc from 'fast-check';
import { schedules } from 'paxcheck';
import p from '../single-decree/protocol.js';
const cases: object[] = JSON.parse(process.env.CASES ?? '[]');
test('fc', () => {
  for (const c of cases) {
    const t0 = Date.now();
    const d = fc.check(fc.property(schedules(p, { mutant: 'no-adopt', ...c }), (s) => s.violation === null), { seed: 1, numRuns: 1000 });
    console.log(JSON.stringify(c), 'failed', d.failed, 'runs', d.numRuns, 'shrinks', d.numShrinks, Date.now() - t0, 'ms', String(d.counterexample?.[0]).split('\n').length);
    console.log(String(d.counterexample?.[0]));
  }
});
