// The one result of `check`, whatever the strategy, and its formatter.

import type { LadderReport } from '../search/ladder.js';
import { ladderText } from '../search/ladder-text.js';
import type { StopReason } from '../step/summary.js';
import type { CoverageData } from '../coverage/coverage.js';
import type { LivenessSummary } from '../sim/liveness.js';
import type { CheckStrategy } from './options.js';
import { summaryLabel } from '../step/summary.js';

export interface CheckResult {
  /** No violation and every `sometimes` reached. */
  readonly ok: boolean;
  readonly verdict: 'pass' | 'violation' | 'unreached';
  readonly protocol: string;
  readonly service: string | null;
  readonly mutant: string | null;
  readonly strategy: CheckStrategy;
  readonly seed: number;
  readonly runs: number;
  readonly events: number;
  /** bfs/dfs only: the search's counts; `complete` when the bounded space was exhausted. */
  /** bfs/dfs: what the search covered; `stopReason` says which bound or budget ended an incomplete one. */
  readonly search: {
    readonly distinctStates: number;
    readonly generated: number;
    readonly depth: number;
    readonly complete: boolean;
    readonly stopReason: StopReason | null;
    /** Present when no bound was given: every rung tried, and whether all closed (the numbers above are the last rung's). */
    readonly ladder?: LadderReport;
  } | null;
  readonly violation: { readonly property: string; readonly message: string; readonly slot: number | null; readonly step: number; readonly run: number } | null;
  readonly failureFile: string | null;
  /** The command that reproduces the violation from the directory `check` ran in. */
  readonly replayCommand: string | null;
  /** The counterexample as `paxcheck replay` prints it, compact. */
  readonly counterexample: readonly string[];
  /** Steps (or states) that reached each `sometimes`. */
  readonly sometimes: readonly { readonly name: string; readonly reached: number }[];
  readonly unreached: readonly string[];
  readonly coverage: CoverageData;
  readonly liveness: LivenessSummary | null;
  readonly runSet: string | null;
  readonly wallMs: number;
}

export function formatResult(r: CheckResult): string {
  const target = summaryLabel(r);
  const counts = r.search
    ? `${r.search.distinctStates} states, ${r.search.generated} generated, depth ${r.search.depth}${r.search.complete ? ', complete' : r.search.stopReason ? `, incomplete (${r.search.stopReason} budget or bound reached)` : ''}`
    : `${r.runs} runs, ${r.events} events`;
  // A search of the default ladder: how far it went, and whose counts follow (the last rung's).
  const ladder = r.search?.ladder ? [ladderText(r.search.ladder)] : [];
  const lines = [...ladder, `${target} ${r.strategy} seed=${r.seed}: ${counts} (${r.wallMs} ms)`];
  const v = r.violation;
  if (v) {
    lines.push(`VIOLATION ${v.property}: ${v.message} (run ${v.run}, step ${v.step})`, ...r.counterexample);
    if (r.replayCommand) lines.push(`replay: ${r.replayCommand}`);
  } else lines.push('no violation');
  for (const s of r.sometimes) lines.push(`sometimes ${s.name}: ${s.reached > 0 ? `reached ${s.reached} times` : 'NEVER REACHED'}`);
  return lines.join('\n');
}
