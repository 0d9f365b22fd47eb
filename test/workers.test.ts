import { describe, expect, it } from 'vitest';
import { explore } from '../src/search/bfs.js';
import { exploreParallel } from '../src/scale/parallel.js';
import { exploreTopology } from '../src/search/systematic.js';
import type { Target } from '../src/search/target.js';
import { buildTarget, resolvePath } from '../src/search/target.js';
import { paxcheck } from './cli.js';

const counts = (r: { distinctStates: number; generated: number; depth: number; complete: boolean; stoppedBy: string | null }): unknown[] => [
  r.distinctStates,
  r.generated,
  r.depth,
  r.complete,
  r.stoppedBy,
];

const spec1: Target = { kind: 'spec-paxos', maxBallot: 1 };

describe('explore on worker threads reports what the single-threaded BFS reports', () => {
  it('spec-paxos MaxBallot 1, complete: 3921 distinct, 23563 generated, depth 17 on 2 and 3 workers', async () => {
    for (const workers of [2, 3]) {
      const r = await exploreParallel(spec1, { workers });
      expect(counts(r)).toEqual([3921, 23563, 17, true, null]);
    }
  });

  it('cut by --max-depth or --max-states: the same stopping point', async () => {
    for (const o of [{ maxDepth: 1 }, { maxDepth: 9 }, { maxDepth: 17 }, { maxStates: 1 }, { maxStates: 1000 }, { maxStates: 3921 }]) {
      const u = explore(buildTarget(spec1), o);
      expect(counts(await exploreParallel(spec1, { workers: 2, ...o })), JSON.stringify(o)).toEqual(counts(u));
    }
  });

  it('a kernel protocol whose states move between threads (structured clone), cut by the depth bound, with and without symmetry', async () => {
    for (const symmetry of [false, true]) {
      const t: Target = {
        kind: 'kernel',
        protocol: 'static',
        service: null,
        mutant: null,
        topology: { ...exploreTopology, proposers: 1, commands: 1 },
        budget: { crashes: 0, drops: 1 },
        maxBallots: 2,
        maxTimerFires: null,
        symmetry,
      };
      const u = explore(buildTarget(t), { maxDepth: 8 });
      expect(counts(await exploreParallel(t, { workers: 2, maxDepth: 8 })), `symmetry ${symmetry}`).toEqual(counts(u));
    }
  });

  it('a violation: the counts where the search stops and the very counterexample', async () => {
    const t: Target = {
      kind: 'kernel',
      protocol: 'static',
      service: null,
      mutant: 'minority-quorum',
      topology: exploreTopology,
      budget: { crashes: 0, drops: 0 },
      maxBallots: 2,
      maxTimerFires: 1,
      symmetry: false,
    };
    const ts = buildTarget(t);
    const u = explore(ts, { maxDepth: 14 });
    expect(u.violation).toBeDefined();
    const p = await exploreParallel(t, { workers: 2, maxDepth: 14 });
    expect(counts(p)).toEqual(counts(u));
    expect(p.violation).not.toBeNull();
    const path = resolvePath(ts, p.violation as NonNullable<typeof p.violation>);
    expect(path.steps).toEqual(u.violation?.steps);
  });
});

describe('explore --workers on the command line', () => {
  it('--workers 2 --json: the single-threaded numbers, and the workers field', () => {
    const one = JSON.parse(paxcheck(['explore', '--protocol', 'spec-paxos', '--max-ballot', '1', '--json']).stdout) as Record<string, unknown>;
    const r = paxcheck(['explore', '--protocol', 'spec-paxos', '--max-ballot', '1', '--workers', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const two = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const k of ['distinctStates', 'generated', 'depth', 'complete', 'violations', 'events']) expect(two[k], k).toEqual(one[k]);
    expect(two['workers']).toBe(2);
  });

  it('a kernel protocol with the CLI defaults (symmetry on; no partial-order reduction under --max-depth)', () => {
    const args = ['explore', '--protocol', 'passive', '--service', 'cas', '--topology', 'proposers=1,commands=1', '--budget', 'crashes=0,drops=1,ballots=2', '--max-depth', '6', '--json'];
    const one = JSON.parse(paxcheck(args).stdout) as Record<string, unknown>;
    const two = JSON.parse(paxcheck([...args, '--workers', '2']).stdout) as Record<string, unknown>;
    for (const k of ['distinctStates', 'generated', 'depth', 'complete']) expect(two[k], k).toEqual(one[k]);
    expect(two['symmetry']).toBe(true);
  });

  it('bad --workers input: one line, exit 2', () => {
    for (const args of [
      ['--workers', '0'],
      ['--workers', '1.5'],
      ['--workers', '2', '--strategy', 'dfs'],
      ['--workers', '2', '--strategy', 'random'],
      ['--workers', '2', '--shard', '0/2'],
      ['--workers', '2', '--protocol', 'static', '--budget', 'timers=1', '--por'],
      ['--workers', '0', '--protocol', 'static'],
    ]) {
      const r = paxcheck(['explore', '--protocol', 'spec-paxos', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^paxcheck: [^\n]+\n$/);
    }
  });
});
