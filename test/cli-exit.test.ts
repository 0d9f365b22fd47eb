import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paxcheck } from './cli.js';

describe('CLI exit codes on real invocations', () => {
  const out = mkdtempSync(join(tmpdir(), 'paxcheck-exit-'));

  it('simulate of the correct protocol exits 0; --json has the contract fields', () => {
    const r = paxcheck(['simulate', '--protocol', 'static', '--runs', '20', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const k of ['protocol', 'service', 'mutant', 'strategy', 'seed', 'runs', 'events', 'violations', 'firstViolation', 'wallMs', 'eventsPerSec']) {
      expect(j).toHaveProperty(k);
    }
    expect(j['violations']).toBe(0);
    expect(j['firstViolation']).toBeNull();
  });

  it('a mutant exits 1 with a failure file, and replay reproduces it (exit 1, same fingerprint)', () => {
    const r = paxcheck(['simulate', '--protocol', 'static', '--mutant', 'no-adopt', '--out', out, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { firstViolation: { file: string; trace: string; property: string } };
    expect(j.firstViolation.file).toMatch(/failures\/static-no-adopt-1-\d+\.json$/);
    const rep = paxcheck(['replay', j.firstViolation.file, '--json']);
    expect(rep.code).toBe(1);
    const rj = JSON.parse(rep.stdout) as { reproduced: boolean; trace: string; violation: { property: string } };
    expect(rj.reproduced).toBe(true);
    expect(rj.trace).toBe(j.firstViolation.trace);
    expect(rj.violation.property).toBe(j.firstViolation.property);
    const text = paxcheck(['replay', j.firstViolation.file]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^>>\s+\d+ /m);
    expect(text.stdout).toContain('(matches the recorded one)');
  });

  it('list --json names protocols, mutants, scenarios, properties, strategies', () => {
    const r = paxcheck(['list', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { protocols: { name: string }[]; mutants: { name: string; protocol: string }[]; scenarios: string[] };
    expect(j.protocols.map((p) => p.name)).toContain('static');
    expect(j.mutants.filter((m) => m.protocol === 'static')).toHaveLength(9);
    expect(j.scenarios).toEqual(expect.arrayContaining(['default', 'calm', 'lossy', 'crashy', 'partition', 'contention']));
  });
});
