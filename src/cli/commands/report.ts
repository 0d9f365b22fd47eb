import { existsSync } from 'node:fs';
import { readThresholds, suggestThresholds } from '../../artifacts/gate.js';
import { mergeAll, readRunSets, runSetKey } from '../../artifacts/runset.js';
import { THRESHOLDS_FILE } from '../../campaign/check-report.js';
import { reportFromDirs } from '../../report/write.js';
import { mergeShardDirs } from '../../report/shard-report.js';
import { summaryText } from '../../report/summary-text.js';
import { summaryLabel } from '../../step/summary.js';
import type { Progress } from '../progress.js';
import { progress } from '../progress.js';
import { INTERRUPTED, interruptFlag, interruptedLine } from '../interrupt.js';
import type { ReportArgs } from '../flags/files.js';

/** Margins for suggested thresholds: what a campaign reaches often, not by luck. */
const SUGGEST = { minLabelHits: 50, minCrashHits: 20, pairsFraction: 0.8 };

/** `paxcheck report`: merge result folders (shards, CI matrix jobs) into one HTML page (paths checked by reportArgs). */
export async function reportCommand(a: ReportArgs): Promise<number> {
  if (a.suggestThresholds) {
    const t = suggestThresholds(a.in.flatMap(readRunSets), SUGGEST);
    const comment = `written by paxcheck report --suggest-thresholds: labels taken >= ${SUGGEST.minLabelHits} times, crash points hit >= ${SUGGEST.minCrashHits} times, ${SUGGEST.pairsFraction * 100}% of the message-order pairs seen`;
    process.stdout.write(JSON.stringify({ $comment: comment, ...t }, null, 2) + '\n');
    return 0;
  }
  const stop = interruptFlag();
  const bar: Progress = progress('report', 'charts', null);
  try {
    const r = await reportFromDirs(a.in, a.out, {
      thresholds: existsSync(THRESHOLDS_FILE) ? readThresholds(THRESHOLDS_FILE) : undefined,
      notes: [`paxcheck report --in ${a.in.join(' ')}`],
      stop,
      onProgress: (done, total, label) => bar.update(done, { total, note: label }),
    });
    bar.stop();
    // bfs shards merge into what the unsharded search reports; run sets split by seed add up.
    const searches = mergeShardDirs(a.in);
    const sets = a.in.flatMap(readRunSets);
    const merged = mergeAll(sets).map((m) => ({ ...m, shards: new Set(sets.filter((s) => runSetKey(s) === runSetKey(m)).map((s) => s.shard?.index ?? -1)).size }));
    if (a.json) {
      const totals = merged.map(({ kind, protocol, service, mutant, strategy, scenario, seed, shards, runs, events, violations, interrupted, firstViolation, liveness, coverage }) => ({
        kind, protocol, service, mutant, strategy, scenario, seed, shards, runs, events, violations, interrupted, firstViolation, liveness: liveness.summary, coverage,
      }));
      process.stdout.write(JSON.stringify({ ...r, interrupted: stop.stopped, merged: totals, explore: searches.map((s) => s.summary) }) + '\n');
    } else {
      const lines = [`wrote ${r.out}: ${r.runSets} run sets, ${r.failures} counterexamples${stop.stopped ? ' (interrupted: partial)' : ''}`];
      for (const m of merged.filter((x) => x.shards > 1)) {
        lines.push(`${summaryLabel(m)} ${m.strategy} ${m.scenario} seed ${m.seed} (${m.shards} shards merged): ${m.runs} runs, ${m.events} events, ${m.violations} violations`);
      }
      for (const { summary: s } of searches) {
        const of = s.missing.length > 0 ? `${s.shards - s.missing.length} of ${s.shards} shards, missing ${s.missing.join(', ')}` : `${s.shards} shards merged`;
        lines.push(...summaryText(s, { how: of }));
      }
      process.stdout.write(lines.join('\n') + '\n');
    }
    if (stop.stopped) {
      process.stderr.write(interruptedLine(`report drawing cut short (${r.runSets} run sets, ${r.failures} counterexamples read)`, [r.out]) + '\n');
      return INTERRUPTED;
    }
    return searches.some((s) => s.summary.violations > 0) ? 1 : 0;
  } finally {
    bar.stop();
    stop.dispose();
  }
}
