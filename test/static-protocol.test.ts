import { describe, expect, it } from 'vitest';
import type { Event, FaultBudget } from '../src/kernel/events.js';
import { RngStreams } from '../src/kernel/rng.js';
import type { NodeId, NodeView, System, Value } from '../src/kernel/types.js';
import { enabled, initWorld, step } from '../src/kernel/world.js';
import type { World } from '../src/kernel/world.js';
import { defaultTopology } from '../src/protocols/family.js';
import type { Topology } from '../src/protocols/family.js';
import { staticFamily } from '../src/protocols/static/index.js';

type Picker = (events: readonly Event[], w: World) => Event;

/** Deliveries, writes and submissions first, in the kernel's order; timers only when nothing else is left. */
const timersLast: Picker = (events) => events.find((e) => e.k !== 'timer') ?? (events[0] as Event);

/**
 * A seeded untimed scheduler: any enabled event may come next, but timers (which in untimed mode
 * fire "whenever") are rare, and so are crashes, restricted to `crashable` nodes.
 */
function seeded(seed: number, crashable: readonly NodeId[] = [], restartWeight = 0.1, crashWeight = 0.02): Picker {
  const rng = new RngStreams(seed).get('test-picker');
  const weight = (e: Event): number => {
    switch (e.k) {
      case 'timer':
        return 0.05;
      case 'crash':
        return crashable.includes(e.node) ? crashWeight : 0;
      case 'restart':
        return restartWeight;
      default:
        return 1;
    }
  };
  return (events) => {
    const total = events.reduce((acc, e) => acc + weight(e), 0);
    if (total === 0) return events.find((e) => e.k !== 'crash') ?? (events[0] as Event);
    let x = rng.next() * total;
    for (const e of events) {
      x -= weight(e);
      if (x < 0 && weight(e) > 0) return e;
    }
    return events.filter((e) => weight(e) > 0).at(-1) as Event;
  };
}

interface RunResult {
  readonly sys: System;
  readonly world: World;
  readonly steps: number;
  /** Reached a settled world (see `settled`) before the step limit. */
  readonly quiescent: boolean;
  readonly errors: readonly string[];
  /** node -> slot -> every value it output for that slot. */
  readonly outputs: ReadonlyMap<NodeId, ReadonlyMap<number, readonly Value[]>>;
  /** Acceptors whose promise went down between two views. */
  readonly promiseDrops: readonly string[];
  readonly covers: ReadonlySet<string>;
  /** slot -> values an acceptor quorum voted for at one ballot (from the views, over the whole run). */
  readonly chosen: ReadonlyMap<number, ReadonlySet<Value>>;
  /** Protocol invariants reported broken (acceptor views, System.invariants) and premature decisions. */
  readonly broken: readonly string[];
}

function viewOf(sys: System, w: World, n: NodeId): NodeView | null {
  const a = w.agents[n];
  if (!a?.up || a.state === null) return null;
  return sys.agents[n]?.view(a.state) ?? null;
}

/**
 * Nothing left to do but the learners' anti-entropy polls: no packet, write, submission or
 * proposer retry pending, every node up, and every replica holding every command in equal logs.
 */
function settled(sys: System, w: World): boolean {
  if (w.net.length > 0 || w.writes.length > 0 || w.pending.length > 0) return false;
  if (w.timers.some((t) => t.name !== 'catchup') || w.agents.some((a) => !a.up)) return false;
  const views = sys.replicas.map((n) => viewOf(sys, w, n));
  const first = JSON.stringify(views[0]?.decided ?? null);
  return views.every((v) => {
    const decided = Object.values(v?.decided ?? {});
    return sys.workload.every((c) => decided.includes(c.value)) && JSON.stringify(v?.decided) === first;
  });
}

/** Only the learners' anti-entropy polls are left: enough to stop a safety-only run. */
function quiet(_sys: System, w: World): boolean {
  return w.net.length === 0 && w.writes.length === 0 && w.pending.length === 0 && w.timers.every((t) => t.name === 'catchup');
}

interface RunOptions {
  readonly budget?: FaultBudget;
  readonly maxSteps?: number;
  /** Stop at the first broken invariant or premature decision (mutant searches). */
  readonly stopOnBroken?: boolean;
  readonly done?: (sys: System, w: World) => boolean;
}

