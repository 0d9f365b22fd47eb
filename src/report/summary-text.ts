// The text every command prints for a summary: one formatter over every engine's summary, so a
// target, a violation and a replay command read the same whether they came from a simulation,
// a walk, fast-check, a search or a split search.

import type { CoverageData } from '../coverage/coverage.js';
import type { ReductionReport } from '../search/reduce/reductions.js';
import type { SimulateSummary } from '../sim/simulate.js';
import type { StopReason, SearchSummary, Summary, SummaryViolation } from '../step/summary.js';
import { summaryLabel } from '../step/summary.js';
import { replayCommandFor } from './command-line.js';

/** fast-check's extra facts: how long the failing schedule was before and after shrinking. */
export interface ShrinkFacts {
  readonly originalLength: number | null;
  readonly shrunkLength: number | null;
}

export type AnySummary =
  | SimulateSummary
  | (Summary & { readonly coverage?: CoverageData })
  | (Summary<'fast-check'> & ShrinkFacts & { readonly coverage?: CoverageData })
  | (SearchSummary & { readonly coverage?: CoverageData; readonly bytesPerState?: number; readonly peakRssMiB?: number; readonly rssBytesPerState?: number; readonly por?: ReductionReport['por']; readonly symmetry?: ReductionReport['symmetry'] | boolean });

export interface SummaryTextOptions {
  /** The run set the command wrote: named on the coverage line. */
  readonly runSet?: string;
  /** How a split search ran ("2 worker threads", "3 shards merged"). */
  readonly how?: string;
}

const ENDED_BY: Readonly<Record<StopReason, string>> = {
  memory: 'memory budget reached',
  time: 'time budget reached',
  states: '--max-states reached',
  depth: '--max-depth reached',
};

/** How a search ended: complete, cut by a bound, stopped at a violation, or interrupted. */
export function searchEnd(s: Pick<SearchSummary, 'complete' | 'violations' | 'interrupted' | 'stopReason'>): string {
  if (s.complete) return 'complete';
  if (s.interrupted) return 'interrupted (partial)';
  if (s.violations > 0) return 'stopped at the first violation';
  if (s.stopReason) return `incomplete (${ENDED_BY[s.stopReason]})`;
  return 'incomplete (bound reached)';
}

/** What the reductions did. */
export function reductionLine(por: ReductionReport['por'], sym: ReductionReport['symmetry']): string {
  const p = por.enabled ? `sleep sets skipped ${por.skipped} transitions (${(por.ratio * 100).toFixed(1)}%)` : 'no partial-order reduction';
  const g = sym.enabled ? `states up to ${sym.permutations} permutations of ${sym.groups.map((x) => `{${x.map((n) => `n${n}`).join(',')}}`).join(' × ')}` : 'no symmetry reduction';
  return `reductions: ${p}; ${g}`;
}

/** One line of a strategy's coverage. */
export function coverageLine(c: CoverageData, runSet: string): string {
  const labels = Object.values(c.labels).reduce((n, ls) => n + Object.keys(ls).length, 0);
  const pairs = c.messageOrders.filter((o) => o.runs > 0).length;
  const faults = Object.entries(c.faults).map(([k, n]) => `${k}×${n}`).join(' ') || 'none';
  return `coverage: ${c.distinctStates} distinct states, ${labels} labels over ${Object.keys(c.labels).length} roles, ${pairs} message-order pairs, ${Object.keys(c.crashPoints).length} crash points; faults ${faults}; run set ${runSet}`;
}

/** A violation's line and its replay command (or "no violation"); `where` says where in the run. */
export function violationLines(v: SummaryViolation | null, where: string): string[] {
  if (!v) return ['no violation'];
  return [`VIOLATION ${v.property}: ${v.message}${where}`, ...(v.file ? [`replay: ${replayCommandFor(v.file)}`] : [])];
}

function simulationLines(s: SimulateSummary): string[] {
  const l = s.liveness;
  const v = s.firstViolation;
  return [
    `${summaryLabel(s)} scenario=${s.scenario} seed=${s.seed}`,
    `runs ${s.runs}, events ${s.events} (${s.eventsPerSec} events/s, ${s.wallMs} ms)${s.interrupted ? ' — interrupted' : ''}`,
    `decided ${l.decided}/${l.runs}; undecided: ${l.quorumUnavailable} quorum-unavailable, ${l.commandLost} command-lost, ${l.livelock} livelock; latency p50 ${l.latency.p50 ?? '-'} p95 ${l.latency.p95 ?? '-'}; ballots/run p50 ${l.ballotsPerRun.p50 ?? '-'}; messages/decision ${l.messagesPerDecision ?? '-'}${l.storageOpsPerDecision ? `; storage ops/decision ${l.storageOpsPerDecision}` : ''}`,
    ...violationLines(v, v ? ` (run ${v.run}, step ${v.depth})` : ''),
  ].map((line, i) => (i === 0 ? line : `  ${line}`));
}

function searchLines(s: Extract<AnySummary, { distinctStates: number }>, o: SummaryTextOptions): string[] {
  const table = s.bytesPerState === undefined ? '' : `, ${Math.round(s.bytesPerState)} bytes/state in the table`;
  const rss = s.peakRssMiB === undefined ? '' : `; peak RSS ${s.peakRssMiB} MiB (${s.rssBytesPerState ?? 0} bytes/state, all memory)`;
  const bytes = table + rss;
  const head = `${summaryLabel(s)} ${s.strategy}${o.how ? ` (${o.how})` : ''}: ${s.distinctStates} distinct states, ${s.generated} generated, depth ${s.depth}, ${searchEnd(s)}; ${s.statesPerSec} states/s${bytes}`;
  const reductions = s.por && typeof s.symmetry === 'object' ? [reductionLine(s.por, s.symmetry)] : [];
  const v = s.firstViolation;
  return [head, ...coverage(s, o), ...reductions, ...violationLines(v, v ? ` (${v.depth} steps)` : '')];
}

function coverage(s: { readonly coverage?: CoverageData }, o: SummaryTextOptions): string[] {
  return s.coverage && o.runSet !== undefined ? [coverageLine(s.coverage, o.runSet)] : [];
}

/** The lines a command prints for a summary (stdout, or the report command's text). */
export function summaryText(s: AnySummary, o: SummaryTextOptions = {}): string[] {
  if ('liveness' in s) return simulationLines(s);
  if ('distinctStates' in s) return searchLines(s, o);
  const v = s.firstViolation;
  if ('shrunkLength' in s) {
    const shrunk = v ? [`schedule shrunk from ${s.originalLength} to ${s.shrunkLength} steps`] : [];
    const [first, ...replay] = violationLines(v, '');
    return [`${summaryLabel(s)} fast-check: ${s.runs} runs`, ...coverage(s, o), first as string, ...shrunk, ...replay];
  }
  const head = `${summaryLabel(s)} ${s.strategy}: ${s.runs} runs, ${s.events} events (${s.eventsPerSec} events/s)${s.interrupted ? ' — interrupted' : ''}`;
  return [head, ...coverage(s, o), ...violationLines(v, v?.run !== undefined ? ` (run ${v.run}, step ${v.depth})` : '')];
}
