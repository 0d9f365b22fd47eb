import { failuresIn } from '../artifacts/failure-file.js';
import { allTargets, families } from '../protocols/index.js';
import type { Scenario } from '../scenario/schema.js';
import type { System } from '../kernel/types.js';
import type { SimulateSummary } from '../sim/simulate.js';
import { simulateSteps } from '../sim/simulate.js';
import type { StopFlag, Steps } from '../step/drive.js';
import { runSync } from '../step/drive.js';
import type { StepObserver } from '../sim/timed.js';

export interface MutantOutcome {
  readonly summary: SimulateSummary;
  readonly caught: boolean;
}

export interface CampaignResult {
  readonly cells: readonly SimulateSummary[];
  readonly mutants: readonly MutantOutcome[];
  readonly interrupted: boolean;
}

export interface CampaignOptions {
  readonly scenarios: readonly Scenario[];
  /** The scenario each mutant is hunted in. */
  readonly mutantScenario: Scenario;
  readonly seed: number;
  readonly runs?: number;
  readonly outDir?: string;
  readonly includeMutants: boolean;
  readonly stop?: StopFlag;
  readonly onCell?: (label: string, index: number, total: number) => void;
  /** Watches every run of one cell or mutant hunt (coverage, histograms); called once per job. */
  readonly observer?: (job: CampaignJob, sys: System) => StepObserver;
}

export interface CampaignJob {
  readonly protocol: string;
  readonly service?: string;
  readonly mutant?: string;
  readonly scenario: Scenario;
}

/** The main job: every protocol under every scenario, then every mutant, which must be caught. */
export function campaign(o: CampaignOptions): CampaignResult {
  return runSync(campaignSteps(o));
}

/** campaign() as steps (one per run of every cell), for a driver that lets Ctrl-C in. */
export function* campaignSteps(o: CampaignOptions): Steps<CampaignResult> {
  const targets = allTargets();
  const mutantJobs = o.includeMutants
    ? families.flatMap((f) => f.mutants.map((m) => ({ protocol: f.name, service: m.service, mutant: m.name })))
    : [];
  const total = targets.length * o.scenarios.length + mutantJobs.length;
  const cells: SimulateSummary[] = [];
  const mutants: MutantOutcome[] = [];
  let i = 0;
  for (const t of targets) {
    for (const sc of o.scenarios) {
      if (o.stop?.stopped) return { cells, mutants, interrupted: true };
      o.onCell?.(`${t.protocol}${t.service ? `/${t.service}` : ''} × ${sc.name}`, i++, total);
      const watch = o.observer;
      const observer = watch ? (sys: System) => watch({ ...t, scenario: sc }, sys) : undefined;
      cells.push(yield* simulateSteps({ ...t, scenario: sc, seed: o.seed, runs: o.runs ?? sc.runs, record: failuresIn(o.outDir), keepGoing: true, stop: o.stop, observer }));
    }
  }
  for (const m of mutantJobs) {
    if (o.stop?.stopped) return { cells, mutants, interrupted: true };
    o.onCell?.(`mutant ${m.protocol}${m.service ? `/${m.service}` : ''} ${m.mutant}`, i++, total);
    const watch = o.observer;
    const observer = watch ? (sys: System) => watch({ ...m, scenario: o.mutantScenario }, sys) : undefined;
    const summary = yield* simulateSteps({ ...m, scenario: o.mutantScenario, seed: o.seed, runs: o.mutantScenario.runs, record: failuresIn(o.outDir), stop: o.stop, observer });
    mutants.push({ summary, caught: summary.violations > 0 });
  }
  return { cells, mutants, interrupted: o.stop?.stopped === true };
}
