import { test } from 'vitest';
import { check, formatResult } from 'paxcheck';
import p from '../single-decree/protocol.js';
const cases: Record<string, object> = JSON.parse(process.env.CASES ?? '[]');
test('x', () => {
  for (const o of Object.values(cases)) {
    const r = check(p, { ...o, out: '/tmp/sdx' } as never);
    console.log(JSON.stringify(o), '\n', formatResult(r).split('\n').slice(0, 4).join('\n'), '\n', r.counterexample.length);
  }
});