function run(sys: System, pick: Picker, opts: RunOptions = {}): RunResult {
  const { budget = {}, maxSteps = 20_000, stopOnBroken = false, done = settled } = opts;
  const init = initWorld(sys);
  let world = init.world;
  const errors: string[] = init.fx.flatMap((f) => (f.error ? [f.error.message] : []));
  const outputs = new Map<NodeId, Map<number, Value[]>>();
  const promised = new Map<NodeId, number>();
  const promiseDrops: string[] = [];
  const covers = new Set<string>();
  const voters = new Map<string, Set<NodeId>>();
  const chosen = new Map<number, Set<Value>>();
  const broken: string[] = [];
  const early: string[] = [];
  const quorum = Math.floor(sys.acceptors.length / 2) + 1;
  let steps = 0;
  let quiescent = false;
  for (; steps < maxSteps; steps++) {
    if (done(sys, world)) {
      quiescent = true;
      break;
    }
    const events = enabled(sys, world, { budget });
    const r = step(sys, world, pick(events, world));
    world = r.world;
    if (r.fx.error) errors.push(r.fx.error.message);
    for (const c of r.fx.covers) covers.add(c);
    for (const a of sys.acceptors) {
      const v = viewOf(sys, world, a);
      if (v?.promised === undefined) continue;
      const before = promised.get(a) ?? -Infinity;
      if (v.promised < before) promiseDrops.push(`n${a}: ${before} -> ${v.promised} at step ${steps}`);
      promised.set(a, Math.max(before, v.promised));
      for (const [slot, b, value] of v.votes ?? []) {
        const key = `${slot}|${b}|${value}`;
        const set = voters.get(key) ?? new Set<NodeId>();
        set.add(a);
        voters.set(key, set);
        if (set.size >= quorum) chosen.set(slot, new Set([...(chosen.get(slot) ?? []), value]));
      }
      broken.push(...(v.broken ?? []));
    }
    broken.push(...(sys.invariants?.(world) ?? []));
    // A decision must be backed by durable votes when it is made, not merely by the end of the run.
    for (const d of r.fx.decisions) {
      const bySlot = outputs.get(d.node) ?? new Map<number, Value[]>();
      bySlot.set(d.slot, [...(bySlot.get(d.slot) ?? []), d.value]);
      outputs.set(d.node, bySlot);
      if (!chosen.get(d.slot)?.has(d.value)) early.push(`slot ${d.slot}: n${d.node} decided ${d.value} before a quorum voted for it at one ballot`);
    }
    if (stopOnBroken && (broken.length > 0 || early.length > 0)) break;
  }
  return { sys, world, steps, quiescent, errors, outputs, promiseDrops, covers, chosen, broken: [...broken, ...early] };
}

/** Safety: per slot one chosen value, every output equals it, protocol invariants hold. */
function safetyViolations(r: RunResult): string[] {
  const out: string[] = [...r.broken];
  for (const [slot, values] of r.chosen) if (values.size > 1) out.push(`slot ${slot}: chose ${[...values].join(' and ')}`);
  const first = new Map<number, Value>();
  for (const [node, bySlot] of r.outputs) {
    for (const [slot, values] of bySlot) {
      for (const v of values) {
        const f = first.get(slot);
        if (f === undefined) first.set(slot, v);
        else if (f !== v) out.push(`slot ${slot}: n${node} decided ${v}, another node ${f}`);
        if (!r.chosen.get(slot)?.has(v)) out.push(`slot ${slot}: n${node} decided ${v}, not chosen by a quorum at one ballot`);
      }
    }
  }
  return out;
}

/** Liveness and replica consistency at quiescence. */
function expectAllDecided(r: RunResult): void {
  expect(r.errors).toEqual([]);
  expect(r.quiescent).toBe(true);
  expect(safetyViolations(r)).toEqual([]);
  expect(r.promiseDrops).toEqual([]);
  const views = r.sys.replicas.map((n) => viewOf(r.sys, r.world, n));
  const commands = r.sys.workload.map((s) => s.value);
  const first = views[0];
  expect(first?.decided).toBeDefined();
  for (const v of views) {
    expect(v).not.toBeNull();
    const decided = Object.values(v?.decided ?? {});
    for (const c of commands) expect(decided).toContain(c);
    expect(v?.decided).toEqual(first?.decided);
    expect(v?.replica?.state).toBe(first?.replica?.state);
    expect(v?.replica?.applied).toBe(Object.keys(v?.decided ?? {}).length);
  }
}

