import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exploreCommandLine, mutantBounds, targetLabel } from '../src/search/bounds.js';
import type { MutantBounds } from '../src/search/bounds.js';
import { explore } from '../src/search/bfs.js';
import { systematic } from '../src/search/systematic.js';
import type { SystematicOptions } from '../src/search/systematic.js';
import type { WorldState } from '../src/search/world-model.js';
import { quiet, worldModel } from '../src/search/world-model.js';
import type { Event } from '../src/kernel/events.js';
import { buildSystem } from '../src/protocols/index.js';
import { defaultTopology } from '../src/protocols/family.js';
import { readFailure } from '../src/artifacts/failure-file.js';
import { replay } from '../src/step/replay.js';
import { paxcheck } from './cli.js';

// The bug-hunting restrictions of the world model (world-model.ts `atomicOps`, `quietTimers`):
// they only remove schedules, the footprints keep sleep sets exact under them, and the CLI spells
// them so a documented command line reproduces a mutant's counterexample.

const restricted = (protocol: string, service: string | undefined, extra: Partial<SystematicOptions>): SystematicOptions => ({
  protocol,
  service,
  strategy: 'bfs',
  topology: { proposers: 2, servers: 2, acceptors: 2, learners: 1, commands: 1 },
  budget: { drops: 1 },
  maxBallots: protocol === 'static' ? 3 : 2,
  maxTimerFires: 1,
  eagerWrites: true,
  atomicOps: true,
  quietTimers: true,
  symmetry: true,
  ...extra,
});

describe('bug-hunting restrictions of the world model', () => {
  it('no reply is ever in flight with atomic ops, and timers fire only at quiet nodes', () => {
    const sys = buildSystem({ protocol: 'passive', service: 'list', topology: { ...defaultTopology, proposers: 2, servers: 2, commands: 2 } });
    const base = worldModel(sys, { budget: {}, maxBallots: 2, maxTimerFires: 1, eagerWrites: true, atomicOps: true, quietTimers: true });
    let timers = 0;
    const ts = {
      ...base,
      actions(s: WorldState, out: Event[]) {
        base.actions(s, out);
        for (const e of out) {
          if (e.k !== 'timer') continue;
          timers++;
          const node = s.c.world.timers.find((t) => t.seq === e.seq)?.node ?? -1;
          if (!quiet(s.c.world, node)) throw new Error(`timer of n${node} enabled while it has something in flight`);
        }
      },
      invariants: [{ name: 'no reply in flight', holds: (s: WorldState) => !s.c.world.net.some((p) => p.body.kind === 'reply') }],
    };
    const r = explore(ts, { strategy: 'bfs', maxStates: 20_000 });
    expect(r.violation ?? null).toBeNull();
    expect(r.distinctStates).toBeGreaterThan(1000);
    expect(timers).toBeGreaterThan(0);
  });

  it('quiet timers only remove states', () => {
    const q = systematic(restricted('passive', 'list', { por: true }));
    const all = systematic(restricted('passive', 'list', { por: true, quietTimers: false }));
    expect(q.complete && all.complete).toBe(true);
    expect(q.distinctStates).toBeLessThan(all.distinctStates);
    expect(q.quietTimers && q.atomicOps).toBe(true);
  });

  for (const [protocol, service] of [
    ['passive', 'list'],
    ['disk', undefined],
  ] as const) {
    it(`${protocol}${service ? `/${service}` : ''}: sleep sets reach the same states under the restrictions`, () => {
      const withPor = systematic(restricted(protocol, service, { por: true }));
      const without = systematic(restricted(protocol, service, { por: false }));
      expect(withPor.complete && without.complete).toBe(true);
      expect(withPor.violations + without.violations).toBe(0);
      expect(withPor.distinctStates).toBe(without.distinctStates);
      expect(withPor.generated).toBeLessThan(without.generated);
    });
  }

  it('the documented command line finds a mutant with --atomic-ops, and its failure file replays', () => {
    const m = mutantBounds.find((x) => targetLabel(x) === 'passive/list' && x.mutant === 'decide-by-value') as MutantBounds;
    expect(m.bounds.atomicOps).toBe(true);
    const args = exploreCommandLine(m).split(' ').slice(1);
    expect(args).toContain('--atomic-ops');
    const out = mkdtempSync(join(tmpdir(), 'paxcheck-restrict-'));
    const r = paxcheck([...args, '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout) as { atomicOps: boolean; firstViolation: { file: string; depth: number } };
    expect(j.atomicOps).toBe(true);
    const f = readFailure(j.firstViolation.file);
    expect(f.choices.length).toBe(j.firstViolation.depth);
    expect(replay(f).reproduced).toBe(true);
  });

  it('--atomic-ops and --quiet-timers are refused with --workers or a random strategy', () => {
    for (const extra of [
      ['--atomic-ops', '--workers', '2'],
      ['--quiet-timers', '--strategy', 'random'],
    ]) {
      const r = paxcheck(['explore', '--protocol', 'disk', ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/only for bfs\/dfs in one process/);
    }
  });
});
