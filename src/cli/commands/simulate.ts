import type { SimulateSummary } from '../../sim/simulate.js';
import { shardRuns, simulateSteps, topologyOf } from '../../sim/simulate.js';
import { RunSetRecorder, writeRunSet } from '../../artifacts/runset.js';
import { loadScenario } from '../../scenario/load.js';
import { runAsync } from '../../step/drive.js';
import { progress } from '../progress.js';
import { INTERRUPTED, interruptFlag, interruptedLine } from '../interrupt.js';
import { differentialCommand } from './differential.js';
import type { SimulateArgs } from '../flags/simulate.js';
import { cliFailureSink } from '../args.js';
import { summaryText } from '../../report/summary-text.js';

export function printSummary(s: SimulateSummary): void {
  process.stdout.write(summaryText(s).join('\n') + '\n');
}

export async function simulateCommand(a: SimulateArgs): Promise<number> {
  if (a.protocol === 'all') return differentialCommand(a);
  const scenario = loadScenario(a.scenario);
  const runs = a.runs ?? scenario.runs;
  const total = shardRuns(runs, a.shard);
  const stop = interruptFlag();
  const bar = progress(`simulate ${a.protocol}${a.service ? `/${a.service}` : ''}${a.shard ? ` shard ${a.shard.index}/${a.shard.count}` : ''}`, 'runs', total);
  let recorder: RunSetRecorder | null = null;
  try {
    const summary = await runAsync(
      simulateSteps({
        protocol: a.protocol,
        service: a.service,
        mutant: a.mutant,
        scenario,
        seed: a.seed,
        runs,
        shard: a.shard,
        record: cliFailureSink(a.out),
        stop,
        onRun: (done) => bar.update(done),
        observer: (sys) => (recorder = new RunSetRecorder(sys)),
      }),
    );
    bar.stop();
    // The run set is what `report --in` merges: shards of one simulation add up to the whole.
    const rec = recorder as RunSetRecorder | null;
    const runSet = rec
      ? writeRunSet(
          a.out,
          rec.toRunSet({
            kind: 'simulate',
            protocol: summary.protocol,
            service: summary.service,
            mutant: summary.mutant,
            strategy: summary.strategy,
            scenario: summary.scenario,
            seed: summary.seed,
            shard: a.shard ?? null,
            topology: topologyOf(scenario),
            interrupted: summary.interrupted,
            wallMs: summary.wallMs,
            firstViolation: summary.firstViolation,
          }),
        )
      : null;
    if (a.json) process.stdout.write(JSON.stringify({ ...summary, runSet }) + '\n');
    else printSummary(summary);
    if (summary.interrupted) {
      process.stderr.write(interruptedLine(`${summary.runs} of ${total} runs done`, [runSet, summary.firstViolation?.file]) + '\n');
      return INTERRUPTED;
    }
    return summary.violations > 0 ? 1 : 0;
  } finally {
    bar.stop();
    stop.dispose();
  }
}
