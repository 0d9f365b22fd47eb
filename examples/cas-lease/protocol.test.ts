import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { check, replay } from 'paxcheck';
import 'paxcheck/vitest';
import casLease from './protocol.js';

const out = mkdtempSync(join(tmpdir(), 'paxcheck-cas-lease-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('a lock over a compare-and-swap register', () => {
  test.each(['default', 'crashy', 'flaky-service'])('mutual exclusion under the %s scenario, and the lock is taken', (scenario) => {
    const r = check(casLease, { scenario, runs: 100, out: false });
    expect(r).toHold(); // includes: sometimes "held" was reached
    expect(r.sometimes).toEqual([{ name: 'held', reached: expect.any(Number) }]);
  });

  test('mutual exclusion under exhaustive bfs: 2 agents, a spurious cas failure, one retry each', () => {
    const r = check(casLease, { strategy: 'bfs', budget: { storage: 1, timers: 1 }, out: false });
    expect(r).toHold();
    expect(r.search?.complete).toBe(true);
  });

  test('blind-put: two holders at once, found by simulation and bfs, replayable', async () => {
    const sim = check(casLease, { mutant: 'blind-put', out });
    expect(sim).not.toHold();
    expect(sim.violation).toMatchObject({ property: 'mutual-exclusion', message: 'n0 and n1 hold the lock at once' });
    expect(sim.replayCommand).toBe(`npx paxcheck replay ${sim.failureFile}`);
    expect((await replay(sim.failureFile as string)).outcome).toBe('reproduced');
    const bfs = check(casLease, { strategy: 'bfs', mutant: 'blind-put', budget: { timers: 0 }, out });
    expect(bfs.violation?.property).toBe('mutual-exclusion');
    // The shortest schedule: both read "free" before either writes.
    expect(bfs.counterexample.filter((l) => l.includes('value:null,version:0'))).toHaveLength(2);
  });
});
