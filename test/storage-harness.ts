import type { Event, FaultBudget } from '../src/kernel/events.js';
import { describeEvent } from '../src/kernel/events.js';
import { RngStreams } from '../src/kernel/rng.js';
import type { NodeId, NodeView, System } from '../src/kernel/types.js';
import { enabled } from '../src/kernel/world.js';
import type { World } from '../src/kernel/world.js';
import { advance, start } from '../src/step/checked.js';
import type { Violation } from '../src/properties/index.js';

// Untimed random walks over a storage-based system (Disk Paxos, passive services), checked by the
// real properties after every step.

export type Picker = (events: readonly Event[], w: World) => Event;

export interface Weights {
  readonly timer?: number;
  readonly crash?: number;
  readonly restart?: number;
  readonly fault?: number;
  readonly drop?: number;
  readonly dup?: number;
  readonly down?: number;
  readonly up?: number;
}

/** A seeded picker: every enabled event may come next, weighted by kind. */
export function seeded(seed: number, w: Weights = {}): Picker {
  const rng = new RngStreams(seed).get('storage-test');
  const weight = (e: Event): number => {
    switch (e.k) {
      case 'timer':
        return w.timer ?? 0.05;
      case 'crash':
        return w.crash ?? 0.01;
      case 'restart':
        return w.restart ?? 0.1;
      case 'deliver':
        return e.fault ? (w.fault ?? 0.05) : 1;
      case 'drop':
        return w.drop ?? 0.02;
      case 'dup':
        return w.dup ?? 0.02;
      case 'down':
        return w.down ?? 0.01;
      case 'up':
        return w.up ?? 0.05;
      default:
        return 1;
    }
  };
  return (events) => {
    const total = events.reduce((acc, e) => acc + weight(e), 0);
    let x = rng.next() * total;
    for (const e of events) {
      x -= weight(e);
      if (x < 0 && weight(e) > 0) return e;
    }
    return events.filter((e) => weight(e) > 0).at(-1) ?? (events[0] as Event);
  };
}

/** Deliveries, writes and submissions in the kernel's order; timers only when nothing else is left. */
export const timersLast: Picker = (events) => events.find((e) => e.k !== 'timer') ?? (events[0] as Event);

export interface WalkResult {
  readonly world: World;
  readonly steps: number;
  readonly quiescent: boolean;
  readonly violation: Violation | null;
  readonly covers: ReadonlySet<string>;
  readonly trace: readonly string[];
  /** Agent-to-agent messages sent during the walk (storage-based agents send none). */
  readonly messages: number;
}

export function walk(sys: System, pick: Picker, budget: FaultBudget = {}, maxSteps = 30_000): WalkResult {
  const init = start(sys);
  let state = init.state;
  let violation = init.violation;
  const covers = new Set<string>();
  const trace: string[] = [];
  let steps = 0;
  let messages = init.fx.reduce((n, f) => n + f.sent.filter((p) => p.body.kind === 'msg').length, 0);
  let quiescent = false;
  for (; steps < maxSteps && violation === null; steps++) {
    const events = enabled(sys, state.world, { budget });
    if (events.length === 0) {
      quiescent = true;
      break;
    }
    const e = pick(events, state.world);
    trace.push(describeEvent(e, sys.workload));
    if (trace.length > 200) trace.shift();
    const r = advance(sys, state, e);
    state = r.state;
    violation = r.violation;
    for (const c of r.fx.covers) covers.add(c);
    messages += r.fx.sent.filter((p) => p.body.kind === 'msg').length;
  }
  return { world: state.world, steps, quiescent, violation, covers, trace, messages };
}

export function agentView(sys: System, w: World, n: NodeId): NodeView | null {
  const a = w.agents[n];
  if (!a?.up || a.state === null) return null;
  return sys.agents[n]?.view(a.state) ?? null;
}

/** Every replica has decided every slot, with equal logs and equal key-value states. */
export function allDecidedAlike(sys: System, w: World): string[] {
  const out: string[] = [];
  const views = sys.replicas.map((n) => [n, agentView(sys, w, n)] as const);
  const first = views[0]?.[1];
  for (const [n, v] of views) {
    if (!v) {
      out.push(`n${n} is down`);
      continue;
    }
    const decided = v.decided ?? {};
    for (let slot = 0; slot < sys.slots; slot++) if (decided[slot] === undefined) out.push(`n${n} has not decided slot ${slot}`);
    if (JSON.stringify(decided) !== JSON.stringify(first?.decided)) out.push(`n${n} decided ${JSON.stringify(decided)}, n${sys.replicas[0]} ${JSON.stringify(first?.decided)}`);
    if (v.replica?.state !== first?.replica?.state) out.push(`n${n} replica {${v.replica?.state}} differs`);
  }
  const commands = sys.workload.map((s) => s.value);
  const values = Object.values(first?.decided ?? {});
  for (const c of commands) if (!values.includes(c)) out.push(`command ${c} was never decided`);
  return out;
}
