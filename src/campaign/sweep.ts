// Liveness experiments behind the report's contention and FLP sections: the contention scenario
// swept over the number of proposers and the back-off setting, and the FLP adversary against
// deterministic and randomized back-off. Each configuration becomes one run set.

import type { FlpCellId } from '../sim/adversary.js';
import { delayBound, flpExperimentSteps } from '../sim/adversary.js';
import type { Target } from '../protocols/index.js';
import { simulateSteps, topologyOf } from '../sim/simulate.js';
import type { Steps } from '../step/drive.js';
import { runSync } from '../step/drive.js';
import type { Topology } from '../protocols/family.js';
import type { Scenario } from '../scenario/schema.js';
import type { RunSet } from '../artifacts/runset.js';
import { RunSetRecorder } from '../artifacts/runset.js';

export interface SweepOptions {
  readonly targets: readonly Target[];
  /** The contention scenario; its topology gives everything but proposers and back-off. */
  readonly scenario: Scenario;
  readonly seed: number;
  readonly proposers: readonly number[];
  /** Runs per (target, proposers, back-off); 0 skips the sweep. */
  readonly runs: number;
  /** Adversary runs per (target, delay bound, back-off); 0 skips the FLP experiment. */
  readonly flpRuns: number;
  /** The adversary's delay bounds, as multiples of the FLP network's delay bound (default 1…5). */
  readonly flpBoundFactors?: readonly number[];
  /** Virtual-time horizon of an adversary run (livelocked runs last until it; default 1000). */
  readonly flpHorizon?: number;
  readonly stop?: { readonly stopped: boolean };
  readonly onJob?: (label: string, index: number, total: number) => void;
}

const backoffs: readonly Topology['backoff'][] = ['randomized', 'deterministic'];

/**
 * The FLP setting: the contention scenario without any fault, only the schedule to blame, over a
 * network with a plain bounded delay (1 to 12) that the adversary's bounds are multiples of.
 */
export function flpScenario(sc: Scenario, horizon = 1000): Scenario {
  const free = faultFree(sc);
  return { ...free, name: `${sc.name}-flp`, horizon, network: { ...free.network, delay: { dist: 'uniform', min: 1, max: 12 } } };
}

export function faultFree(sc: Scenario): Scenario {
  return {
    ...sc,
    name: `${sc.name}-fault-free`,
    network: { ...sc.network, drop: 0, duplicate: 0 },
    storage: { ...sc.storage, faults: 0 },
    crashes: { ...sc.crashes, count: 0 },
    partitions: { ...sc.partitions, count: 0 },
    servers: { ...sc.servers, outages: 0, slow: 0 },
  };
}

export function livenessSweep(o: SweepOptions): { runSets: RunSet[]; interrupted: boolean } {
  return runSync(livenessSweepSteps(o));
}

/** livenessSweep() as steps (one per run), for a driver that lets Ctrl-C in. */
export function* livenessSweepSteps(o: SweepOptions): Steps<{ runSets: RunSet[]; interrupted: boolean }> {
  const out: RunSet[] = [];
  const jobs = o.targets.length * ((o.runs > 0 ? o.proposers.length * backoffs.length : 0) + (o.flpRuns > 0 ? 1 : 0));
  const job = { i: 0, jobs };
  for (const t of o.targets) {
    if (o.runs > 0) {
      for (const proposers of o.proposers) {
        for (const backoff of backoffs) {
          if (o.stop?.stopped) return { runSets: out, interrupted: true };
          const r = yield* contentionCell(o, t, proposers, backoff, job);
          if (r) out.push(r);
        }
      }
    }
    if (o.flpRuns > 0) {
      if (o.stop?.stopped) return { runSets: out, interrupted: true };
      out.push(...(yield* flpCells(o, t, job)));
    }
  }
  return { runSets: out, interrupted: o.stop?.stopped === true };
}

/** One (target, proposers, back-off) configuration of the contention sweep, as a run set. */
function* contentionCell(o: SweepOptions, t: Target, proposers: number, backoff: Topology['backoff'], job: { i: number; jobs: number }): Steps<RunSet | null> {
  const sc: Scenario = { ...o.scenario, name: `${o.scenario.name}-p${proposers}-${backoff}`, topology: { ...o.scenario.topology, proposers, backoff } };
  o.onJob?.(`contention ${t.protocol}${t.service ? `/${t.service}` : ''} p=${proposers} ${backoff}`, job.i++, job.jobs);
  let rec: RunSetRecorder | null = null;
  const s = yield* simulateSteps({
    ...t,
    scenario: sc,
    seed: o.seed,
    runs: o.runs,
    keepGoing: true,
    stop: o.stop,
    observer: (sys) => (rec = new RunSetRecorder(sys)),
  });
  const r = rec as RunSetRecorder | null;
  if (!r) return null;
  return r.toRunSet({ kind: 'contention', ...t, strategy: 'random', scenario: sc.name, seed: o.seed, topology: topologyOf(sc), interrupted: s.interrupted, wallMs: s.wallMs, firstViolation: s.firstViolation });
}

/** The FLP adversary against one target: one run set per (delay bound, back-off). */
function* flpCells(o: SweepOptions, t: Target, job: { i: number; jobs: number }): Steps<RunSet[]> {
  o.onJob?.(`FLP adversary ${t.protocol}${t.service ? `/${t.service}` : ''}`, job.i++, job.jobs);
  const sc = flpScenario(o.scenario, o.flpHorizon);
  const base = delayBound(sc.network.delay);
  const bounds = (o.flpBoundFactors ?? [1, 2, 3, 4, 5]).map((f) => f * base);
  const recs = new Map<string, RunSetRecorder>();
  const key = (c: FlpCellId): string => `${c.bound}|${c.backoff}`;
  const t0 = performance.now();
  const res = yield* flpExperimentSteps({
    ...t,
    scenario: sc,
    seed: o.seed,
    runs: o.flpRuns,
    bounds,
    stop: o.stop,
    observer: (cell, sys) => {
      // Adversary runs are about rounds, not state coverage; skip the state fingerprints.
      const rec = new RunSetRecorder(sys, { states: false });
      recs.set(key(cell), rec);
      return rec;
    },
    onRun: (cell, _done, r) => recs.get(key(cell))?.addRounds(r.roundsUndecided),
  });
  const wallMs = Math.round((performance.now() - t0) / Math.max(1, res.cells.length));
  const out: RunSet[] = [];
  for (const cell of res.cells) {
    const rec = recs.get(key(cell));
    if (!rec) continue;
    out.push(
      rec.toRunSet({
        kind: 'flp',
        ...t,
        strategy: 'adversary',
        scenario: `${sc.name}-bound${cell.bound}-${cell.backoff}`,
        seed: o.seed,
        topology: topologyOf({ ...sc, topology: { ...sc.topology, backoff: cell.backoff } }),
        interrupted: res.interrupted,
        wallMs,
        adversary: { bound: cell.bound, deferrals: cell.summary.deferrals },
      }),
    );
  }
  return out;
}
