import { failuresIn } from '../../artifacts/failure-file.js';
import type { SimulateSummary } from '../../sim/simulate.js';
import { simulate, topologyOf } from '../../sim/simulate.js';
import { RunSetRecorder, writeRunSet } from '../../artifacts/runset.js';
import { loadScenario } from '../../scenario/load.js';
import { interruptFlag, progress } from '../progress.js';
import { differentialCommand } from './differential.js';
import type { SimulateArgs } from '../args.js';
import { replayCommandFor, parseShard } from '../args.js';

export type { SimulateArgs } from '../args.js';
export { parseShard, replayCommandFor } from '../args.js';

export function printSummary(s: SimulateSummary): void {
  const l = s.liveness;
  const lines = [
    `${s.protocol}${s.service ? `/${s.service}` : ''}${s.mutant ? ` mutant=${s.mutant}` : ''} scenario=${s.scenario} seed=${s.seed}`,
    `  runs ${s.runs}, events ${s.events} (${s.eventsPerSec} events/s, ${s.wallMs} ms)${s.interrupted ? ' — interrupted' : ''}`,
    `  decided ${l.decided}/${l.runs}; undecided: ${l.quorumUnavailable} quorum-unavailable, ${l.commandLost} command-lost, ${l.livelock} livelock; latency p50 ${l.latency.p50 ?? '-'} p95 ${l.latency.p95 ?? '-'}; ballots/run p50 ${l.ballotsPerRun.p50 ?? '-'}; messages/decision ${l.messagesPerDecision ?? '-'}${l.storageOpsPerDecision ? `; storage ops/decision ${l.storageOpsPerDecision}` : ''}`,
  ];
  const v = s.firstViolation;
  if (v) {
    lines.push(`  VIOLATION ${v.property}: ${v.message} (run ${v.run}, step ${v.depth})`);
    if (v.file) lines.push(`  replay: ${replayCommandFor(v.file)}`);
  } else {
    lines.push('  no violation');
  }
  process.stdout.write(lines.join('\n') + '\n');
}

export function simulateCommand(a: SimulateArgs): number {
  if (a.protocol === 'all') return differentialCommand(a);
  const scenario = loadScenario(a.scenario);
  const runs = a.runs ?? scenario.runs;
  const stop = interruptFlag();
  const bar = progress(`simulate ${a.protocol}`, runs, !a.json);
  let recorder: RunSetRecorder | null = null;
  try {
    const shard = parseShard(a.shard);
    const summary = simulate({
      protocol: a.protocol,
      service: a.service,
      mutant: a.mutant,
      scenario,
      seed: a.seed,
      runs,
      shard,
      record: failuresIn(a.out),
      stop,
      onRun: (done) => bar.update(done),
      observer: (sys) => (recorder = new RunSetRecorder(sys)),
    });
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
            shard: shard ?? null,
            topology: topologyOf(scenario),
            interrupted: summary.interrupted,
            wallMs: summary.wallMs,
            firstViolation: summary.firstViolation,
          }),
        )
      : null;
    if (a.json) process.stdout.write(JSON.stringify({ ...summary, runSet }) + '\n');
    else printSummary(summary);
    return summary.violations > 0 ? 1 : 0;
  } finally {
    bar.stop();
    stop.dispose();
  }
}
