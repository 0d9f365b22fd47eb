import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explore } from '../src/search/bfs.js';
import { mergeShards } from '../src/scale/merge.js';
import { exploreShard } from '../src/scale/shard.js';
import { exploreTopology } from '../src/search/systematic.js';
import type { Target } from '../src/search/target.js';
import { buildTarget } from '../src/search/target.js';
import { paxcheck } from './cli.js';

const counts = (r: { distinctStates: number; generated: number; depth: number; complete: boolean }): number[] => [r.distinctStates, r.generated, r.depth, r.complete ? 1 : 0];

function shardsOf(t: Target, n: number, maxDepth?: number): ReturnType<typeof mergeShards> {
  const parts = Array.from({ length: n }, (_, i) => exploreShard(buildTarget(t), { shard: { index: i, count: n }, maxDepth }));
  return mergeShards(parts, maxDepth);
}

const staticTarget: Target = {
  kind: 'kernel',
  protocol: 'static',
  service: null,
  mutant: null,
  topology: { ...exploreTopology, proposers: 1, commands: 1 },
  budget: { crashes: 0, drops: 1 },
  maxBallots: 2,
  maxTimerFires: null,
  symmetry: false,
};

describe('bfs shards merge into the unsharded numbers', () => {
  it('spec-paxos MaxBallot 1: 3921 distinct, 23563 generated, depth 17, for 1 to 3 shards', () => {
    const t: Target = { kind: 'spec-paxos', maxBallot: 1 };
    expect(counts(explore(buildTarget(t)))).toEqual([3921, 23563, 17, 1]);
    for (const n of [1, 2, 3]) {
      const m = shardsOf(t, n);
      expect(counts(m)).toEqual([3921, 23563, 17, 1]);
      expect(m.exact).toBe(true);
    }
  });

  it('a search cut by --max-depth: the generated count stops where the unsharded search stops', () => {
    const t: Target = { kind: 'spec-paxos', maxBallot: 1 };
    for (const d of [1, 4, 9, 16, 17, 18]) {
      const u = explore(buildTarget(t), { maxDepth: d });
      for (const n of [2, 3]) expect(counts(shardsOf(t, n, d))).toEqual(counts(u));
    }
  });

  it('a kernel protocol at small bounds, cut by the depth bound', () => {
    const u = explore(buildTarget(staticTarget), { maxDepth: 8 });
    expect(u.complete).toBe(false);
    expect(counts(shardsOf(staticTarget, 2, 8))).toEqual(counts(u));
  });

  it('a missing shard is reported, and the counts are not called exact', () => {
    const t: Target = { kind: 'spec-paxos', maxBallot: 1 };
    const m = mergeShards([exploreShard(buildTarget(t), { shard: { index: 1, count: 2 } })]);
    expect(m.missing).toEqual([0]);
    expect(m.exact).toBe(false);
    expect(m.complete).toBe(false);
    expect(m.distinctStates).toBeLessThan(3921);
  });
});

