// The text lines of `paxcheck explore`: what the search covered, what the reductions did, and
// how it ended.

import type { CoverageData } from '../../coverage/coverage.js';
import type { ReductionReport } from '../../search/reduce/reductions.js';
import type { StopReason } from '../../search/budget.js';

const ENDED_BY: Readonly<Record<StopReason, string>> = {
  memory: 'memory budget reached',
  time: 'time budget reached',
  states: '--max-states reached',
  depth: '--max-depth reached',
};

/** What the reductions did, for the text output. */
export function reductionLine(por: ReductionReport['por'], sym: ReductionReport['symmetry']): string {
  const p = por.enabled ? `sleep sets skipped ${por.skipped} transitions (${(por.ratio * 100).toFixed(1)}%)` : 'no partial-order reduction';
  const g = sym.enabled ? `states up to ${sym.permutations} permutations of ${sym.groups.map((x) => `{${x.map((n) => `n${n}`).join(',')}}`).join(' × ')}` : 'no symmetry reduction';
  return `reductions: ${p}; ${g}`;
}

/** One line of a strategy's coverage, for the text output. */
export function coverageLine(c: CoverageData, runSet: string): string {
  const labels = Object.values(c.labels).reduce((n, ls) => n + Object.keys(ls).length, 0);
  const pairs = c.messageOrders.filter((o) => o.runs > 0).length;
  const faults = Object.entries(c.faults).map(([k, n]) => `${k}×${n}`).join(' ') || 'none';
  return `coverage: ${c.distinctStates} distinct states, ${labels} labels over ${Object.keys(c.labels).length} roles, ${pairs} message-order pairs, ${Object.keys(c.crashPoints).length} crash points; faults ${faults}; run set ${runSet}`;
}

/** How a search ended: complete, cut by a bound, stopped at a violation, or interrupted. */
export function searchEnd(s: { readonly complete: boolean; readonly violations: number; readonly interrupted?: boolean; readonly stopReason?: StopReason | null }): string {
  if (s.complete) return 'complete';
  if (s.interrupted) return 'interrupted (partial)';
  if (s.violations > 0) return 'stopped at the first violation';
  if (s.stopReason) return `incomplete (${ENDED_BY[s.stopReason]})`;
  return 'incomplete (bound reached)';
}

/** "…, 5582 bytes/state": memory per state, rounded (it is an average). */
export function bytesPerState(b: number): string {
  return `${Math.round(b)} bytes/state`;
}
