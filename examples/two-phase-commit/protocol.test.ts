import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { check, replay } from 'paxcheck';
import 'paxcheck/vitest';
import twoPhaseCommit from './protocol.js';

const out = mkdtempSync(join(tmpdir(), 'paxcheck-2pc-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const reached = (r: ReturnType<typeof check>, name: string) => r.sometimes.find((s) => s.name === name)?.reached ?? 0;

describe('two-phase commit', () => {
  test('atomic under timed simulation, and both outcomes happen', () => {
    const r = check(twoPhaseCommit, { runs: 100, out: false });
    expect(r).toHold(); // toHold also fails when a `sometimes` is never reached
    expect(reached(r, 'committed')).toBeGreaterThan(0);
    expect(reached(r, 'aborted')).toBeGreaterThan(0);
  });

  test('atomic under exhaustive bfs: 3 participants, one crash, one drop', () => {
    const r = check(twoPhaseCommit, { strategy: 'bfs', budget: { crashes: 1, drops: 1, timers: 0 }, out: false });
    expect(r).toHold();
    expect(r.search?.complete).toBe(true);
    expect(r.unreached).toEqual([]);
  });

  test('atomic under exhaustive bfs with timeouts: 2 participants, one drop, one timer firing each', () => {
    const r = check(twoPhaseCommit, { strategy: 'bfs', topology: { acceptors: 2 }, budget: { drops: 1, timers: 1 }, out: false });
    expect(r).toHold();
    expect(r.search?.complete).toBe(true);
  });

  test('a sometimes guards against a vacuous check: with no faults nothing ever aborts', () => {
    const r = check(twoPhaseCommit, { scenario: 'calm', runs: 20, out: false });
    expect(r.violation).toBeNull();
    expect(r.verdict).toBe('unreached');
    expect(r.unreached).toEqual(['aborted']);
    expect(r).not.toHold();
  });

  test('majority-commit: caught by atomicity, under simulation and bfs, and replayable', async () => {
    const sim = check(twoPhaseCommit, { mutant: 'majority-commit', out });
    expect(sim.violation?.property).toBe('atomicity');
    expect(sim.violation?.message).toMatch(/commit.*abort|abort.*commit/);
    expect(sim.replayCommand).toBe(`npx paxcheck replay ${sim.failureFile}`);
    expect((await replay(sim.failureFile as string)).outcome).toBe('reproduced');
    const bfs = check(twoPhaseCommit, { strategy: 'bfs', mutant: 'majority-commit', budget: { timers: 1 }, out });
    expect(bfs).not.toHold();
    expect(bfs.violation?.property).toBe('atomicity');
  });
});
