// A search never dies of memory or time (issue 11): the real CLI, on a heap made deliberately
// tiny with node's --max-old-space-size, must stop before V8 aborts, with complete: false,
// stopReason "memory", a valid partial run set, one stderr line saying what it covered, and exit
// 0 since nothing was violated. The time budget and the explicit bounds end the same way.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRunSet } from '../src/artifacts/runset.js';
import type { CliResult } from './cli.js';
import { paxcheckAsync, pool } from './cli.js';

const root = mkdtempSync(join(tmpdir(), 'paxcheck-budgets-'));
const bin = join(__dirname, '..', 'bin', 'paxcheck.mjs');

/** The CLI under a heap limit, as `node --max-old-space-size=MiB bin/paxcheck.mjs …`. */
function withHeap(mib: number, args: readonly string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [`--max-old-space-size=${mib}`, bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

interface Summary {
  readonly complete: boolean;
  readonly stopReason: string | null;
  readonly distinctStates: number;
  readonly queued: number;
  readonly runSet?: string;
}

const cases = {
  memory: () => withHeap(32, ['explore', '--protocol', 'static', '--strategy', 'bfs', '--json', '--out', join(root, 'memory')]),
  time: () => paxcheckAsync(['explore', '--protocol', 'disk', '--strategy', 'dfs', '--max-time', '2s', '--json', '--out', join(root, 'time')]),
  states: () => paxcheckAsync(['explore', '--protocol', 'passive', '--service', 'cas', '--strategy', 'bfs', '--max-states', '500', '--json', '--out', join(root, 'states')]),
  spec: () => paxcheckAsync(['explore', '--protocol', 'spec-paxos', '--max-ballot', '3', '--max-time', '1500ms', '--json', '--out', join(root, 'spec')]),
  // On worker threads the states live in the workers' heaps: each gets its share of the budget.
  workersMemory: () => paxcheckAsync(['explore', '--protocol', 'static', '--strategy', 'bfs', '--workers', '2', '--max-memory', '64', '--json', '--out', join(root, 'wm')]),
  workersTime: () => paxcheckAsync(['explore', '--protocol', 'static', '--strategy', 'bfs', '--workers', '2', '--max-time', '2s', '--json', '--out', join(root, 'wt')]),
  // With a bound the threads split one search (owners by fingerprint) instead of running the ladder.
  splitMemory: () => paxcheckAsync(['explore', '--protocol', 'static', '--strategy', 'bfs', '--topology', 'commands=2', '--budget', 'drops=1,timers=0', '--workers', '2', '--max-memory', '64', '--json', '--out', join(root, 'sm')]),
  splitTime: () => paxcheckAsync(['explore', '--protocol', 'static', '--strategy', 'bfs', '--topology', 'commands=2', '--budget', 'drops=1,timers=0', '--workers', '2', '--max-time', '2s', '--json', '--out', join(root, 'st')]),
} as const;

describe('budgets end a search cleanly with partial results', () => {
  const results = new Map<string, CliResult>();
  /** Exit 0, an incomplete search stopped for `reason`, no V8 abort or stack; the summary and the last stderr line. */
  const stoppedCleanly = (name: string, reason: string): { s: Summary; last: string } => {
    const r = results.get(name) as CliResult;
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.complete).toBe(false);
    expect(s.stopReason).toBe(reason);
    expect(s.distinctStates).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/heap out of memory|^\s+at /m);
    return { s, last: r.stderr.trim().split('\n').pop() ?? '' };
  };
  beforeAll(async () => {
    const names = Object.keys(cases) as (keyof typeof cases)[];
    const got = await pool(names.map((n) => cases[n]), 2);
    names.forEach((n, i) => results.set(n, got[i] as CliResult));
  }, 420_000);

  it.each([
    ['memory', 'memory budget reached'],
    ['time', 'time budget reached'],
    ['states', 'state bound reached'],
    ['spec', 'time budget reached'],
  ] as const)('%s: exit 0, complete false, stopReason, one line on stderr', (name, said) => {
    const { s, last } = stoppedCleanly(name, name === 'spec' ? 'time' : name);
    expect(s.queued).toBeGreaterThan(0);
    expect(last).toContain(said);
    expect(last).toContain(`covered ${s.distinctStates.toLocaleString('en-US')} distinct states`);
  });

  it.each([
    ['workersMemory', 'memory'],
    ['workersTime', 'time'],
    ['splitMemory', 'memory'],
    ['splitTime', 'time'],
  ] as const)('%s: worker threads stop on the budget too, exit 0, complete false', (name, reason) => {
    expect(stoppedCleanly(name, reason).last).toContain(`${reason} budget reached`);
  });

  it('the partial run set is valid and records why the search ended', () => {
    for (const name of ['memory', 'time', 'states'] as const) {
      const s = JSON.parse((results.get(name) as CliResult).stdout) as Summary;
      const file = s.runSet ?? join(root, name, 'runs', readdirSync(join(root, name, 'runs'))[0] as string);
      const set = parseRunSet(readFileSync(file, 'utf8'), file);
      expect(set.exploration?.complete).toBe(false);
      expect(set.exploration?.stopReason).toBe(name);
      expect(set.exploration?.distinctStates).toBe(s.distinctStates);
    }
  });

  it('a bad budget is one line and exit 2', async () => {
    for (const args of [['--max-time', '0'], ['--max-time', 'soon'], ['--max-memory', '8'], ['--max-memory', '1.5']]) {
      const r = await paxcheckAsync(['explore', '--protocol', 'static', ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(args[0]);
    }
    const walks = await paxcheckAsync(['explore', '--protocol', 'static', '--strategy', 'random', '--max-memory', '100']);
    expect(walks.code).toBe(2);
  });
});
