import { failuresIn } from '../src/artifacts/failure-file.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Event, FaultBudget } from '../src/kernel/events.js';
import { hashValue } from '../src/kernel/hash.js';
import { explore } from '../src/search/bfs.js';
import type { Strategy } from '../src/search/bfs.js';
import type { PartialOrder, TransitionSystem } from '../src/kernel/model.js';
import { reduceWorldModel } from '../src/search/reduce/reductions.js';
import { replay } from '../src/step/replay.js';
import { exploreWithSleepSets } from '../src/search/reduce/sleep.js';
import { exploreTopology, systematic } from '../src/search/systematic.js';
import type { SystematicSummary } from '../src/search/systematic.js';
import type { WorldState } from '../src/search/world-model.js';
import { worldModel } from '../src/search/world-model.js';
import type { Topology } from '../src/protocols/index.js';
import { buildSystem } from '../src/protocols/index.js';
import { readFailure } from '../src/artifacts/failure-file.js';
import { paxcheck } from './cli.js';

const out = mkdtempSync(join(tmpdir(), 'paxcheck-reduction-'));

// A toy system for the sleep-set engine: n counters that count up to K on their own (independent
// of each other), a step that moves a unit from counter i to i+1 (touching both), and a global
// reset. The bound "at most m counters above zero" cuts states off, like the ballot bound.
type Toy = readonly number[];

function toy(n: number, K: number, m: number | null, opts: { resets: boolean } = { resets: true }): TransitionSystem<Toy, number> {
  const nonzero = (s: Toy): number => s.slice(0, n).filter((x) => x > 0).length;
  const cut = (s: Toy): boolean => m !== null && nonzero(s) > m;
  const po: PartialOrder<Toy, number> = {
    footprint: (_s, a) => (a < n ? [a] : a === n ? [-1] : [a - n - 1, a - n]),
    key: (_s, a) => a,
    ...(m === null ? {} : { cut, ...(opts.resets ? { resets: (s: Toy, t: Toy) => nonzero(s) !== nonzero(t) } : {}) }),
  };
  return {
    name: 'toy',
    initial: () => [[...Array<number>(n).fill(0), 0]],
    actions(s, acts) {
      if (cut(s)) return;
      for (let i = 0; i < n; i++) if ((s[i] as number) < K) acts.push(i);
      if (s[n] === 0) acts.push(n);
      for (let i = 0; i + 1 < n; i++) if ((s[i] as number) > 0 && (s[i + 1] as number) < K) acts.push(n + 1 + i);
    },
    next(s, a) {
      const t = s.slice();
      if (a < n) t[a] = (t[a] as number) + 1;
      else if (a === n) t.fill(0, 0, n).fill(1, n);
      else {
        t[a - n - 1] = (t[a - n - 1] as number) - 1;
        t[a - n] = (t[a - n] as number) + 1;
      }
      return t;
    },
    fingerprint: (s) => hashValue(s),
    describe: (a) => `a${a}`,
    partialOrder: po,
  };
}

describe('sleep sets', () => {
  const cases: readonly (readonly [number, number, number | null])[] = [
    [3, 2, null],
    [4, 2, null],
    [3, 3, 2],
    [4, 2, 2],
    [4, 3, 1],
    [5, 2, 3],
  ];
  for (const strategy of ['bfs', 'dfs'] as const) {
    it(`${strategy}: every state of the toy system, fewer transitions`, () => {
      let saved = 0;
      for (const [n, K, m] of cases) {
        const ts = toy(n, K, m);
        const full = explore(ts, { strategy });
        const r = exploreWithSleepSets(ts, { strategy });
        expect(r.distinctStates, `${n},${K},${m}`).toBe(full.distinctStates);
        expect(r.complete).toBe(true);
        expect(r.generated).toBeLessThanOrEqual(full.generated);
        expect(r.sleep.skipped).toBe(full.generated - r.generated);
        saved += full.generated - r.generated;
      }
      expect(saved).toBeGreaterThan(0);
    });
  }

  it('a step that moves the bound must wake the sleeping actions: without that, states are lost', () => {
    const lost = cases.filter(([n, K, m]) => m !== null && exploreWithSleepSets(toy(n, K, m, { resets: false }), { strategy: 'dfs' }).distinctStates < explore(toy(n, K, m), { strategy: 'dfs' }).distinctStates);
    expect(lost.length).toBeGreaterThan(0);
  });
});

