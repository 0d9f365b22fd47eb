import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRedisServer } from '../src/runtime/proc/redis-server.js';
import { findIp, netnsUnavailable } from '../src/runtime/proc/network.js';
import { execFileSync } from 'node:child_process';
import { listening, pidsMentioning, runCli } from './fixtures/runtime-cli/run-cli.js';

// The Done-when commands as tests, with short durations: real agent processes, real
// stores (SQLite files, directories, redis-servers started by the run), kills and pauses; each
// run must end with a checked history and the right exit status, and leave no process behind.

const root = mkdtempSync(join(tmpdir(), 'paxcheck-run-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
// A run takes 10–14 s on an idle 2-core machine (3 s of workload, agent start-up, the final
// restart, the checks); the timeout leaves room for a CI machine busy with other suites.
const REAL = 45_000;
const redis = findRedisServer();

interface Summary {
  verdict: string;
  violations: number;
  firstViolation: { property: string } | null;
  stats: { ok: number; slots: number };
  nemesis: { kills: number; pauses: number; storeFaults: number; partitions: number; delays: number };
  properties: { property: string; status: string }[];
  stores: undefined;
  files: { history: string; failing?: string; report?: string; result: string };
}

async function run(name: string, args: string[]): Promise<{ code: number | null; s: Summary; out: string }> {
  const out = join(root, name);
  const r = await runCli([...args, '--out', out, '--json']);
  expect(r.stderr).not.toMatch(/Error/);
  const s = JSON.parse(r.stdout) as Summary;
  // Nothing left behind: no agent (their argv names the run folder), no redis-server.
  expect(pidsMentioning(out)).toEqual([]);
  const result = JSON.parse(readFileSync(s.files.result, 'utf8')) as { stores: string[] };
  for (const spec of result.stores.filter((x) => x.startsWith('redis:'))) expect(await listening(Number(spec.split(':')[2]))).toBe(false);
  return { code: r.code, s, out };
}

const base = ['--protocol', 'passive', '--agents', '3', '--servers', '3', '--duration', '3s'];

describe('paxcheck run (real processes, real stores)', () => {
  it('cas over three SQLite files survives kills and pauses: exit 0, every property checked', { timeout: REAL }, async () => {
    const { code, s } = await run('cas-sqlite', [...base, '--service', 'cas', '--store', 'sqlite', '--nemesis', 'kill,pause']);
    expect(code).toBe(0);
    expect(s.violations).toBe(0);
    expect(s.stats.ok).toBeGreaterThan(20);
    expect(s.nemesis.kills + s.nemesis.pauses).toBeGreaterThan(0);
    expect(s.properties.map((p) => p.property)).toEqual(['agreement', 'validity', 'stability', 'no-divergence', 'durability', 'no-exception', 'linearizability']);
    expect(s.properties.every((p) => p.status === 'ok')).toBe(true);
    expect(readFileSync(s.files.report ?? '', 'utf8')).toMatch(/Timelines[\s\S]*<svg/);
  });

  it.skipIf(redis === undefined)('cas over three redis-servers started by the run, with store crashes: exit 0', { timeout: REAL }, async () => {
    const { code, s } = await run('cas-redis', [...base, '--service', 'cas', '--store', 'redis', '--nemesis', 'kill,pause,store']);
    expect(code).toBe(0);
    expect(s.verdict).not.toBe('violation');
    expect(s.stats.ok).toBeGreaterThan(20);
  });

  it.skipIf(redis === undefined || netnsUnavailable() !== null)('list over redis with partitions: agents in network namespaces, links cut and healed, exit 0', { timeout: REAL }, async () => {
    const { code, s } = await run('list-redis-partition', [...base.slice(0, -2), '--duration', '5s', '--service', 'list', '--store', 'redis', '--nemesis', 'partition,pause']);
    expect(code).toBe(0);
    expect(s.stats.ok).toBeGreaterThan(20);
    expect(s.nemesis.partitions).toBeGreaterThan(0);
    const history = readFileSync(s.files.history, 'utf8');
    expect(history).toMatch(/"fault":"partition"[\s\S]*"fault":"heal"/);
    // The namespaces went with the run.
    const spaces = /namespaces ([^ ]+(?:, [^ ]+)*), one veth/.exec(history)?.[1]?.split(', ') ?? [];
    expect(spaces.length).toBe(3);
    const left = execFileSync(findIp() as string, ['netns', 'list'], { encoding: 'utf8' });
    for (const ns of spaces) expect(left).not.toContain(ns);
  });

  it('partition over SQLite files is skipped with a note saying why', { timeout: REAL }, async () => {
    const { code, s } = await run('list-sqlite-partition', [...base.slice(0, -2), '--duration', '1s', '--service', 'list', '--store', 'sqlite', '--nemesis', 'partition']);
    expect(code).toBe(0);
    expect(s.nemesis.partitions).toBe(0);
    expect(readFileSync(s.files.history, 'utf8')).toContain('partition nemesis skipped: a sqlite store is a local file with no network to partition');
  });

  it('cas over three directories: exit 0', { timeout: REAL }, async () => {
    const { code, s } = await run('cas-dir', [...base, '--service', 'cas', '--store', 'dir', '--nemesis', 'kill,pause']);
    expect(code).toBe(0);
    expect(s.stats.ok).toBeGreaterThan(20);
  });

  it('list over SQLite with network delay: exit 0, the stores read at every first decision', { timeout: REAL }, async () => {
    const { code, s } = await run('list-sqlite', [...base, '--service', 'list', '--store', 'sqlite', '--nemesis', 'kill,pause,delay']);
    expect(code).toBe(0);
    expect(s.stats.ok).toBeGreaterThan(20);
    expect(s.nemesis.delays).toBeGreaterThan(0);
    const history = readFileSync(s.files.history, 'utf8');
    expect(history).toMatch(/"fault":"delay"/);
    // Each slot's first decision was checked against the stores while the run went on (a read
    // is abandoned only when a store does not answer in 2 s; this nemesis leaves them up).
    const read = Number(/stores read at (\d+) first decisions/.exec(history)?.[1] ?? 0);
    expect(read).toBeGreaterThanOrEqual(Math.floor(s.stats.slots * 0.9));
  });

  it('register (Disk Paxos over get/put) over directories with slow stores: exit 0', { timeout: REAL }, async () => {
    const { code, s } = await run('register-dir', [...base, '--service', 'register', '--store', 'dir', '--nemesis', 'kill,store']);
    expect(code).toBe(0);
    expect(s.stats.ok).toBeGreaterThan(10);
  });

  it('the blind-put mutant is caught: exit 1 naming the property, with the failing sub-history', { timeout: REAL }, async () => {
    const { code, s } = await run('blind-put', [...base, '--service', 'cas', '--store', 'sqlite', '--nemesis', 'kill,pause', '--mutant', 'blind-put']);
    expect(code).toBe(1);
    expect(s.firstViolation?.property).toMatch(/agreement|stability|durability|linearizability|no-divergence/);
    expect(existsSync(s.files.failing ?? '')).toBe(true);
    expect(readFileSync(s.files.failing ?? '', 'utf8').trim().split('\n').length).toBeGreaterThan(0);
  });

  it('bad input exits 2 with one line', { timeout: REAL }, async () => {
    const r = await runCli(['--service', 'cas', '--store', 'floppy', '--duration', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const m = await runCli(['--service', 'cas', '--mutant', 'no-such', '--duration', '1s', '--out', join(root, 'bad')]);
    expect(m.code).toBe(2);
  });

  it('the first SIGINT stops cleanly: exit 130, a partial history, nothing left behind', { timeout: REAL }, async () => {
    const out = join(root, 'sigint');
    const history = join(out, 'history.jsonl');
    // Interrupt once clients are running, whatever the start-up takes on a busy machine.
    const started = (): boolean => existsSync(history) && readFileSync(history, 'utf8').includes('"ok"');
    const r = await runCli(['--service', 'cas', '--store', 'sqlite', '--duration', '60s', '--out', out], started);
    expect(r.code).toBe(130);
    expect(readFileSync(history, 'utf8')).toMatch(/"invoke"/);
    expect(pidsMentioning(out)).toEqual([]);
  });
});
