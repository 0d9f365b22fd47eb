// The report half of `paxcheck check`: coverage and liveness recorded during the campaign, the
// contention and FLP experiments, the coverage gate, run-set files and reports/index.html.
// An interrupted campaign still gets a valid (partial) report.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CampaignJob, CampaignResult } from './campaign.js';
import { allTargets } from '../protocols/index.js';
import type { SimulateSummary } from '../sim/simulate.js';
import { topologyOf } from '../sim/simulate.js';
import type { StepObserver } from '../sim/timed.js';
import type { System } from '../kernel/types.js';
import type { Scenario } from '../scenario/schema.js';
import type { Shortfall, Thresholds } from '../artifacts/gate.js';
import { evaluateGate, readThresholds } from '../artifacts/gate.js';
import type { RunSet } from '../artifacts/runset.js';
import { RunSetRecorder, writeRunSet } from '../artifacts/runset.js';
import type { SweepOptions } from './sweep.js';
import { livenessSweepSteps } from './sweep.js';
import { runAsync } from '../step/drive.js';
import { writeReport } from '../report/write.js';

const jobKey = (j: { protocol: string; service?: string | null; mutant?: string | null }, scenario: string): string =>
  [j.protocol, j.service ?? '', j.mutant ?? '', scenario].join('|');

/** One RunSetRecorder per campaign job; pass `observer` to `campaign`. */
export class CheckRecorder {
  private readonly recorders = new Map<string, RunSetRecorder>();
  private readonly scenarios = new Map<string, Scenario>();

  readonly observer = (job: CampaignJob, sys: System): StepObserver => {
    const key = jobKey(job, job.scenario.name);
    const rec = new RunSetRecorder(sys);
    this.recorders.set(key, rec);
    this.scenarios.set(key, job.scenario);
    return rec;
  };

  private runSet(s: SimulateSummary, kind: 'campaign' | 'mutant'): RunSet | null {
    const key = jobKey(s, s.scenario);
    const rec = this.recorders.get(key);
    const sc = this.scenarios.get(key);
    if (!rec || !sc) return null;
    return rec.toRunSet({
      kind,
      protocol: s.protocol,
      service: s.service,
      mutant: s.mutant,
      strategy: s.strategy,
      scenario: s.scenario,
      seed: s.seed,
      topology: topologyOf(sc),
      interrupted: s.interrupted,
      wallMs: s.wallMs,
      firstViolation: s.firstViolation,
    });
  }

  /** Run sets of every finished (or interrupted) cell and mutant hunt. */
  runSets(result: CampaignResult): RunSet[] {
    const cells = result.cells.map((c) => this.runSet(c, 'campaign'));
    const mutants = result.mutants.map((m) => this.runSet(m.summary, 'mutant'));
    return [...cells, ...mutants].filter((r): r is RunSet => r !== null);
  }
}

/** The checked-in thresholds file the gate reads. */
export const THRESHOLDS_FILE = 'coverage-thresholds.json';

export interface CheckReportOptions {
  readonly result: CampaignResult;
  readonly recorder: CheckRecorder;
  readonly out: string;
  readonly seed: number;
  readonly wallMs: number;
  /** Contention sweep and FLP experiment; omitted or null: skipped. */
  readonly sweep?: Omit<SweepOptions, 'targets' | 'seed' | 'stop' | 'onJob'> | null;
  /** Thresholds file; null: no gate. Default: coverage-thresholds.json when it exists. */
  readonly thresholds?: string | null;
  readonly stop?: { readonly stopped: boolean };
  readonly onProgress?: (phase: string, done: number, total: number, label: string) => void;
}

export interface CheckReport {
  readonly index: string;
  readonly runSetFiles: readonly string[];
  /** Null when no gate was applied (no thresholds file, or an interrupted campaign). */
  readonly shortfalls: readonly Shortfall[] | null;
  readonly interrupted: boolean;
}

export async function writeCheckReport(o: CheckReportOptions): Promise<CheckReport> {
  const sets = o.recorder.runSets(o.result);
  let interrupted = o.result.interrupted || o.stop?.stopped === true;
  if (o.sweep && !interrupted) {
    // Driven asynchronously so that Ctrl-C reaches the stop flag during the sweep.
    const sw = await runAsync(
      livenessSweepSteps({
        ...o.sweep,
        targets: allTargets(),
        seed: o.seed,
        stop: o.stop,
        onJob: (label, i, total) => o.onProgress?.('liveness', i, total, label),
      }),
    );
    sets.push(...sw.runSets);
    interrupted ||= sw.interrupted;
  }
  const files = sets.map((r) => writeRunSet(o.out, r));
  const thresholdsPath = o.thresholds === undefined ? (existsSync(THRESHOLDS_FILE) ? THRESHOLDS_FILE : null) : o.thresholds;
  const thresholds: Thresholds | undefined = thresholdsPath ? readThresholds(thresholdsPath) : undefined;
  // A partial campaign cannot be held to full-campaign thresholds.
  const shortfalls = thresholds && !interrupted ? evaluateGate(thresholds, sets) : null;
  const failures = sets.map((r) => r.firstViolation?.file).filter((f): f is string => typeof f === 'string');
  const index = join(o.out, 'index.html');
  await writeReport({
    out: index,
    runSets: sets,
    failures,
    thresholds,
    gate: shortfalls,
    interrupted,
    notes: [`paxcheck check, seed ${o.seed}`, `campaign ${Math.round(o.wallMs / 1000)} s`],
    // A stop that came during the campaign already made the data partial; drawing what there is
    // takes seconds. Only a stop during drawing skips the rest of the drawing.
    stop: interrupted ? undefined : o.stop,
    onProgress: (done, total, label) => o.onProgress?.('report', done, total, label),
  });
  return { index, runSetFiles: files, shortfalls, interrupted };
}