interface Target {
  readonly name: string;
  readonly protocol: string;
  readonly service?: string;
  readonly topology: Partial<Topology>;
  readonly budget: FaultBudget;
  readonly ballots: number;
  readonly timers: number;
}

const run = (t: Target, por: boolean, symmetry: boolean, strategy: Strategy = 'bfs', mutant?: string, maxStates?: number): SystematicSummary =>
  systematic({
    protocol: t.protocol,
    service: t.service,
    mutant,
    strategy,
    topology: t.topology,
    budget: t.budget,
    maxBallots: t.ballots,
    maxTimerFires: t.timers,
    maxStates,
    por,
    symmetry,
    record: failuresIn(out),
  });

// Tiny bounds at which each correct target explores to completion in about a second.
const targets: readonly Target[] = [
  { name: 'static', protocol: 'static', topology: { proposers: 2, commands: 1 }, budget: {}, ballots: 2, timers: 0 },
  { name: 'disk', protocol: 'disk', topology: { proposers: 1, commands: 1, servers: 2 }, budget: { crashes: 1 }, ballots: 1, timers: 0 },
  { name: 'passive/list', protocol: 'passive', service: 'list', topology: { proposers: 1, commands: 1, servers: 2 }, budget: {}, ballots: 1, timers: 0 },
  { name: 'passive/cas', protocol: 'passive', service: 'cas', topology: { proposers: 1, commands: 1 }, budget: { drops: 1 }, ballots: 1, timers: 0 },
  { name: 'passive/register', protocol: 'passive', service: 'register', topology: { proposers: 1, commands: 1, servers: 2 }, budget: { crashes: 1 }, ballots: 1, timers: 0 },
];

describe('reductions on complete explorations of every correct target', () => {
  for (const t of targets) {
    it(`${t.name}: POR keeps the states and drops transitions; symmetry drops states; no verdict changes`, () => {
      const plain = run(t, false, false);
      const por = run(t, true, false);
      const sym = run(t, false, true);
      const both = run(t, true, true);
      for (const s of [plain, por, sym, both]) {
        expect(s.complete).toBe(true);
        expect(s.violations).toBe(0);
      }
      expect(por.distinctStates).toBe(plain.distinctStates);
      expect(por.generated).toBeLessThan(plain.generated);
      expect(por.por).toMatchObject({ enabled: true, skipped: plain.generated - por.generated });
      expect(sym.distinctStates).toBeLessThan(plain.distinctStates);
      expect(sym.symmetry.enabled).toBe(true);
      expect(sym.symmetry.permutations).toBeGreaterThan(1);
      expect(both.distinctStates).toBe(sym.distinctStates);
      expect(both.generated).toBeLessThan(sym.generated);
      expect(plain.por.enabled || plain.symmetry.enabled).toBe(false);
    });
  }

  it('dfs too: the same states with and without sleep sets', () => {
    const t = targets[3] as Target;
    const plain = run(t, false, true, 'dfs');
    const por = run(t, true, true, 'dfs');
    expect(por.complete).toBe(true);
    expect(por.distinctStates).toBe(plain.distinctStates);
    expect(por.generated).toBeLessThan(plain.generated);
  });
});

/** Follows the first enabled event that `pick` accepts, from the initial state. */
function walk(ts: TransitionSystem<WorldState, Event>, picks: readonly ((e: Event, s: WorldState) => boolean)[]): WorldState {
  let s = ts.initial()[0] as WorldState;
  for (const pick of picks) {
    const acts: Event[] = [];
    ts.actions(s, acts);
    const e = acts.find((x) => pick(x, s));
    if (e === undefined) throw new Error('walk: no such event');
    s = ts.next(s, e) as WorldState;
  }
  return s;
}