const topo = (over: Partial<Topology> = {}): Topology => ({ ...defaultTopology, ...over });

describe('static Paxos family', () => {
  it('lists its nine mutants and rejects unknown ones', () => {
    expect(staticFamily.name).toBe('static');
    expect(staticFamily.mutants.map((m) => m.name)).toEqual([
      'no-adopt',
      'non-unique-ballot',
      'stale-promise',
      'minority-quorum',
      'learner-duplicates',
      'reply-before-persist',
      'accept-no-promise',
      'ballot-reuse-after-restart',
      'decide-by-value',
    ]);
    for (const m of staticFamily.mutants) {
      expect(m.protocol).toBe('static');
      expect(m.description.length).toBeGreaterThan(10);
      expect(() => staticFamily.build({ topology: defaultTopology, mutant: m.name })).not.toThrow();
    }
    expect(() => staticFamily.build({ topology: defaultTopology, mutant: 'nope' })).toThrow(/unknown mutant/);
  });

  it('lays out proposers, acceptors, learners; collapsed nodes play every role', () => {
    const sep = staticFamily.build({ topology: topo({ proposers: 2, acceptors: 3, learners: 2, commands: 4 }) });
    expect(sep.agents.map((a) => a.role)).toEqual(['proposer', 'proposer', 'acceptor', 'acceptor', 'acceptor', 'learner', 'learner']);
    expect(sep.acceptors).toEqual([2, 3, 4]);
    expect(sep.replicas).toEqual([5, 6]);
    expect(sep.slots).toBe(4);
    expect(sep.servers).toEqual([]);
    expect(sep.workload.map((s) => s.node)).toEqual([0, 1, 0, 1]);
    const col = staticFamily.build({ topology: topo({ collapsed: true, proposers: 2, acceptors: 3 }) });
    expect(col.agents).toHaveLength(3);
    expect(col.acceptors).toEqual([0, 1, 2]);
    expect(col.replicas).toEqual([0, 1, 2]);
    expect(col.workload.every((s) => s.node === 0 || s.node === 1)).toBe(true);
  });

  it('decides every command with a timers-last schedule', () => {
    const sys = staticFamily.build({ topology: topo() });
    const r = run(sys, timersLast);
    expectAllDecided(r);
    expect(r.covers).toContain('acceptor.prepare.promised');
    expect(r.covers).toContain('learner.decide.chosen');
  });

  it('decides every command, collapsed, with a timers-last schedule', () => {
    const sys = staticFamily.build({ topology: topo({ collapsed: true, commands: 4 }) });
    expectAllDecided(run(sys, timersLast));
  });

  it('agrees under seeded random schedules (separate and collapsed)', () => {
    const covers = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const collapsed = seed % 2 === 0;
      const sys = staticFamily.build({ topology: topo({ collapsed, commands: 3 + (seed % 3) }) });
      const r = run(sys, seeded(seed));
      expectAllDecided(r);
      for (const c of r.covers) covers.add(c);
    }
    for (const label of [
      'acceptor.prepare.rejected',
      'proposer.phase1.preempted',
      'proposer.phase2.adopted',
      'acceptor.accept.voted',
      'learner.apply.next',
    ]) {
      expect(covers).toContain(label);
    }
  });

  it('agrees when an acceptor crashes and restarts (budget crashes:1)', () => {
    let crashed = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const sys = staticFamily.build({ topology: topo({ collapsed: seed % 4 === 0 }) });
      const r = run(sys, seeded(seed, sys.acceptors.filter((n) => !sys.agents[n]?.role.includes('proposer'))), { budget: { crashes: 1 } });
      expectAllDecided(r);
      if (r.world.used.crashes > 0) crashed++;
    }
    expect(crashed).toBeGreaterThan(10);
  });

  it('a learner that lost every 2b catches up by polling (a partition around learners)', () => {
    for (const collapsed of [false, true]) {
      const sys = staticFamily.build({ topology: topo({ collapsed, commands: 4 }) });
      // The last replica is never a proposer, even collapsed: its own commands need no quorum.
      const starved = sys.replicas.at(-1) as NodeId;
      const other = sys.replicas[0] as NodeId;
      const hasAll = (w: World, n: NodeId): boolean => {
        const decided = Object.values(viewOf(sys, w, n)?.decided ?? {});
        return sys.workload.every((c) => decided.includes(c.value));
      };
      // Cut `starved` off until `other` has decided everything; by then nobody has work left.
      const pick: Picker = (events, w) => {
        if (!hasAll(w, other)) {
          const drop = events.find((e) => e.k === 'drop' && w.net.some((p) => p.seq === e.seq && p.to === starved && p.from !== starved));
          if (drop) return drop;
        }
        return timersLast(events, w);
      };
      const r = run(sys, pick, { budget: { drops: 10_000 } });
      expect(r.world.used.drops).toBeGreaterThan(0);
      expectAllDecided(r);
      expect(r.covers).toContain('learner.catchup.poll');
    }
  });

  it('stays safe when any node may crash, drop or duplicate messages', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const sys = staticFamily.build({ topology: topo({ collapsed: seed % 3 === 0 }) });
      const all = sys.agents.map((_, i) => i);
      const r = run(sys, seeded(seed, all), { budget: { crashes: 2, drops: 3, dups: 3 }, done: quiet, maxSteps: 3_000 });
      expect(r.errors).toEqual([]);
      expect(safetyViolations(r)).toEqual([]);
      expect(r.promiseDrops).toEqual([]);
    }
  });
});

