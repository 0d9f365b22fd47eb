import type { FaultBudget } from '../kernel/events.js';
import type { Topology } from '../protocols/family.js';
import { defaultTopology } from '../protocols/family.js';
import type { System } from '../kernel/types.js';
import { buildSystem } from '../protocols/index.js';
import type { EngineOptions, SearchSummary } from '../step/summary.js';
import type { ExploreProgress, Strategy } from './bfs.js';
import type { StopReason } from './budget.js';
import { interruptedBy, stopReasonOf } from './budget.js';
import type { ReductionReport } from './reduce/reductions.js';
import { exploreWorldSteps } from './reduce/reductions.js';
import type { Steps } from '../step/drive.js';
import { runSync } from '../step/drive.js';
import { replayChoices } from '../step/replay.js';
import type { WorldWatch } from './world-model.js';
import { kernelChoices, worldModel } from './world-model.js';
import type { Event } from '../kernel/events.js';

export interface SystematicOptions extends EngineOptions {
  readonly strategy: Strategy;
  readonly topology?: Partial<Topology>;
  readonly budget: FaultBudget;
  readonly maxBallots?: number;
  /** Timer firings allowed per agent (world-model.ts `maxTimerFires`); absent: unbounded. */
  readonly maxTimerFires?: number;
  /** Writes complete as soon as issued (world-model.ts `eagerWrites`): a bug-hunting restriction. */
  readonly eagerWrites?: boolean;
  /** A storage operation and its reply are one step (world-model.ts `atomicOps`): a bug-hunting restriction. */
  readonly atomicOps?: boolean;
  /** Timers fire only at nodes with nothing in flight (world-model.ts `quietTimers`): a bug-hunting restriction. */
  readonly quietTimers?: boolean;
  /** Sleep-set partial-order reduction (default off here; the CLI turns it on). */
  readonly por?: boolean;
  /** Symmetry reduction over the protocol's interchangeable nodes (default off here; the CLI turns it on). */
  readonly symmetry?: boolean;
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly onProgress?: (p: ExploreProgress) => void;
  /** Expanded states between two onProgress calls (default 20 000). */
  readonly progressEvery?: number;
  /** Builds a watcher of the explored graph (coverage) once the system is built. */
  readonly watch?: (sys: System) => WorldWatch;
  /** Keep queued and revisitable states encoded rather than as objects (default true). */
  readonly compact?: boolean;
}

export interface SystematicSummary extends SearchSummary<Strategy> {
  readonly stopReason: StopReason | null;
  readonly queued: number;
  readonly bytesPerState: number;
  readonly budget: FaultBudget;
  readonly maxBallots: number | null;
  readonly maxTimerFires: number | null;
  readonly eagerWrites: boolean;
  readonly atomicOps: boolean;
  readonly quietTimers: boolean;
  /** What each reduction did; `symmetry.groups` is the permutation group states are taken up to. */
  readonly por: ReductionReport['por'];
  readonly symmetry: ReductionReport['symmetry'];
}

/** Small topology for exhaustive search: its state space must close within a few seconds. */
export const exploreTopology: Topology = { ...defaultTopology, proposers: 2, acceptors: 3, learners: 1, servers: 3, commands: 2 };

/** BFS/DFS over the untimed kernel world of a protocol, with fault budgets and bounded ballots. */
export function systematic(o: SystematicOptions): SystematicSummary {
  return runSync(systematicSteps(o));
}

/** Replays a search's counterexample as kernel choices and records its failure file. */
function recordViolation(o: SystematicOptions, sys: System, topology: Topology, path: readonly Event[]): NonNullable<SystematicSummary['firstViolation']> {
  // Under the restrictions one search step is several kernel events: expand it for replay.
  const expanded = o.eagerWrites === true || o.atomicOps === true;
  const choices = expanded ? kernelChoices(worldModel(sys, { budget: o.budget, eagerWrites: o.eagerWrites, atomicOps: o.atomicOps }), path) : path;
  const rep = replayChoices(sys, choices, null, '');
  const v = rep.violation;
  if (!v) throw new Error('explore: the counterexample did not reproduce on replay');
  const file = o.record
    ? o.record({
        protocol: o.protocol,
        service: o.service ?? null,
        mutant: o.mutant ?? null,
        strategy: o.strategy,
        scenario: null,
        topology,
        seed: 0,
        run: 0,
        choices: [...choices],
        violation: { ...v, step: rep.violationStep ?? choices.length },
        trace: rep.trace,
      })
    : null;
  return { property: v.property, message: v.message, slot: v.slot ?? null, file, depth: choices.length };
}

/** systematic() as steps, for a driver that lets Ctrl-C in (step/drive.ts). */
export function* systematicSteps(o: SystematicOptions): Steps<SystematicSummary> {
  const topology: Topology = { ...exploreTopology, ...o.topology };
  const sys = buildSystem({ protocol: o.protocol, service: o.service, mutant: o.mutant, topology });
  const model = worldModel(sys, { budget: o.budget, maxBallots: o.maxBallots, maxTimerFires: o.maxTimerFires, eagerWrites: o.eagerWrites, atomicOps: o.atomicOps, quietTimers: o.quietTimers, watch: o.watch?.(sys) });
  const r = yield* exploreWorldSteps(sys, model, {
    strategy: o.strategy,
    maxDepth: o.maxDepth,
    maxStates: o.maxStates,
    onProgress: o.onProgress,
    progressEvery: o.progressEvery ?? 20_000,
    stop: o.stop,
    por: o.por === true,
    symmetry: o.symmetry === true,
    maxBallots: o.maxBallots,
    maxTimerFires: o.maxTimerFires,
    atomicOps: o.atomicOps,
    quietTimers: o.quietTimers,
    compact: o.compact,
  });
  const firstViolation = r.violation ? recordViolation(o, sys, topology, r.violation.path) : null;
  const wallMs = Math.round(r.wallMs);
  return {
    protocol: o.protocol,
    service: o.service ?? null,
    mutant: o.mutant ?? null,
    strategy: o.strategy,
    seed: 0,
    runs: 1,
    events: r.generated,
    violations: r.violation ? 1 : 0,
    firstViolation,
    wallMs,
    eventsPerSec: wallMs > 0 ? Math.round((r.generated * 1000) / wallMs) : r.generated,
    distinctStates: r.distinctStates,
    statesPerSec: r.statesPerSec,
    generated: r.generated,
    depth: r.depth,
    complete: r.complete,
    interrupted: interruptedBy(r.stoppedBy, o.stop),
    stopReason: r.violation ? null : stopReasonOf(r.stoppedBy, o.stop),
    queued: r.queued,
    bytesPerState: r.bytesPerState,
    budget: o.budget,
    maxBallots: o.maxBallots ?? null,
    maxTimerFires: o.maxTimerFires ?? null,
    eagerWrites: o.eagerWrites === true,
    atomicOps: o.atomicOps === true,
    quietTimers: o.quietTimers === true,
    por: r.reductions.por,
    symmetry: r.reductions.symmetry,
  };
}

