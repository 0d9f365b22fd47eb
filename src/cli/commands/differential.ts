import { join } from 'node:path';
import type { DifferentialSummary } from '../../campaign/differential.js';
import { differentialSteps } from '../../campaign/differential.js';
import { writeAtomic } from '../../artifacts/atomic.js';
import { allTargets } from '../../protocols/index.js';
import { loadScenario } from '../../scenario/load.js';
import { shardRuns } from '../../sim/simulate.js';
import { runAsync } from '../../step/drive.js';
import { progress } from '../progress.js';
import { INTERRUPTED, interruptFlag, interruptedLine } from '../interrupt.js';
import { table } from '../table.js';
import type { SimulateArgs } from '../flags/simulate.js';
import { replayCommandFor } from '../args.js';

/** `simulate --protocol all`: one workload and one fault plan per run through every family. */
export async function differentialCommand(a: SimulateArgs): Promise<number> {
  const scenario = loadScenario(a.scenario);
  const runs = a.runs ?? scenario.runs;
  const families = allTargets().length;
  const stop = interruptFlag();
  const bar = progress(`simulate all${a.shard ? ` shard ${a.shard.index}/${a.shard.count}` : ''}`, 'runs', shardRuns(runs, a.shard) * families);
  try {
    const s = await runAsync(differentialSteps({ scenario, seed: a.seed, runs, shard: a.shard, outDir: a.out, stop, onRun: (done) => bar.update(done) }));
    bar.stop();
    const file = join(a.out, 'differential', `${s.scenario}-${s.seed}.json`);
    writeAtomic(file, JSON.stringify(s, null, 2) + '\n');
    if (a.json) process.stdout.write(JSON.stringify(s) + '\n');
    else process.stdout.write(render(s));
    if (s.interrupted) {
      process.stderr.write(interruptedLine(`${s.columns.length} of ${families} families run, ${s.runs} runs lined up`, [file]) + '\n');
      return INTERRUPTED;
    }
    return s.violations > 0 ? 1 : 0;
  } finally {
    bar.stop();
    stop.dispose();
  }
}

const num = (x: number | null): string => (x === null ? '-' : String(x));

export function render(s: DifferentialSummary): string {
  const cols = s.columns;
  const row = (name: string, f: (c: (typeof cols)[number]) => string): string[] => [name, ...cols.map(f)];
  const rows = [
    row('runs decided', (c) => `${c.decidedRuns}/${c.runs}`),
    row('slots decided', (c) => String(c.slotsDecided)),
    row('violations', (c) => String(c.violations)),
    row('messages/decision', (c) => num(c.messagesPerDecision)),
    row('storage ops/decision', (c) => num(c.storageOpsPerDecision)),
    row('rounds/decision', (c) => num(c.roundsPerDecision)),
    row('latency p50/p95', (c) => `${num(c.latency.p50)}/${num(c.latency.p95)}`),
    row('events/s', (c) => String(c.eventsPerSec)),
  ];
  const lines = [
    `differential: scenario=${s.scenario} seed=${s.seed} runs=${s.runs} — one workload and one fault plan per run through every family${s.interrupted ? ' (interrupted)' : ''}`,
    table(['', ...cols.map((c) => c.label)], rows),
    `same decided log in every family: ${s.sameLogRuns}/${s.runs} runs`,
  ];
  const shown = s.perRun.slice(0, 3);
  for (const r of shown) {
    lines.push(`run ${r.run}: faults ${r.faults.length > 0 ? r.faults.join(', ') : 'none'}`);
    for (const c of cols) lines.push(`  ${c.label.padEnd(18)} ${(r.logs[c.label] ?? []).map((v) => v ?? '·').join(' | ')}`);
  }
  if (s.perRun.length > shown.length) lines.push(`(${s.perRun.length - shown.length} more runs in --json and reports/differential/)`);
  const v = s.firstViolation;
  if (v) {
    lines.push(`VIOLATION in ${v.protocol}${v.service ? `/${v.service}` : ''}: ${v.property}: ${v.message} (run ${v.run}, step ${v.depth})`);
    if (v.file) lines.push(`replay: ${replayCommandFor(v.file)}`);
  } else lines.push('no violation');
  return lines.join('\n') + '\n';
}
