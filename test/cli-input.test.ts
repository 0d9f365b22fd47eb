import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paxcheck } from './cli.js';

function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !l.includes('nodedir'));
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

describe('CLI bad input exits 2 with one clear line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paxcheck-cli-'));

  it('unknown flag', () => {
    const r = paxcheck(['list', '--bogus']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/bogus/);
  });

  it('unknown scenario name', () => {
    const r = paxcheck(['simulate', '--protocol', 'static', '--scenario', 'nosuch']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/scenario "nosuch"/);
  });

  it('malformed scenario file names the file and the field', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'bad', description: 'x', network: { delay: { dist: 'uniform', min: 1, max: 2 }, drop: 2, duplicate: 0 }, storage: { latency: { dist: 'fixed', value: 1 } } }));
    const r = paxcheck(['simulate', '--protocol', 'static', '--scenario', bad]);
    expect(r.code).toBe(2);
    const line = oneLine(r.stderr);
    expect(line).toContain('bad.json');
    expect(line).toContain('network.drop');
  });

  it('scenario file that is not JSON', () => {
    const bad = join(dir, 'garbage.json');
    writeFileSync(bad, '{ nope');
    const r = paxcheck(['simulate', '--protocol', 'static', '--scenario', bad]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/garbage\.json: not valid JSON/);
  });

  it('unreadable or invalid replay file', () => {
    const missing = paxcheck(['replay', join(dir, 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(oneLine(missing.stderr)).toMatch(/cannot read replay file/);
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ format: 1 }));
    const invalid = paxcheck(['replay', wrong]);
    expect(invalid.code).toBe(2);
    expect(oneLine(invalid.stderr)).toMatch(/invalid failure file/);
  });

  it('unknown protocol and bad shard', () => {
    expect(paxcheck(['simulate', '--protocol', 'nosuch']).code).toBe(2);
    const r = paxcheck(['simulate', '--protocol', 'static', '--shard', '3/2']);
    expect(r.code).toBe(2);
  });
});
