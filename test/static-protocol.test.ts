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
function seeded(seed: number, crashable: readonly NodeId[] = []): Picker {
  const rng = new RngStreams(seed).get('test-picker');
  const weight = (e: Event): number => {
    switch (e.k) {
      case 'timer':
        return 0.05;
      case 'crash':
        return crashable.includes(e.node) ? 0.02 : 0;
      case 'restart':
        return 0.1;
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
  readonly quiescent: boolean;
  readonly errors: readonly string[];
  /** node -> slot -> every value it output for that slot. */
  readonly outputs: ReadonlyMap<NodeId, ReadonlyMap<number, readonly Value[]>>;
  /** Acceptors whose promise went down between two views. */
  readonly promiseDrops: readonly string[];
  readonly covers: ReadonlySet<string>;
  /** slot -> values an acceptor quorum voted for at one ballot (from the views, over the whole run). */
  readonly chosen: ReadonlyMap<number, ReadonlySet<Value>>;
}

function viewOf(sys: System, w: World, n: NodeId): NodeView | null {
  const a = w.agents[n];
  if (!a?.up || a.state === null) return null;
  return sys.agents[n]?.view(a.state) ?? null;
}

function run(sys: System, pick: Picker, budget: FaultBudget = {}, maxSteps = 20_000): RunResult {
  const init = initWorld(sys);
  let world = init.world;
  const errors: string[] = init.fx.flatMap((f) => (f.error ? [f.error.message] : []));
  const outputs = new Map<NodeId, Map<number, Value[]>>();
  const promised = new Map<NodeId, number>();
  const promiseDrops: string[] = [];
  const covers = new Set<string>();
  const voters = new Map<string, Set<NodeId>>();
  const chosen = new Map<number, Set<Value>>();
  const quorum = Math.floor(sys.acceptors.length / 2) + 1;
  let steps = 0;
  let quiescent = false;
  for (; steps < maxSteps; steps++) {
    const events = enabled(sys, world, { budget });
    if (events.length === 0) {
      quiescent = true;
      break;
    }
    const r = step(sys, world, pick(events, world));
    world = r.world;
    if (r.fx.error) errors.push(r.fx.error.message);
    for (const c of r.fx.covers) covers.add(c);
    for (const d of r.fx.decisions) {
      const bySlot = outputs.get(d.node) ?? new Map<number, Value[]>();
      bySlot.set(d.slot, [...(bySlot.get(d.slot) ?? []), d.value]);
      outputs.set(d.node, bySlot);
    }
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
    }
  }
  return { sys, world, steps, quiescent, errors, outputs, promiseDrops, covers, chosen };
}

/** Safety: per slot one chosen value and every output equals it. */
function safetyViolations(r: RunResult): string[] {
  const out: string[] = [];
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
      const r = run(sys, seeded(seed, sys.acceptors.filter((n) => !sys.agents[n]?.role.includes('proposer'))), { crashes: 1 });
      expectAllDecided(r);
      if (r.world.used.crashes > 0) crashed++;
    }
    expect(crashed).toBeGreaterThan(10);
  });

  it('stays safe when any node may crash, drop or duplicate messages', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const sys = staticFamily.build({ topology: topo({ collapsed: seed % 3 === 0 }) });
      const all = sys.agents.map((_, i) => i);
      const r = run(sys, seeded(seed, all), { crashes: 2, drops: 3, dups: 3 });
      expect(r.errors).toEqual([]);
      expect(safetyViolations(r)).toEqual([]);
      expect(r.promiseDrops).toEqual([]);
    }
  });
});
