import { hex64 } from '../kernel/hash.js';
import type { Topology } from '../protocols/family.js';
import { defaultTopology } from '../protocols/family.js';
import { buildSystem } from '../protocols/index.js';
import type { Scenario } from '../scenario/schema.js';
import type { LivenessSummary } from './liveness.js';
import type { EngineOptions, Summary, SummaryViolation } from '../step/summary.js';
import { LivenessTally } from './liveness.js';
import type { System } from '../kernel/types.js';
import type { RunResult, StepObserver } from './timed.js';
import { runTimed } from './timed.js';
import type { Steps } from '../step/drive.js';
import { runSync } from '../step/drive.js';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface SimulateOptions extends EngineOptions {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly runs: number;
  readonly shard?: Shard;
  /** Stop at the first violation (default) or keep going to count them all. */
  readonly keepGoing?: boolean;
  readonly onRun?: (done: number, total: number, r: RunResult) => void;
  /** Builds a watcher of every step of every run (coverage, histograms) once the system is built. */
  readonly observer?: (sys: System) => StepObserver;
}

export interface FirstViolation extends SummaryViolation {
  readonly run: number;
  readonly trace: string;
}

export interface SimulateSummary extends Summary<'random', FirstViolation> {
  readonly scenario: string;
  readonly liveness: LivenessSummary;
  readonly coverage: Readonly<Record<string, number>>;
  readonly faults: Readonly<Record<string, number>>;
}

export function topologyOf(sc: Scenario): Topology {
  return { ...defaultTopology, ...sc.topology };
}

/** Seeded random simulation: `runs` timed runs of one scenario, run i drawing from seed/i. */
export function simulate(o: SimulateOptions): SimulateSummary {
  return runSync(simulateSteps(o));
}

/** How many of `runs` run indices fall in `shard` (run % count = index). */
export function shardRuns(runs: number, shard: Shard | undefined): number {
  return shard ? Math.max(0, Math.ceil((runs - shard.index) / shard.count)) : runs;
}

/** simulate() as steps: yields after every run, so a driver can let Ctrl-C in (step/drive.ts). */
export function* simulateSteps(o: SimulateOptions): Steps<SimulateSummary> {
  const topology = topologyOf(o.scenario);
  const sys = buildSystem({ protocol: o.protocol, service: o.service, mutant: o.mutant, topology });
  const observer = o.observer?.(sys);
  const t0 = performance.now();
  const tally = new LivenessTally();
  const coverage = new Map<string, number>();
  const faults = new Map<string, number>();
  let events = 0;
  let violations = 0;
  let first: FirstViolation | null = null;
  let done = 0;
  // Run indices are streamed, never listed: --runs 1e9 must not build a billion-entry array.
  const total = shardRuns(o.runs, o.shard);
  const step = o.shard?.count ?? 1;
  let interrupted = false;
  for (let run = o.shard?.index ?? 0; run < o.runs; run += step) {
    if (o.stop?.stopped) {
      interrupted = true;
      break;
    }
    const r = runTimed(sys, o.scenario, o.seed, run, observer ? { observer } : {});
    done++;
    events += r.events;
    tally.add(r);
    for (const [k, n] of r.covers) coverage.set(k, (coverage.get(k) ?? 0) + n);
    for (const [k, n] of r.faults) faults.set(k, (faults.get(k) ?? 0) + n);
    o.onRun?.(done, total, r);
    if (r.violation) {
      violations++;
      first ??= firstViolation(o, topology, run, r);
      if (!o.keepGoing) break;
    }
    yield;
  }
  const wallMs = Math.round(performance.now() - t0);
  return {
    protocol: o.protocol,
    service: o.service ?? null,
    mutant: o.mutant ?? null,
    strategy: 'random',
    scenario: o.scenario.name,
    seed: o.seed,
    runs: done,
    events,
    violations,
    firstViolation: first,
    wallMs,
    eventsPerSec: wallMs > 0 ? Math.round((events * 1000) / wallMs) : events * 1000,
    interrupted,
    liveness: tally.summary(),
    coverage: sortedRecord(coverage),
    faults: sortedRecord(faults),
  };
}

/** The first violation of a simulation, stored through `o.record` when there is a sink. */
function firstViolation(o: SimulateOptions, topology: Topology, run: number, r: RunResult): FirstViolation | null {
  const v = r.violation;
  if (!v) return null;
  const trace = hex64(r.trace);
  const file = o.record
    ? o.record({
        protocol: o.protocol,
        service: o.service ?? null,
        mutant: o.mutant ?? null,
        strategy: 'random',
        scenario: o.scenario,
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

export function sortedRecord(m: ReadonlyMap<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k) ?? 0;
  return out;
}
