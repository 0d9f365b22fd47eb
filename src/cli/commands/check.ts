import { join } from 'node:path';
import type { CampaignResult } from '../../campaign/campaign.js';
import { campaignSteps } from '../../campaign/campaign.js';
import { writeAtomic } from '../../artifacts/atomic.js';
import { CheckRecorder, writeCheckReport } from '../../campaign/check-report.js';
import { builtInScenarioNames, loadScenario } from '../../scenario/load.js';
import { runAsync } from '../../step/drive.js';
import type { Progress } from '../progress.js';
import { progress } from '../progress.js';
import { INTERRUPTED, interruptFlag, interruptedLine } from '../interrupt.js';
import { table } from '../table.js';
import type { CheckArgs } from '../flags/check.js';
import { readThresholds } from '../../artifacts/gate.js';

const pct = (a: number, b: number): string => (b === 0 ? '-' : `${Math.round((100 * a) / b)}%`);

export async function checkCommand(a: CheckArgs): Promise<number> {
  const scenarios = builtInScenarioNames().map(loadScenario);
  // A thresholds file that cannot be read is bad input now, not after the whole campaign.
  if (a.thresholds !== undefined) readThresholds(a.thresholds);
  // One flag for both phases: a Ctrl-C during the campaign still gets its partial report drawn.
  const stop = interruptFlag();
  let bar: Progress = progress('check', 'cells', null);
  const started = Date.now();
  const recorder = new CheckRecorder();
  try {
    const result = await runAsync(
      campaignSteps({
        observer: recorder.observer,
        scenarios,
        mutantScenario: loadScenario('default'),
        seed: a.seed,
        runs: a.runs,
        outDir: a.out,
        includeMutants: a.mutants,
        stop,
        onCell: (label, i, total) => bar.update(i, { total, note: label }),
      }),
    );
    bar.stop();
    const wallMs = Date.now() - started;
    const report = { kind: 'campaign', seed: a.seed, wallMs, interrupted: result.interrupted, cells: result.cells, mutants: result.mutants.map((m) => ({ ...m.summary, caught: m.caught })) };
    const file = join(a.out, 'campaign.json');
    writeAtomic(file, JSON.stringify(report, null, 1) + '\n');
    let phase = '';
    const rep = await writeCheckReport({
      result,
      recorder,
      out: a.out,
      seed: a.seed,
      wallMs,
      // Quick runs (--runs N) get a proportionally small liveness sweep.
      sweep: a.liveness === false ? null : { scenario: loadScenario('contention'), proposers: [1, 2, 3], runs: Math.min(a.runs ?? 40, 40), flpRuns: Math.min(a.runs ?? 6, 6) },
      // The gate holds a full campaign to the checked-in thresholds; a quick --runs N is not gated.
      thresholds: a.thresholds ?? (a.runs === undefined ? undefined : null),
      stop,
      onProgress: (p, done, total, label) => {
        if (p !== phase) {
          bar.stop();
          phase = p;
          bar = progress(p, p === 'report' ? 'charts' : 'jobs', total);
        }
        bar.update(done, { total, note: label });
      },
    });
    bar.stop();
    return finish(a, result, report, file, rep);
  } finally {
    bar.stop();
    stop.dispose();
  }
}

type CheckReportOutcome = Awaited<ReturnType<typeof writeCheckReport>>;

/** Prints the tables (or the JSON object) and says how the job ended. */
function finish(a: CheckArgs, result: CampaignResult, report: { wallMs: number; interrupted: boolean }, file: string, rep: CheckReportOutcome): number {
  const wallMs = report.wallMs;
  const bad = result.cells.filter((c) => c.violations > 0);
  const missed = result.mutants.filter((m) => !m.caught);
  const shortfalls = rep.shortfalls ?? [];
  for (const s of shortfalls) process.stderr.write(`${s.line}\n`);
  if (a.json) {
    process.stdout.write(JSON.stringify({ ...report, file, index: rep.index, coverageShortfalls: shortfalls.map((x) => x.line) }) + '\n');
  } else process.stdout.write(tables(result, wallMs, file, rep, shortfalls.length));
  if (result.interrupted || rep.interrupted) {
    const done = `${result.cells.length} cells and ${result.mutants.length} mutant hunts done${result.interrupted ? '' : ', the report drawing cut short'}`;
    process.stderr.write(interruptedLine(done, [file, rep.index]) + '\n');
    return INTERRUPTED;
  }
  return bad.length > 0 || missed.length > 0 || shortfalls.length > 0 ? 1 : 0;
}

/** The text output: the cell table, the mutant table and one closing line. */
function tables(result: CampaignResult, wallMs: number, file: string, rep: CheckReportOutcome, shortfalls: number): string {
  const bad = result.cells.filter((c) => c.violations > 0);
  const missed = result.mutants.filter((m) => !m.caught);
  const rows = result.cells.map((c) => {
    const l = c.liveness;
    return [
      c.protocol + (c.service ? `/${c.service}` : ''),
      c.scenario,
      String(c.runs),
      String(c.events),
      String(c.violations),
      pct(l.decided, l.runs),
      String(l.quorumUnavailable),
      String(l.commandLost),
      String(l.livelock),
      String(l.latency.p50 ?? '-'),
      String(l.messagesPerDecision ?? '-'),
      String(l.storageOpsPerDecision ?? '-'),
    ];
  });
  const out = [
    table(['protocol', 'scenario', 'runs', 'events', 'violations', 'decided', 'no-quorum', 'lost', 'livelock', 'latency p50', 'msgs/dec', 'ops/dec'], rows),
  ];
  if (result.mutants.length > 0) {
    out.push('');
    out.push(
      table(
        ['mutant', 'caught', 'runs', 'property', 'replay'],
        result.mutants.map((m) => [
          `${m.summary.protocol}${m.summary.service ? `/${m.summary.service}` : ''} ${m.summary.mutant ?? ''}`,
          m.caught ? 'yes' : 'NO',
          String(m.summary.runs),
          m.summary.firstViolation?.property ?? '-',
          m.summary.firstViolation?.file ?? '-',
        ]),
      ),
    );
  }
  out.push('');
  out.push(
    `${result.cells.length} protocol×scenario cells, ${bad.length} with violations; ${result.mutants.length - missed.length}/${result.mutants.length} mutants caught; ${Math.round(wallMs / 1000)} s${result.interrupted ? ' (interrupted: partial report)' : ''}; report ${file}, ${rep.index}${rep.shortfalls === null ? '' : shortfalls > 0 ? `; coverage gate: ${shortfalls} shortfall(s)` : '; coverage gate passed'}`,
  );
  return out.join('\n') + '\n';
}
