import { failuresIn } from '../artifacts/failure-file.js';
import type { Value } from '../kernel/types.js';
import type { Scenario } from '../scenario/schema.js';
import type { Target } from '../protocols/index.js';
import { allTargets, targetName } from '../protocols/index.js';
import type { PlannedFault } from '../sim/fault-plan.js';
import type { FirstViolation, Shard, SimulateSummary } from '../sim/simulate.js';
import { shardRuns, simulateSteps } from '../sim/simulate.js';
import type { StopFlag, Steps } from '../step/drive.js';
import { runSync } from '../step/drive.js';
import type { Quantiles } from '../sim/liveness.js';
import { quantiles } from '../sim/liveness.js';
import type { RunResult } from '../sim/timed.js';

// A differential run: the same scenario, seed and run numbers through every protocol family.
// Run i of every family draws its fault plan and its client submission times from the same
// named streams of seed/i, and the plan picks nodes as fractions of each role (fault-plan.ts),
// so the families face one workload and one fault plan; only what the protocols themselves do
// (their messages, and so the network's draws for them) differs.

export interface DifferentialOptions {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly runs: number;
  readonly shard?: Shard;
  readonly outDir?: string;
  readonly stop?: StopFlag;
  readonly onRun?: (done: number, total: number) => void;
  readonly targets?: readonly Target[];
}

/** One family's column of the side-by-side table. */
export interface DifferentialColumn {
  readonly protocol: string;
  readonly service: string | null;
  readonly label: string;
  readonly runs: number;
  readonly decidedRuns: number;
  readonly slotsDecided: number;
  readonly violations: number;
  readonly firstViolation: FirstViolation | null;
  readonly messagesPerDecision: number | null;
  readonly storageOpsPerDecision: number | null;
  /** Ballots (rounds) started per decided slot. */
  readonly roundsPerDecision: number | null;
  readonly latency: Quantiles;
  readonly events: number;
  readonly eventsPerSec: number;
}

/** One run across the families: the shared plan and each family's decided log. */
export interface DifferentialRun {
  readonly run: number;
  /** The plan as the first family's nodes saw it (the others map the same fractions). */
  readonly faults: readonly string[];
  readonly logs: Readonly<Record<string, readonly (Value | null)[]>>;
  /** Every family decided every slot, and all decided the same value in each slot. */
  readonly sameLog: boolean;
}

export interface DifferentialSummary {
  readonly protocol: 'all';
  readonly service: null;
  readonly mutant: null;
  readonly strategy: 'random';
  readonly scenario: string;
  readonly seed: number;
  readonly runs: number;
  readonly events: number;
  readonly violations: number;
  readonly firstViolation: (FirstViolation & { readonly protocol: string; readonly service: string | null }) | null;
  readonly wallMs: number;
  readonly eventsPerSec: number;
  readonly interrupted: boolean;
  readonly columns: readonly DifferentialColumn[];
  /** Runs in which every family decided the same complete log. */
  readonly sameLogRuns: number;
  readonly perRun: readonly DifferentialRun[];
}


export function differential(o: DifferentialOptions): DifferentialSummary {
  return runSync(differentialSteps(o));
}