const deliverTo = (node: number) => (e: Event, s: WorldState) => e.k === 'deliver' && e.fault === undefined && s.c.world.net.find((p) => p.seq === e.seq)?.to === node;
const kind = (k: Event['k']) => (e: Event) => e.k === k;

describe('symmetry', () => {
  it('states that differ only in which server got a request meet; plain fingerprints tell them apart', () => {
    const sys = buildSystem({ protocol: 'passive', service: 'cas', topology: { ...exploreTopology, proposers: 1, commands: 1 } });
    const base = worldModel(sys, { budget: {}, maxBallots: 2 });
    const { ts } = reduceWorldModel(sys, base, { por: false, symmetry: true, maxBallots: 2 });
    const [a, b, c] = sys.acceptors as [number, number, number];
    const x = walk(base, [kind('submit'), deliverTo(a), deliverTo(0)]);
    const y = walk(base, [kind('submit'), deliverTo(c), deliverTo(0)]);
    const z = walk(base, [kind('submit'), deliverTo(b), deliverTo(c)]);
    expect(base.fingerprint(x)).not.toEqual(base.fingerprint(y));
    expect(ts.fingerprint(x)).toEqual(ts.fingerprint(y));
    expect(ts.fingerprint(z)).not.toEqual(ts.fingerprint(x));
  });

  it('static acceptors: interchangeable once the learner can no longer poll them in its fixed order', () => {
    const sys = buildSystem({ protocol: 'static', topology: { ...exploreTopology, proposers: 1, commands: 1 } });
    const [a, b, c] = sys.acceptors as [number, number, number];
    // The proposer makes its commands and then its round durable before the 1a leaves.
    const promise = (ts: TransitionSystem<WorldState, Event>, n: number): WorldState =>
      walk(ts, [kind('submit'), kind('write'), kind('write'), deliverTo(n), kind('write')]);
    const fp = (maxTimerFires: number | undefined, n: number) => {
      const base = worldModel(sys, { budget: {}, maxBallots: 2, maxTimerFires });
      const { ts } = reduceWorldModel(sys, base, { por: false, symmetry: true, maxBallots: 2, maxTimerFires });
      const s = promise(base, n);
      return { plain: base.fingerprint(s), canonical: ts.fingerprint(s) };
    };
    // Its quiet polls go round the acceptors in list order: only rotations keep that.
    expect(fp(undefined, b).canonical).not.toEqual(fp(undefined, c).canonical);
    // With no timer firing left, the poll cursor is dead state.
    expect(fp(0, b).plain).not.toEqual(fp(0, c).plain);
    expect(fp(0, a).canonical).toEqual(fp(0, b).canonical);
    expect(fp(0, b).canonical).toEqual(fp(0, c).canonical);
  });
});

