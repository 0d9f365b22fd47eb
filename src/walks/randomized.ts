import type { Event, FaultBudget } from '../kernel/events.js';
import { hex64 } from '../kernel/hash.js';
import { RngStreams } from '../kernel/rng.js';
import type { System } from '../kernel/types.js';
import type { Topology } from '../protocols/family.js';
import { buildSystem } from '../protocols/index.js';
import type { FailureSink } from '../step/counterexample.js';
import type { Scenario } from '../scenario/schema.js';
import { pctPicker } from './pct.js';
import type { FirstViolation, Shard } from '../sim/simulate.js';
import { topologyOf } from '../sim/simulate.js';
import { swarmScenario } from './swarm.js';
import type { StepObserver } from '../sim/timed.js';
import { runTimed } from '../sim/timed.js';
import { observers } from '../coverage/coverage.js';
import { UntimedRun } from './untimed-run.js';
import { walk } from './walk.js';

export type RandomStrategy = 'random' | 'pct' | 'swarm';

export interface RandomizedOptions {
  readonly protocol: string;
  readonly service?: string;
  readonly mutant?: string;
  readonly strategy: RandomStrategy;
  /** swarm: the base scenario; random/pct: its topology. */
  readonly scenario: Scenario;
  readonly topology?: Partial<Topology>;
  readonly budget: FaultBudget;
  readonly seed: number;
  readonly runs: number;
  readonly maxSteps?: number;
  /** PCT bug depth d (d − 1 priority change points). */
  readonly depth?: number;
  readonly shard?: Shard;
  /** Where a counterexample is stored (e.g. artifacts' failureSink(dir)); none: not stored. */
  readonly record?: FailureSink;
  readonly stop?: { stopped: boolean };
  /** Builds a watcher of every step of every run (coverage, liveness) once the system is built. */
  readonly observer?: (sys: System) => StepObserver;
}

export interface RandomizedSummary {
  readonly protocol: string;
  readonly service: string | null;
  readonly mutant: string | null;
  readonly strategy: RandomStrategy;
  readonly seed: number;
  readonly runs: number;
  readonly events: number;
  readonly violations: number;
  readonly firstViolation: FirstViolation | null;
  readonly wallMs: number;
  readonly eventsPerSec: number;
}

/**
 * Randomized strategies beside the timed simulation: `random` (uniform untimed walks within the
 * fault budget), `pct` (priority schedules with d change points) and `swarm` (timed runs each
 * with a random subset of fault kinds). Stops at the first violation.
 */
export function randomized(o: RandomizedOptions): RandomizedSummary {
  const topology: Topology = { ...topologyOf(o.scenario), ...o.topology };
  const sys = buildSystem({ protocol: o.protocol, service: o.service, mutant: o.mutant, topology });
  const maxSteps = o.maxSteps ?? 2000;
  const observer = o.observer?.(sys);
  // Untimed walks report no RunResult of their own; this builds one for the observer.
  const untimed = observer ? new UntimedRun(sys) : null;
  const t0 = performance.now();
  let events = 0;
  let done = 0;
  let first: FirstViolation | null = null;
  for (let run = 0; run < o.runs && !first; run++) {
    if (o.shard && run % o.shard.count !== o.shard.index) continue;
    if (o.stop?.stopped) break;
    const rng = new RngStreams(`${o.seed}:${run}`).get(o.strategy);
    let r;
    let scenario: Scenario | null = null;
    if (o.strategy === 'swarm') {
      scenario = swarmScenario(o.scenario, rng).scenario;
      r = runTimed(sys, scenario, o.seed, run, observer ? { observer } : {});
    } else {
      const pick = o.strategy === 'pct' ? pctPicker(sys, rng, o.depth ?? 3, maxSteps) : (evs: readonly Event[]) => rng.pick(evs);
      const w = walk(sys, o.budget, maxSteps, pick, observer && untimed ? observers(untimed, observer) : undefined);
      if (observer && untimed) observer.onEnd?.(untimed.result(o.seed, run, w.violation, w.final, w.trace));
      r = w;
    }
    done++;
    events += r.choices.length;
    if (r.violation) {
      const v = r.violation;
      const trace = hex64(r.trace);
      const file = o.record
          ? o.record({
            protocol: o.protocol,
            service: o.service ?? null,
            mutant: o.mutant ?? null,
            strategy: o.strategy,
            scenario,
            topology,
            seed: o.seed,
            run,
            choices: [...r.choices],
            violation: { ...v, step: r.choices.length },
            trace,
          })
        : null;
      first = { property: v.property, message: v.message, slot: v.slot ?? null, file, depth: r.choices.length, run, trace };
    }
  }
  const wallMs = Math.round(performance.now() - t0);
  return {
    protocol: o.protocol,
    service: o.service ?? null,
    mutant: o.mutant ?? null,
    strategy: o.strategy,
    seed: o.seed,
    runs: done,
    events,
    violations: first ? 1 : 0,
    firstViolation: first,
    wallMs,
    eventsPerSec: wallMs > 0 ? Math.round((events * 1000) / wallMs) : events * 1000,
  };
}
