// What a sharded or multi-threaded search explores, as plain data: every shard and every worker
// thread rebuilds the same transition system from it, and the merge refuses to combine shards
// of different targets.

import type { FaultBudget } from '../kernel/events.js';
import type { System } from '../kernel/types.js';
import type { Topology } from '../protocols/family.js';
import { buildSystem } from '../protocols/index.js';
import type { ModuleRef } from '../protocols/index.js';
import { specPaxos } from '../protocols/spec-paxos/index.js';
import type { TransitionSystem } from '../kernel/model.js';
import { reduceWorldModel } from './reduce/reductions.js';
import { worldModel } from './world-model.js';
import { summaryLabel } from '../step/summary.js';

export interface SpecTarget {
  readonly kind: 'spec-paxos';
  readonly maxBallot: number;
}

export interface KernelTarget {
  readonly kind: 'kernel';
  readonly protocol: string;
  readonly service: string | null;
  readonly mutant: string | null;
  readonly topology: Topology;
  readonly budget: FaultBudget;
  readonly maxBallots: number;
  /** Timer firings per agent; null: unbounded. */
  readonly maxTimerFires: number | null;
  /** States identified up to the protocol's symmetry (reductions.ts), when it has one. */
  readonly symmetry: boolean;
  /** A user protocol's module: worker threads load it before building the target. */
  readonly module?: ModuleRef | null;
}

export type Target = SpecTarget | KernelTarget;

/** States and actions are opaque to the sharded and parallel searches. */
export type AnySystem = TransitionSystem<unknown, unknown>;

export function buildKernelSystem(t: KernelTarget): System {
  return buildSystem({ protocol: t.protocol, service: t.service ?? undefined, mutant: t.mutant ?? undefined, topology: t.topology });
}

export function buildTarget(t: Target): AnySystem {
  if (t.kind === 'spec-paxos') return specPaxos(t.maxBallot) as unknown as AnySystem;
  const sys = buildKernelSystem(t);
  const base = worldModel(sys, { budget: t.budget, maxBallots: t.maxBallots, maxTimerFires: t.maxTimerFires ?? undefined });
  const ts = t.symmetry ? reduceWorldModel(sys, base, { por: false, symmetry: true, maxBallots: t.maxBallots, maxTimerFires: t.maxTimerFires ?? undefined }).ts : base;
  return ts as unknown as AnySystem;
}

/**
 * A kernel target with partial-order reduction as well, as the single-threaded default search
 * explores it: the system every thread of a sleep-set search (scale/sleep-workers.ts) builds.
 */
export function buildSleepTarget(t: KernelTarget): AnySystem {
  const sys = buildKernelSystem(t);
  const o = { maxBallots: t.maxBallots, maxTimerFires: t.maxTimerFires ?? undefined };
  const base = worldModel(sys, { budget: t.budget, ...o });
  return reduceWorldModel(sys, base, { por: true, symmetry: t.symmetry, ...o }).ts as unknown as AnySystem;
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sorted((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** Equal for equal targets whatever the key order: shards of one search share it. */
export function targetKey(t: Target): string {
  return JSON.stringify(sorted(t));
}

export function targetLabel(t: Target): string {
  return t.kind === 'spec-paxos' ? summaryLabel({ protocol: 'spec-paxos', service: null, mutant: null, maxBallot: t.maxBallot }) : summaryLabel(t);
}

/** A path as action indices (positions in each state's `actions` list) from initial state `initialIndex`. */
export interface IndexPath {
  readonly initialIndex: number;
  readonly choices: readonly number[];
}

/** Replays an index path: the actions taken and their descriptions. */
export function resolvePath<S, A>(ts: TransitionSystem<S, A>, p: IndexPath): { path: A[]; steps: string[] } {
  const first = ts.initial()[p.initialIndex];
  if (first === undefined) throw new Error(`no initial state ${p.initialIndex}`);
  let s: S = first;
  const path: A[] = [];
  const steps: string[] = [];
  const out: A[] = [];
  for (const k of p.choices) {
    out.length = 0;
    ts.actions(s, out);
    const a = out[k];
    const t: S | null = a === undefined ? null : ts.next(s, a);
    if (a === undefined || t === null) throw new Error('counterexample replay failed: actions() is not deterministic');
    path.push(a);
    steps.push(ts.describe(a));
    s = t;
  }
  return { path, steps };
}

/** Shortest first, then the order BFS discovers states in: the counterexample an unsharded BFS reports. */
export function comparePaths(a: IndexPath, b: IndexPath): number {
  if (a.choices.length !== b.choices.length) return a.choices.length - b.choices.length;
  if (a.initialIndex !== b.initialIndex) return a.initialIndex - b.initialIndex;
  for (let i = 0; i < a.choices.length; i++) {
    const d = (a.choices[i] as number) - (b.choices[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}
