import type { Event, FaultBudget } from '../kernel/events.js';
import { hex64 } from '../kernel/hash.js';
import { RngStreams } from '../kernel/rng.js';
import type { System } from '../kernel/types.js';
import type { Topology } from '../protocols/family.js';
import { buildSystem } from '../protocols/index.js';
import type { Scenario } from '../scenario/schema.js';
import { pctPicker } from './pct.js';
import type { FirstViolation, Shard } from '../sim/simulate.js';
import type { EngineOptions, Summary } from '../step/summary.js';
import { shardRuns, topologyOf } from '../sim/simulate.js';
import type { Steps } from '../step/drive.js';
import { runSync } from '../step/drive.js';
import { swarmScenario } from './swarm.js';
import type { StepObserver } from '../sim/timed.js';
import { runTimed } from '../sim/timed.js';
import { observers } from '../coverage/coverage.js';
import { UntimedRun } from './untimed-run.js';
import { walk } from './walk.js';
import type { WalkResult } from './walk.js';

export type RandomStrategy = 'random' | 'pct' | 'swarm';

export interface RandomizedOptions extends EngineOptions {
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
  /** Called after every run with the runs done and the runs this shard has in all. */
  readonly onRun?: (done: number, total: number) => void;
  /** Builds a watcher of every step of every run (coverage, liveness) once the system is built. */
  readonly observer?: (sys: System) => StepObserver;
}

export type RandomizedSummary = Summary<RandomStrategy, FirstViolation>;

/**
 * Randomized strategies beside the timed simulation: `random` (uniform untimed walks within the
 * fault budget), `pct` (priority schedules with d change points) and `swarm` (timed runs each
 * with a random subset of fault kinds). Stops at the first violation.
 */
export function randomized(o: RandomizedOptions): RandomizedSummary {
  return runSync(randomizedSteps(o));
}

/** randomized() as steps (one per run), for a driver that lets Ctrl-C in (step/drive.ts). */
export function* randomizedSteps(o: RandomizedOptions): Steps<RandomizedSummary> {
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
  let interrupted = false;
  // Run indices are streamed (a shard steps over the others'): no array of every run.
  for (let run = o.shard?.index ?? 0; run < o.runs && !first; run += o.shard?.count ?? 1) {
    if (o.stop?.stopped) {
      interrupted = true;
      break;
    }
    const { r, scenario } = oneRun(sys, o, run, maxSteps, observer, untimed);
    done++;
    events += r.choices.length;
    if (r.violation) first = recordFirst(o, topology, scenario, run, r);
    o.onRun?.(done, shardRuns(o.runs, o.shard));
    yield;
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
    interrupted,
  };
}

/** Run `run` of the strategy: a swarm timed run, or an untimed walk (uniform or PCT). */
function oneRun(sys: System, o: RandomizedOptions, run: number, maxSteps: number, observer: StepObserver | undefined, untimed: UntimedRun | null): { r: RunOutcome; scenario: Scenario | null } {
  const rng = new RngStreams(`${o.seed}:${run}`).get(o.strategy);
  if (o.strategy === 'swarm') {
    const scenario = swarmScenario(o.scenario, rng).scenario;
    return { r: runTimed(sys, scenario, o.seed, run, observer ? { observer } : {}), scenario };
  }
  const pick = o.strategy === 'pct' ? pctPicker(sys, rng, o.depth ?? 3, maxSteps) : (evs: readonly Event[]) => rng.pick(evs);
  const w = walk(sys, o.budget, maxSteps, pick, observer && untimed ? observers(untimed, observer) : undefined);
  if (observer && untimed) observer.onEnd?.(untimed.result(o.seed, run, w.violation, w.final, w.trace));
  return { r: w, scenario: null };
}

/** What both kinds of run leave: the events applied, the violation, the trace fingerprint. */
type RunOutcome = Pick<WalkResult, 'violation' | 'choices' | 'trace'>;

/** The run's violation as the summary's first one, stored through `o.record` when there is a sink. */
function recordFirst(o: RandomizedOptions, topology: Topology, scenario: Scenario | null, run: number, r: RunOutcome): FirstViolation | null {
  const v = r.violation;
  if (!v) return null;
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
  return { property: v.property, message: v.message, slot: v.slot ?? null, file, depth: r.choices.length, run, trace };
}
