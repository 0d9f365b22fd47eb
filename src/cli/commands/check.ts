import { join } from 'node:path';
import { campaign } from '../../campaign/campaign.js';
import { writeAtomic } from '../../artifacts/atomic.js';
import { CheckRecorder, writeCheckReport } from '../../campaign/check-report.js';
import { builtInScenarioNames, loadScenario } from '../../scenario/load.js';
import { interruptFlag, progress } from '../progress.js';
import { table } from '../table.js';

export interface CheckArgs {
  readonly seed: number;
  readonly runs?: number;
  readonly out: string;
  readonly mutants: boolean;
  readonly json: boolean;
  /** Coverage thresholds file; default: coverage-thresholds.json for a full campaign (no --runs). */
  readonly thresholds?: string;
  /** Run the contention sweep and the FLP adversary for the report (default true). */
  readonly liveness?: boolean;
}

const pct = (a: number, b: number): string => (b === 0 ? '-' : `${Math.round((100 * a) / b)}%`);

export async function checkCommand(a: CheckArgs): Promise<number> {
  const scenarios = builtInScenarioNames().map(loadScenario);
  const stop = interruptFlag();
  let bar = progress('check', 1, false);
  const started = Date.now();
  const recorder = new CheckRecorder();
  const result = campaign({
    observer: recorder.observer,
    scenarios,
    mutantScenario: loadScenario('default'),
    seed: a.seed,
    runs: a.runs,
    outDir: a.out,
    includeMutants: a.mutants,
    stop,
    onCell: (label, i, total) => {
      if (i === 0) bar = progress('check', total, !a.json);
      bar.update(i, label);
    },
  });
  bar.stop();
  stop.dispose();
  const wallMs = Date.now() - started;
  const bad = result.cells.filter((c) => c.violations > 0);
  const missed = result.mutants.filter((m) => !m.caught);
  const report = { kind: 'campaign', seed: a.seed, wallMs, interrupted: result.interrupted, cells: result.cells, mutants: result.mutants.map((m) => ({ ...m.summary, caught: m.caught })) };
  const file = join(a.out, 'campaign.json');
  writeAtomic(file, JSON.stringify(report, null, 1) + '\n');
  const stopReport = interruptFlag();
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
    stop: stopReport,
    onProgress: (p, done, total, label) => {
      if (p !== phase) {
        bar.stop();
        phase = p;
        bar = progress(p, total, !a.json);
      }
      bar.update(done, label);
    },
  });
  bar.stop();
  stopReport.dispose();
  const shortfalls = rep.shortfalls ?? [];
  for (const s of shortfalls) process.stderr.write(`${s.line}\n`);
  if (a.json) {
    process.stdout.write(JSON.stringify({ ...report, file, index: rep.index, coverageShortfalls: shortfalls.map((x) => x.line) }) + '\n');
  } else {
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
      `${result.cells.length} protocol×scenario cells, ${bad.length} with violations; ${result.mutants.length - missed.length}/${result.mutants.length} mutants caught; ${Math.round(wallMs / 1000)} s${result.interrupted ? ' (interrupted: partial report)' : ''}; report ${file}, ${rep.index}${rep.shortfalls === null ? '' : shortfalls.length > 0 ? `; coverage gate: ${shortfalls.length} shortfall(s)` : '; coverage gate passed'}`,
    );
    process.stdout.write(out.join('\n') + '\n');
  }
  return bad.length > 0 || missed.length > 0 || shortfalls.length > 0 ? 1 : 0;
}