/** differential() as steps (one per run of every family), for a driver that lets Ctrl-C in. */
export function* differentialSteps(o: DifferentialOptions): Steps<DifferentialSummary> {
  const targets = o.targets ?? allTargets();
  const t0 = performance.now();
  const results = new Map<string, Map<number, RunResult>>();
  const summaries: { target: Target; s: SimulateSummary }[] = [];
  let done = 0;
  const total = targets.length * shardRuns(o.runs, o.shard);
  for (const target of targets) {
    if (o.stop?.stopped) break;
    const byRun = new Map<number, RunResult>();
    results.set(targetName(target), byRun);
    const s = yield* simulateSteps({
      ...target,
      scenario: o.scenario,
      seed: o.seed,
      runs: o.runs,
      shard: o.shard,
      record: failuresIn(o.outDir),
      stop: o.stop,
      keepGoing: true,
      onRun: (_d, _t, r) => {
        byRun.set(r.run, r);
        o.onRun?.(++done, total);
      },
    });
    summaries.push({ target, s });
  }
  const columns = summaries.map(({ target, s }) => column(target, s, [...(results.get(targetName(target))?.values() ?? [])]));
  const perRun = alignRuns(summaries.map(({ target }) => targetName(target)), results);
  const events = summaries.reduce((n, { s }) => n + s.events, 0);
  const wallMs = Math.round(performance.now() - t0);
  const first = summaries.find(({ s }) => s.firstViolation !== null);
  return {
    protocol: 'all',
    service: null,
    mutant: null,
    strategy: 'random',
    scenario: o.scenario.name,
    seed: o.seed,
    runs: perRun.length,
    events,
    violations: summaries.reduce((n, { s }) => n + s.violations, 0),
    firstViolation:
      first?.s.firstViolation != null ? { ...first.s.firstViolation, protocol: first.target.protocol, service: first.target.service ?? null } : null,
    wallMs,
    eventsPerSec: wallMs > 0 ? Math.round((events * 1000) / wallMs) : events * 1000,
    interrupted: summaries.length < targets.length || summaries.some(({ s }) => s.interrupted),
    columns,
    sameLogRuns: perRun.filter((r) => r.sameLog).length,
    perRun,
  };
}

function column(target: Target, s: SimulateSummary, runs: readonly RunResult[]): DifferentialColumn {
  const slots = runs.reduce((n, r) => n + r.liveness.slotsDecided, 0);
  const ballots = runs.reduce((n, r) => n + r.liveness.ballots, 0);
  return {
    protocol: target.protocol,
    service: target.service ?? null,
    label: targetName(target),
    runs: s.runs,
    decidedRuns: s.liveness.decided,
    slotsDecided: slots,
    violations: s.violations,
    firstViolation: s.firstViolation,
    messagesPerDecision: s.liveness.messagesPerDecision,
    storageOpsPerDecision: s.liveness.storageOpsPerDecision,
    roundsPerDecision: slots > 0 ? Math.round((ballots / slots) * 100) / 100 : null,
    latency: quantiles(runs.flatMap((r) => (r.liveness.latency === null ? [] : [r.liveness.latency]))),
    events: s.events,
    eventsPerSec: s.eventsPerSec,
  };
}

/** Only runs every family completed line up (an interrupt may stop a family early). */
function alignRuns(labels: readonly string[], results: ReadonlyMap<string, ReadonlyMap<number, RunResult>>): DifferentialRun[] {
  const firstLabel = labels[0];
  if (firstLabel === undefined) return [];
  const runNumbers = [...(results.get(firstLabel)?.keys() ?? [])].sort((a, b) => a - b);
  const out: DifferentialRun[] = [];
  for (const run of runNumbers) {
    const rs = labels.map((l) => results.get(l)?.get(run));
    if (rs.some((r) => r === undefined)) continue;
    const complete = rs as RunResult[];
    const logs: Record<string, readonly (Value | null)[]> = {};
    labels.forEach((l, i) => (logs[l] = (complete[i] as RunResult).log));
    const reference = (complete[0] as RunResult).log;
    const sameLog = complete.every((r) => r.log.length === reference.length && r.log.every((v, slot) => v !== null && v === reference[slot]));
    out.push({ run, faults: (complete[0] as RunResult).plan.map(showFault), logs, sameLog });
  }
  return out;
}

export function showFault(f: PlannedFault): string {
  const at = Math.round(f.at);
  switch (f.k) {
    case 'partition':
      return `partition {${f.groups.flatMap((g, n) => (g === 1 ? [`n${n}`] : [])).join(',')}}@${at}`;
    case 'heal':
      return `heal@${at}`;
    default:
      return `${f.k} n${f.node}@${at}`;
  }
}
