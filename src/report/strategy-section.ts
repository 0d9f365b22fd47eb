// The report's "Explore strategies" section: the run sets `paxcheck explore` wrote (random, pct,
// swarm, bfs, dfs, fast-check), which strategy produced each, and per protocol their coverage
// side by side — with the campaign's timed simulation as one more column when there is one.

import type { TopLevelSpec } from 'vega-lite';
import type { CoverageData } from '../coverage/coverage.js';
import { saturationRows, saturationSpec } from './charts.js';
import { declaredLabelsOf } from '../coverage/labels.js';
import { orderPairs, targetName } from '../artifacts/gate.js';
import type { Cell } from './html.js';
import { badge, esc, table } from './html.js';
import type { RunSet } from '../artifacts/runset.js';

/** Draws a chart later (see renderIndex's units); returns its placeholder. */
export type ChartUnit = (label: string, spec: () => TopLevelSpec) => string;

interface Column {
  readonly name: string;
  readonly coverage: CoverageData;
  /** Run-based sets have a saturation curve; a bfs/dfs graph has none. */
  readonly saturation: boolean;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A column name per run set: the strategy, plus whatever tells two sets of one strategy apart. */
function columnNames(sets: readonly RunSet[]): string[] {
  const base = sets.map((r) => `${r.strategy}${r.mutant ? ` (${r.mutant})` : ''}`);
  return sets.map((r, i) => {
    const b = base[i] ?? r.strategy;
    return base.filter((x) => x === b).length > 1 ? `${b} ${r.scenario}/${r.seed}` : b;
  });
}

function search(r: RunSet): Cell {
  const x = r.exploration;
  if (!x) return null;
  return `${x.distinctStates} states, depth ${x.depth}, ${x.complete ? 'complete' : 'bounded'}`;
}

const count = (n: number | undefined): Cell => (n === undefined || n === 0 ? null : n);

function byKey(cols: readonly Column[], keys: (c: CoverageData) => Readonly<Record<string, number>>, header: string, declared: readonly string[] = []): string {
  const names = [...new Set([...cols.flatMap((c) => Object.keys(keys(c.coverage))), ...declared])].sort(cmp);
  if (names.length === 0) return '<p class="muted">none</p>';
  return table(
    [header, ...cols.map((c) => c.name)],
    names.map((k) => [{ html: `<span class="mono">${esc(k)}</span>` }, ...cols.map((c) => count(keys(c.coverage)[k]))]),
  );
}

function labelCounts(c: CoverageData): Record<string, number> {
  const out: Record<string, number> = {};
  for (const ls of Object.values(c.labels)) for (const [l, n] of Object.entries(ls)) out[l] = n;
  return out;
}

function pairsByRole(cols: readonly Column[]): string {
  const roles = [...new Set(cols.flatMap((c) => Object.keys(c.coverage.messageKinds)))].sort(cmp);
  if (roles.length === 0) return '<p class="muted">no message arrived</p>';
  return table(
    ['role', ...cols.map((c) => c.name)],
    roles.map((role) => [
      role,
      ...cols.map((c): Cell => {
        const kinds = c.coverage.messageKinds[role]?.length ?? 0;
        const seen = c.coverage.messageOrders.filter((o) => o.role === role && o.runs > 0).length;
        return kinds === 0 ? null : `${seen} of ${kinds * (kinds - 1)}`;
      }),
    ]),
  );
}

/**
 * The section's HTML, or null when no explore run set was given. `campaign` holds each target's
 * campaign coverage (timed simulation), shown as a column for comparison.
 */
export function strategySection(sets: readonly RunSet[], campaign: ReadonlyMap<string, CoverageData>, chart: ChartUnit): string | null {
  const explore = sets.filter((r) => r.kind === 'explore');
  if (explore.length === 0) return null;
  const rows = explore.map((r): Cell[] => {
    const c = r.coverage;
    return [
      targetName(r),
      { html: `<b>${esc(r.strategy)}</b>` },
      r.mutant,
      r.scenario,
      r.seed,
      r.runs,
      r.events,
      r.violations > 0 ? badge(String(r.violations), 'bad') : 0,
      c.distinctStates,
      c.interleavingClasses,
      Object.keys(labelCounts(c)).length,
      orderPairs(c),
      Object.keys(c.crashPoints).length,
      Object.keys(c.faults).join(', ') || null,
      search(r),
      r.interrupted ? badge('partial', 'warn') : '',
    ];
  });
  const parts = [
    '<p class="small">Run sets written by <code>paxcheck explore</code>. <i>random</i> and <i>pct</i> are untimed walks within the fault budget, <i>swarm</i> timed runs with a random subset of fault kinds, <i>fast-check</i> generated schedules (shrinking included), <i>bfs</i>/<i>dfs</i> the explored state graph: there each transition computed counts once, crash points and message orders are taken along the path that first reached a state, and the search is one run (no interleaving classes). Distinct states are world states (the kernel fingerprint without the property history) for every strategy; a search also reports its own count (history included). – = not reached.</p>',
    table(
      ['protocol', 'strategy', 'mutant', 'scenario', 'seed', 'runs', 'events', 'violations', 'distinct states', 'interleavings', 'labels', 'order pairs', 'crash points', 'faults', 'search', ''],
      rows,
    ),
  ];
  const targets = [...new Set(explore.map(targetName))].sort(cmp);
  for (const t of targets) {
    const mine = explore.filter((r) => targetName(r) === t).sort((a, b) => cmp(a.strategy, b.strategy) || cmp(a.mutant ?? '', b.mutant ?? '') || a.seed - b.seed);
    const names = columnNames(mine);
    const cols: Column[] = mine.map((r, i) => ({ name: names[i] ?? r.strategy, coverage: r.coverage, saturation: r.coverage.saturation.points.length > 0 }));
    const sim = campaign.get(t);
    if (sim) cols.push({ name: 'simulate (campaign)', coverage: sim, saturation: false });
    const sat = cols.filter((c) => c.saturation).flatMap((c) => saturationRows(c.name, c.coverage.saturation.points));
    parts.push(`<h3>${esc(t)}</h3>
<h4>Branch labels by strategy (times taken; – never, for every label the protocol declares)</h4>
${byKey(cols, labelCounts, 'branch label', declaredLabelsOf(mine[0]?.protocol ?? '', mine[0]?.service) ?? [])}
<h4>Message-order pairs by strategy (ordered pairs seen, of those possible among the kinds seen)</h4>
${pairsByRole(cols)}
<h4>Crash points by strategy</h4>
${byKey(cols, (c) => c.crashPoints, 'crash point')}
<h4>Faults by strategy</h4>
${byKey(cols, (c) => c.faults, 'fault')}
${sat.length > 0 ? `<h4>Saturation by strategy</h4>${chart(`${t} saturation by strategy`, () => saturationSpec(`${t}: exploration saturation by strategy`, sat))}` : ''}`);
  }
  return parts.join('\n');
}
