// The bound ladder in words: a line per attempt (the CLI prints them as they end) and one line
// for the whole ladder (the CLI's summary and the API's formatResult).

import type { LadderReport, RungReport } from './ladder.js';
import { ladderRungs } from './ladder.js';
import { missedContention } from './contention.js';
import { boundsText } from './bounds.js';

/** One stderr line per ladder attempt: what was searched, how much, and how it ended. */
export function rungLine(r: RungReport): string {
  if (r.verdict === 'skipped') return `ladder rung ${r.rung}/${ladderRungs.length}: ${boundsText(r.bounds)}: skipped (no server to suffer a storage fault)`;
  const cap = r.maxStates === null ? 'no cap' : `≤ ${r.maxStates.toLocaleString('en-US')} states`;
  const missed = r.verdict === 'complete' && r.contention ? missedContention(r.contention) : [];
  const vacuous = missed.length > 0 ? ` (vacuous: never reached ${missed.join(', ')})` : '';
  return `ladder rung ${r.rung}/${ladderRungs.length} (${cap}): ${boundsText(r.bounds)}: ${r.distinctStates.toLocaleString('en-US')} states, ${(r.wallMs / 1000).toFixed(1)} s, ${r.verdict}${vacuous}`;
}

/** The ladder in one line: how far it went and where it ended (the summary below is that rung's). */
export function ladderText(l: LadderReport): string {
  const end = l.rungs.at(-1);
  const complete = l.rungs.filter((r) => r.verdict === 'complete');
  const closed = complete.length;
  const vacuous = complete.filter((r) => r.contention && missedContention(r.contention).length > 0).length;
  const where = end ? `; the summary below is rung ${end.rung} (${boundsText(end.bounds)})` : '';
  return `bound ladder: ${l.rungs.length} attempt${l.rungs.length === 1 ? '' : 's'}, ${closed} of ${ladderRungs.length} rungs complete${l.complete ? ' (every rung)' : ''}${vacuous > 0 ? `, ${vacuous} of them without contention (see the rung lines)` : ''}${where}`;
}