// Mutants bfs finds at small bounds: the same property with either reduction on or off, and the
// counterexample (a path of the concrete states the search expanded) replays from its file.
const race = (acceptors: number): Partial<Topology> => ({ proposers: 2, acceptors, learners: 1, commands: 2 });
const mutants: readonly (Target & { readonly mutant: string })[] = [
  { name: 'static', mutant: 'no-adopt', protocol: 'static', topology: race(1), budget: {}, ballots: 3, timers: 0 },
  { name: 'static', mutant: 'non-unique-ballot', protocol: 'static', topology: race(1), budget: {}, ballots: 3, timers: 0 },
  { name: 'static', mutant: 'minority-quorum', protocol: 'static', topology: race(2), budget: {}, ballots: 3, timers: 0 },
  { name: 'static', mutant: 'learner-duplicates', protocol: 'static', topology: { proposers: 1, commands: 1 }, budget: { dups: 1 }, ballots: 3, timers: 0 },
  { name: 'static', mutant: 'accept-no-promise', protocol: 'static', topology: { proposers: 1, commands: 1 }, budget: { dups: 1 }, ballots: 3, timers: 0 },
  { name: 'static', mutant: 'ballot-reuse-after-restart', protocol: 'static', topology: { proposers: 1, acceptors: 1, commands: 1 }, budget: { crashes: 1 }, ballots: 3, timers: 0 },
  { name: 'static', mutant: 'decide-by-value', protocol: 'static', topology: race(2), budget: {}, ballots: 3, timers: 0 },
  { name: 'static', mutant: 'reply-before-persist', protocol: 'static', topology: { commands: 1 }, budget: {}, ballots: 2, timers: 1 },
  { name: 'disk', mutant: 'read-before-write', protocol: 'disk', topology: { proposers: 2, servers: 1, commands: 2 }, budget: {}, ballots: 2, timers: 0 },
  { name: 'disk', mutant: 'minority-disks', protocol: 'disk', topology: { proposers: 2, servers: 2, commands: 2 }, budget: {}, ballots: 2, timers: 0 },
  { name: 'passive/list', mutant: 'replay-overwrite', protocol: 'passive', service: 'list', topology: { proposers: 1, servers: 3, commands: 1 }, budget: {}, ballots: 2, timers: 0 },
  { name: 'passive/list', mutant: 'gap-as-complete', protocol: 'passive', service: 'list', topology: { proposers: 2, servers: 1, commands: 2 }, budget: { storage: 1 }, ballots: 2, timers: 0 },
  { name: 'passive/list', mutant: 'stale-read', protocol: 'passive', service: 'list', topology: { proposers: 2, servers: 1, commands: 2 }, budget: {}, ballots: 2, timers: 0 },
  { name: 'passive/list', mutant: 'commit-before-majority', protocol: 'passive', service: 'list', topology: { proposers: 2, servers: 1, commands: 2 }, budget: {}, ballots: 2, timers: 0 },
  { name: 'passive/cas', mutant: 'blind-put', protocol: 'passive', service: 'cas', topology: { proposers: 2, servers: 1, commands: 2 }, budget: {}, ballots: 2, timers: 0 },
  { name: 'passive/cas', mutant: 'conflict-as-success', protocol: 'passive', service: 'cas', topology: { proposers: 2, servers: 1, commands: 2 }, budget: {}, ballots: 2, timers: 0 },
];

describe('mutant verdicts do not depend on the reductions', () => {
  for (const m of mutants) {
    it(`${m.name} ${m.mutant}: same property in all four combinations, each counterexample replays`, () => {
      const props = new Set<string>();
      for (const [por, symmetry] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const s = run(m, por, symmetry, 'bfs', m.mutant, 100_000);
        expect(s.violations, `por=${por} symmetry=${symmetry}`).toBe(1);
        const v = s.firstViolation;
        props.add(v?.property ?? '');
        const r = replay(readFailure(v?.file as string));
        expect(r.reproduced).toBe(true);
        expect(r.violation?.property).toBe(v?.property);
      }
      expect(props.size).toBe(1);
    });
  }
});

describe('the CLI flags', () => {
  const args = ['explore', '--protocol', 'passive', '--service', 'list', '--strategy', 'bfs', '--topology', 'proposers=1,commands=1,servers=2', '--budget', 'crashes=0,drops=0,ballots=1,timers=0', '--out', out, '--json'];
  type Summary = { distinctStates: number; generated: number; complete: boolean; por: { enabled: boolean; skipped: number }; symmetry: { enabled: boolean; groups: number[][]; permutations: number } };
  const parse = (r: { code: number | null; stdout: string }): Summary => {
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Summary;
  };

  it('both reductions on by default; --no-por and --no-symmetry turn each off', () => {
    const on = parse(paxcheck(args));
    expect(on.por.enabled).toBe(true);
    expect(on.symmetry).toEqual({ enabled: true, groups: [[1, 2]], permutations: 2 });
    const noPor = parse(paxcheck([...args, '--no-por']));
    expect(noPor.por.enabled).toBe(false);
    expect(noPor.distinctStates).toBe(on.distinctStates);
    expect(noPor.generated).toBe(on.generated + on.por.skipped);
    const noSym = parse(paxcheck([...args, '--no-symmetry']));
    expect(noSym.symmetry.enabled).toBe(false);
    expect(noSym.distinctStates).toBeGreaterThan(on.distinctStates);
  });

  it('spec-paxos explores without reductions and refuses to turn them on', () => {
    const r = paxcheck(['explore', '--protocol', 'spec-paxos', '--por']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
