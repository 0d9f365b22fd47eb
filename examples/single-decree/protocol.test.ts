import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { check, replay, schedules } from 'paxcheck';
import 'paxcheck/vitest';
import singleDecree from './protocol.js';

const out = mkdtempSync(join(tmpdir(), 'paxcheck-single-decree-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('single-decree Paxos', () => {
  test('holds under timed simulation (default scenario: loss, duplicates, crashes, a partition)', () => {
    expect(check(singleDecree, { runs: 100, out: false })).toHold();
  });

  test('holds under exhaustive bfs: every schedule of 2 proposers, 2 acceptors and one crash', () => {
    const r = check(singleDecree, { strategy: 'bfs', topology: { acceptors: 2 }, budget: { crashes: 1, timers: 0 }, out: false });
    expect(r).toHold();
    expect(r.search?.complete).toBe(true);
  });

  test('no-adopt: check finds two chosen values, with a replay command that reproduces them', async () => {
    const r = check(singleDecree, { mutant: 'no-adopt', out });
    expect(r).not.toHold();
    expect(r.violation?.property).toBe('agreement');
    expect(r.replayCommand).toBe(`npx paxcheck replay ${r.failureFile}`);
    expect((await replay(r.failureFile as string)).outcome).toBe('reproduced');
  });

  test('no-adopt: bfs finds it too, at one acceptor, in a shortest schedule', () => {
    const r = check(singleDecree, { strategy: 'bfs', mutant: 'no-adopt', topology: { acceptors: 1 }, budget: { timers: 0 }, out });
    expect(r.violation?.property).toBe('agreement');
    expect(r.counterexample.some((line) => line.includes('vote:[2,"v0"]'))).toBe(true);
  });

  test('no-adopt: fast-check shrinks a failing schedule', () => {
    // One acceptor keeps schedules short, so shrinking is quick; the bug needs no quorum overlap.
    const arb = schedules(singleDecree, { mutant: 'no-adopt', topology: { acceptors: 1 }, budget: {}, maxLength: 60 });
    const details = fc.check(fc.property(arb, (s) => s.violation === null), { seed: 1, numRuns: 1000 });
    expect(details.failed).toBe(true);
    const [shrunk] = details.counterexample ?? [];
    expect(shrunk?.violation?.property).toBe('agreement');
    expect(shrunk?.choices.length).toBeLessThan(30);
    expect(String(shrunk)).toContain('violating agreement');
  });
});