describe('explore --shard, then report --in', () => {
  const root = mkdtempSync(join(tmpdir(), 'paxcheck-shard-'));

  function sharded(name: string, args: readonly string[]): { unsharded: Record<string, unknown>; merged: Record<string, unknown>; report: ReturnType<typeof paxcheck> } {
    const u = paxcheck(['explore', ...args, '--out', join(root, `${name}-full`), '--json']);
    const dirs = [0, 1].map((i) => join(root, `${name}-${i}`));
    dirs.forEach((d, i) => {
      const r = paxcheck(['explore', ...args, '--shard', `${i}/2`, '--out', d, '--json']);
      expect(r.code, r.stderr).toBe(u.code);
      expect((JSON.parse(r.stdout) as { partial: boolean }).partial).toBe(true);
    });
    const report = paxcheck(['report', '--in', ...dirs, '--out', join(root, `${name}.html`), '--json']);
    const merged = (JSON.parse(report.stdout) as { explore: Record<string, unknown>[] }).explore;
    expect(merged).toHaveLength(1);
    return { unsharded: JSON.parse(u.stdout) as Record<string, unknown>, merged: merged[0] as Record<string, unknown>, report };
  }

  const fields = ['distinctStates', 'generated', 'depth', 'complete', 'violations'];
  const pick = (j: Record<string, unknown>): unknown[] => fields.map((f) => j[f]);

  it('spec-paxos MaxBallot 1: exactly the unsharded distinctStates, generated, depth, complete', () => {
    const { unsharded, merged, report } = sharded('spec', ['--protocol', 'spec-paxos', '--max-ballot', '1']);
    expect(report.code).toBe(0);
    expect(pick(merged)).toEqual([3921, 23563, 17, true, 0]);
    expect(pick(merged)).toEqual(pick(unsharded));
    expect(merged['exact']).toBe(true);
    const text = paxcheck(['report', '--in', join(root, 'spec-0'), join(root, 'spec-1'), '--out', join(root, 'spec.html')]);
    expect(text.stdout).toContain('spec-paxos MaxBallot=1 bfs (2 shards merged): 3921 distinct states, 23563 generated, depth 17, complete');
  });

  it('passive/cas at small bounds (cut by --max-depth): exactly the unsharded numbers', () => {
    // Shards run without reductions: so does the unsharded run they are compared with.
    const args = ['--protocol', 'passive', '--service', 'cas', '--topology', 'proposers=1,commands=1', '--budget', 'crashes=0,drops=1,ballots=2', '--max-depth', '7', '--no-por', '--no-symmetry'];
    const { unsharded, merged } = sharded('cas', args);
    expect(unsharded['complete']).toBe(false);
    expect(pick(merged)).toEqual(pick(unsharded));
  });

  it('a violation: the merged counterexample is the unsharded one (shortest, first in BFS order); exit 1', () => {
    const args = ['--protocol', 'static', '--mutant', 'minority-quorum', '--budget', 'crashes=0,drops=0,ballots=2,timers=1', '--max-depth', '14', '--no-por', '--no-symmetry'];
    const { unsharded, merged, report } = sharded('mq', args);
    expect(report.code).toBe(1);
    expect(merged['violations']).toBe(1);
    expect(merged['exact']).toBe(false);
    const uv = unsharded['firstViolation'] as { property: string; depth: number; file: string };
    const mv = merged['firstViolation'] as { property: string; depth: number; file: string };
    expect([mv.property, mv.depth]).toEqual([uv.property, uv.depth]);
    const choices = (f: string): unknown => (JSON.parse(readFileSync(f, 'utf8')) as { choices: unknown }).choices;
    expect(choices(mv.file)).toEqual(choices(uv.file));
  });

  it('bad shard input: --shard with dfs, with --max-states, a truncated record file: one line, exit 2', () => {
    const dfs = paxcheck(['explore', '--protocol', 'spec-paxos', '--strategy', 'dfs', '--shard', '0/2']);
    expect(dfs.code).toBe(2);
    expect(dfs.stderr.trim().split('\n')).toHaveLength(1);
    const ms = paxcheck(['explore', '--protocol', 'spec-paxos', '--shard', '0/2', '--max-states', '100']);
    expect(ms.code).toBe(2);
    // Kernel protocols: the reductions the unsharded search would use cannot be split. Left to
    // their defaults they are turned off with a note; asked for explicitly, the flags are refused.
    const kernel = ['explore', '--protocol', 'static', '--budget', 'crashes=0,drops=0,ballots=2,timers=1', '--max-depth', '3', '--shard', '0/2', '--out', join(root, 'k')];
    const auto = paxcheck(kernel);
    expect(auto.code).toBe(0);
    expect(auto.stderr).toContain('--no-symmetry');
    for (const flag of ['--por', '--symmetry']) {
      const r = paxcheck([...kernel.filter((x) => x !== '--max-depth' && x !== '3'), flag]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const dir = join(root, 'spec-0', 'shards');
    const bin = readdirSync(dir).find((f) => f.endsWith('.bin')) as string;
    writeFileSync(join(dir, bin), readFileSync(join(dir, bin)).subarray(0, 100));
    const r = paxcheck(['report', '--in', join(root, 'spec-0'), '--out', join(root, 'bad.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^paxcheck: .*holds 100 bytes, expected \d+\n$/);
  });
});

describe('seed shards of simulate and explore --strategy random merge like one run set', () => {
  const root = mkdtempSync(join(tmpdir(), 'paxcheck-seeds-'));
  type Merged = { runs: number; events: number; violations: number; shards: number; coverage: Record<string, unknown>; liveness: Record<string, unknown> };

  function merged(dirs: readonly string[]): Merged {
    const r = paxcheck(['report', '--in', ...dirs, '--out', join(root, 'r.html'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const m = (JSON.parse(r.stdout) as { merged: Merged[] }).merged;
    expect(m).toHaveLength(1);
    return m[0] as Merged;
  }

  function compare(cmd: readonly string[]): void {
    const name = cmd.join('-').replace(/[^a-z0-9-]/gi, '');
    expect(paxcheck([...cmd, '--out', join(root, `${name}-full`)]).code).toBe(0);
    for (const i of [0, 1]) expect(paxcheck([...cmd, '--shard', `${i}/2`, '--out', join(root, `${name}-${i}`)]).code).toBe(0);
    const whole = merged([join(root, `${name}-full`)]);
    const parts = merged([0, 1].map((i) => join(root, `${name}-${i}`)));
    expect(parts.shards).toBe(2);
    expect([parts.runs, parts.events, parts.violations]).toEqual([whole.runs, whole.events, whole.violations]);
    // Counts that add up are exact; distinct states and classes are a sum over shards, an upper bound.
    for (const k of ['runs', 'labels', 'messageKinds', 'messageOrders', 'crashPoints', 'faults']) expect(parts.coverage[k], k).toEqual(whole.coverage[k]);
    expect(parts.coverage['distinctStates'] as number).toBeGreaterThanOrEqual(whole.coverage['distinctStates'] as number);
    for (const k of ['runs', 'decided', 'quorumUnavailable', 'livelock', 'ballotsPerRun']) expect(parts.liveness[k], k).toEqual(whole.liveness[k]);
  }

  it('simulate --shard i/2: runs, events, violations, coverage counts add up to the unsharded run set', () => {
    compare(['simulate', '--protocol', 'static', '--runs', '20']);
  });

  it('explore --strategy random --shard i/2 likewise', () => {
    compare(['explore', '--protocol', 'passive', '--service', 'cas', '--strategy', 'random', '--runs', '20', '--budget', 'crashes=1,drops=1']);
  });
});
