import { describe, expect, it } from 'vitest';
import { exploreWithSleepSets } from '../src/search/reduce/sleep.js';
import { exploreSleepWorkers } from '../src/scale/sleep-workers.js';
import { exploreTopology } from '../src/search/systematic.js';
import type { KernelTarget } from '../src/search/target.js';
import { buildSleepTarget } from '../src/search/target.js';
import { paxcheck } from './cli.js';

const target = (over: Partial<KernelTarget>): KernelTarget => ({
  kind: 'kernel',
  protocol: 'static',
  service: null,
  mutant: null,
  topology: { ...exploreTopology, proposers: 2, commands: 2 },
  budget: { drops: 1 },
  maxBallots: 3,
  maxTimerFires: 0,
  symmetry: true,
  ...over,
});

/** The single-threaded sleep-set search and the one with helper threads, side by side. */
async function both(t: KernelTarget, maxStates: number | undefined, workers: number): Promise<[unknown[], unknown[]]> {
  const one = exploreWithSleepSets(buildSleepTarget(t), { strategy: 'bfs', maxStates });
  const many = await exploreSleepWorkers(t, { workers, maxStates });
  const v = one.violation && one.violationChoices ? { name: one.violation.name, ...one.violationChoices } : null;
  return [
    [one.distinctStates, one.generated, one.depth, one.complete, one.stoppedBy, v],
    [many.distinctStates, many.generated, many.depth, many.complete, many.stoppedBy, many.violation],
  ];
}

describe('the sleep-set search on helper threads reports what the single-threaded one reports', () => {
  it('static, complete at the pinned bounds and cut by --max-states, on 2 and 3 threads', async () => {
    for (const [t, maxStates, workers] of [
      [target({ topology: { ...exploreTopology, proposers: 2, commands: 1 } }), undefined, 2],
      [target({}), 30_000, 2],
      [target({}), 30_000, 3],
      [target({ symmetry: false }), 20_000, 2],
    ] as const) {
      const [one, many] = await both(t, maxStates, workers);
      expect(many).toEqual(one);
    }
  }, 120_000);

  it('a violation: the same counts and the same counterexample path', async () => {
    for (const t of [target({ protocol: 'passive', service: 'cas', mutant: 'blind-put' }), target({ protocol: 'passive', service: 'cas', mutant: 'blind-put', symmetry: false })]) {
      const [one, many] = await both(t, 200_000, 2);
      expect(one[4]).toBe('violation');
      expect(many).toEqual(one);
    }
  }, 120_000);
});

describe('explore --workers with bounds and no depth bound runs the default (sleep-set) search', () => {
  const bounds = ['--topology', 'proposers=2,acceptors=3,learners=1,commands=2', '--budget', 'crashes=0,drops=1,ballots=3,timers=0', '--max-states', '20000', '--json'];
  const fields = (out: string): unknown[] => {
    const s = JSON.parse(out) as Record<string, unknown>;
    return [s.distinctStates, s.generated, s.depth, s.complete, s.stopReason, s.por];
  };

  it('a real CLI process: the counts of the single-threaded run, por true, no note that reductions are off', async () => {
    const one = await paxcheck(['explore', '--protocol', 'static', '--strategy', 'bfs', ...bounds]);
    const two = await paxcheck(['explore', '--protocol', 'static', '--strategy', 'bfs', ...bounds, '--workers', '2']);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const single = JSON.parse(one.stdout) as { por: { enabled: boolean } };
    expect(single.por.enabled).toBe(true);
    expect(fields(two.stdout)).toEqual([...fields(one.stdout).slice(0, 5), true]);
    expect(JSON.parse(two.stdout)).toMatchObject({ workers: 2 });
    expect(two.stderr).not.toContain('without partial-order reduction');
  }, 120_000);

  it('--no-por keeps the fingerprint-owned split, and says nothing about reductions being off', async () => {
    const r = await paxcheck(['explore', '--protocol', 'static', '--strategy', 'bfs', ...bounds, '--workers', '2', '--no-por']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ por: false, workers: 2 });
  }, 120_000);
});