/**
 * Each mutant is a live bug at the protocol level: the same seeded untimed driver finds a safety
 * violation within a few seeds (the harness's timed scenarios are checked elsewhere). The fault
 * budget and crash targets are what the bug needs to show.
 */
describe('static Paxos mutants break safety under the seeded driver', () => {
  const proposersOf = (sys: System): NodeId[] => sys.agents.flatMap((a, i) => (a.role === 'proposer' ? [i] : []));
  const cases: readonly {
    readonly mutant: string;
    readonly budget: FaultBudget;
    readonly seeds: number;
    readonly crashable?: (sys: System) => NodeId[];
    readonly commands?: number;
  }[] = [
    { mutant: 'no-adopt', budget: { crashes: 1 }, seeds: 100, crashable: (sys) => sys.agents.map((_, i) => i) },
    { mutant: 'non-unique-ballot', budget: {}, seeds: 50 },
    { mutant: 'stale-promise', budget: {}, seeds: 200 },
    { mutant: 'minority-quorum', budget: {}, seeds: 20 },
    { mutant: 'learner-duplicates', budget: {}, seeds: 100 },
    { mutant: 'reply-before-persist', budget: {}, seeds: 20 },
    { mutant: 'accept-no-promise', budget: {}, seeds: 100 },
    // Needs a proposer to crash mid-phase-2 of its first ballot and come back while its old 2a
    // messages are still in flight, so the reused ballot gets a second value for some slot.
    { mutant: 'ballot-reuse-after-restart', budget: { crashes: 2 }, seeds: 2000, crashable: proposersOf, commands: 4 },
    { mutant: 'decide-by-value', budget: {}, seeds: 200 },
  ];
  for (const c of cases) {
    it(`${c.mutant} is caught`, () => {
      const sys = staticFamily.build({ topology: topo({ commands: c.commands ?? 3 }), mutant: c.mutant });
      const crashable = c.crashable?.(sys) ?? [];
      // Fast restarts: the bug that needs a crash also needs the node back while its messages fly.
      const restartWeight = c.mutant === 'ballot-reuse-after-restart' ? 10 : 1;
      let caught: number | null = null;
      for (let seed = 1; seed <= c.seeds && caught === null; seed++) {
        const picker = seeded(seed, crashable, restartWeight, crashable.length > 0 ? 0.2 : 0.02);
        const r = run(sys, picker, { budget: c.budget, maxSteps: 2_000, stopOnBroken: true, done: quiet });
        expect(r.errors).toEqual([]);
        if (safetyViolations(r).length > 0) caught = seed;
      }
      expect(caught, `${c.mutant} survived ${c.seeds} seeds`).not.toBeNull();
    });
  }
});
