// checkParallel (issue 11, workers from the API): the default bound ladder's attempts on worker
// threads, each importing the protocol's module. It must give what check gives on one thread —
// rungs, counts, verdict, counterexample and the `sometimes` counts —, write the failure file
// once, and refuse what it cannot run with one clear error.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { CheckResult } from '../src/index.js';
import { check, checkParallel, InputError } from '../src/index.js';
import twoPhaseCommit from '../examples/two-phase-commit/protocol.js';
import echoPair from './fixtures/user-protocol.js';

const out = mkdtempSync(join(tmpdir(), 'paxcheck-api-threads-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** What does not depend on the thread count: everything but times and file names. */
function comparable(r: CheckResult): unknown {
  const ladder = r.search?.ladder;
  return {
    ...r,
    wallMs: 0,
    runSet: null,
    failureFile: null,
    replayCommand: null,
    search: r.search && { ...r.search, ladder: ladder && { ...ladder, rungs: ladder.rungs.map((x) => ({ ...x, wallMs: 0 })) } },
  };
}

describe('checkParallel: the default bound ladder on worker threads', () => {
  test.each([
    ['a user module (two-phase commit), majority-commit', twoPhaseCommit, 'majority-commit'],
    ['a user module (echo pair), late-echo', echoPair, 'late-echo'],
    ['the built-in static family, stale-promise', 'static', 'stale-promise'],
  ] as const)('%s: the same result as check on one thread', async (_name, protocol, mutant) => {
    const o = { strategy: 'bfs', mutant } as const;
    const one = check(protocol, { ...o, out: join(out, `${mutant}-1`) });
    const two = await checkParallel(protocol, { ...o, workers: 2, out: join(out, `${mutant}-2`) });
    expect(comparable(two)).toEqual(comparable(one));
    // The sometimes counts are summed over the same attempts: present, and equal above.
    if (protocol === twoPhaseCommit) expect(two.sometimes.map((x) => x.name)).toEqual(['aborted', 'committed']);
    expect(one.verdict).toBe('violation');
    expect(two.failureFile !== null && existsSync(two.failureFile)).toBe(true);
    expect(two.counterexample.length).toBeGreaterThan(0);
  });

  test('refuses, with one clear error, what it cannot run on threads', async () => {
    await expect(checkParallel('static', { strategy: 'simulate', out: false })).rejects.toThrow(/checkParallel: strategy "simulate" runs on one thread/);
    await expect(checkParallel('static', { strategy: 'bfs', maxDepth: 5, workers: 2, out: false })).rejects.toThrow(/threads run the default bound ladder/);
    expect(() => check('static', { strategy: 'bfs', workers: 2, out: false })).toThrow(InputError);
  });

  test('a script whose protocol is defined inline ends with an error: its threads refuse to start threads again', () => {
    const root = join(__dirname, '..');
    const r = spawnSync(process.execPath, [join(root, 'bin', 'run-ts.mjs'), join('test', 'fixtures', 'inline-protocol-script.ts')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(2);
    // Printed by the script as each thread imports it, then by the script itself.
    expect(r.stdout).toContain('error: checkParallel: called from a module a worker thread imports for its protocol');
    expect(r.stdout).toMatch(/error: \S*inline-protocol-script\.ts: no protocol named "inline" exported/);
  });
});
