import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { paxcheck } from './cli.js';

// The CLI on a user's protocol module (test/fixtures/user-protocol.ts imports only 'paxcheck').
const out = mkdtempSync(join(tmpdir(), 'paxcheck-module-'));
// A copy inside the repository, so that its `import 'paxcheck'` resolves to this package.
const copy = join(__dirname, 'fixtures', `.user-protocol-${process.pid}.ts`);
copyFileSync(join(__dirname, 'fixtures', 'user-protocol.ts'), copy);
const mod = `./test/fixtures/.user-protocol-${process.pid}.ts`;
const root = join(__dirname, '..');
afterAll(() => {
  rmSync(copy, { force: true });
  rmSync(out, { recursive: true, force: true });
});

const json = (s: string): Record<string, unknown> => JSON.parse(s) as Record<string, unknown>;

describe('--protocol <module path>', () => {
  test('simulate: the correct build holds, the mutant fails with a replayable file recording the module', () => {
    const ok = paxcheck(['simulate', '--protocol', mod, '--runs', '20', '--out', out], root);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const bad = paxcheck(['simulate', '--protocol', mod, '--mutant', 'late-echo', '--scenario', 'lossy', '--runs', '50', '--out', out, '--json'], root);
    expect(bad.code).toBe(1);
    const file = (json(bad.stdout).firstViolation as { file: string }).file;
    const f = json(readFileSync(file, 'utf8'));
    expect(f.protocol).toBe('echo-pair');
    expect((f.module as { path: string }).path).toBe(mod);
    const replay = paxcheck(['replay', file], root);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain('VIOLATION');
    // The module changes: the recorded choices may no longer mean the same schedule.
    writeFileSync(copy, readFileSync(copy, 'utf8') + '\n// edited\n');
    const refused = paxcheck(['replay', file], root);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('changed since the failure was recorded');
  });

  test('explore bfs finds the mutant; --workers 2 explores exactly the states of one thread', () => {
    const bug = paxcheck(['explore', '--protocol', mod, '--strategy', 'bfs', '--mutant', 'late-echo', '--budget', 'dups=1', '--out', out, '--json'], root);
    expect(bug.code).toBe(1);
    const one = json(paxcheck(['explore', '--protocol', mod, '--strategy', 'bfs', '--budget', 'dups=1,drops=1', '--no-por', '--out', out, '--json'], root).stdout);
    const two = json(paxcheck(['explore', '--protocol', mod, '--strategy', 'bfs', '--budget', 'dups=1,drops=1', '--workers', '2', '--no-por', '--out', out, '--json'], root).stdout);
    expect(one.complete).toBe(true);
    expect(two.distinctStates).toBe(one.distinctStates);
    expect(two.generated).toBe(one.generated);
  });

  test('a module that exports no protocol, or is missing, is bad input', () => {
    const missing = paxcheck(['simulate', '--protocol', './nope.ts'], root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^paxcheck: cannot read protocol module \.\/nope\.ts\n$/);
    const notProtocol = paxcheck(['simulate', '--protocol', './test/cli.ts'], root);
    expect(notProtocol.code).toBe(2);
    expect(notProtocol.stderr).toContain('no protocol definition exported');
  });
});
