import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openLog } from '../src/runtime/log.js';
import { pidsMentioning } from './fixtures/runtime-cli/run-cli.js';

// The library for users: openLog in-process, and the shared-kv example as two real processes
// sharing one replicated key-value store through three SQLite files.

const MAIN = fileURLToPath(new URL('../examples/shared-kv/main.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'paxcheck-kv-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function proc(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const c = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  c.stdout.on('data', (d: Buffer) => (out += d.toString()));
  c.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => c.on('exit', (code) => resolve({ code, out, err })));
}

describe('openLog', () => {
  it('appends resolve with dense slots; a second log over the same stores learns them', { timeout: 20_000 }, async () => {
    const dir = join(root, 'lib');
    const stores = [0, 1, 2].map((i) => `sqlite:${join(dir, `s${i}.db`)}`);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    const a = await openLog({ service: 'list', stores, agentId: 0, dataDir: join(dir, 'a0'), agents: 2 });
    const slots = await Promise.all(['x=1', 'y=2', 'z=3'].map((c) => a.append(c)));
    expect([...slots].sort()).toEqual([0, 1, 2]);
    const b = await openLog({ service: 'list', stores, agentId: 1, dataDir: join(dir, 'a1'), agents: 2 });
    await b.waitFor(3);
    expect(b.log().map((e) => e.command)).toEqual(a.log().map((e) => e.command));
    expect(await b.append('w=4')).toBe(3);
    await a.waitFor(4);
    expect(a.log()[3]?.command).toBe('w=4');
    await Promise.all([a.close(), b.close()]);
  });
});

describe('examples/shared-kv', () => {
  it('two processes share one replicated KV store through three SQLite files', { timeout: 20_000 }, async () => {
    const dir = join(root, 'example');
    const stores = [0, 1, 2].map((i) => `sqlite:${join(dir, `s${i}.db`)}`);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    const [p0, p1] = await Promise.all([0, 1].map((id) => proc([String(id), join(dir, `a${id}`), '5', '10', ...stores])));
    expect(p0?.err).toBe('');
    expect(p0?.code).toBe(0);
    expect(p1?.code).toBe(0);
    const r0 = JSON.parse(p0?.out ?? '{}') as { own: string; state: Record<string, string> };
    const r1 = JSON.parse(p1?.out ?? '{}') as { own: string; state: Record<string, string> };
    expect(r0.own).toBe('v0');
    expect(r1.own).toBe('v0');
    expect(Object.keys(r0.state)).toHaveLength(10);
    expect(r1.state).toEqual(r0.state);
    expect(pidsMentioning(dir)).toEqual([]);
  });
});
