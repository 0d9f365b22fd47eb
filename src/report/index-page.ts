// The report page: summary, coverage, liveness, contention and FLP, mutants, and every
// counterexample drawn. Self-contained: charts are inline SVG rendered here, no script.

import type { TopLevelSpec } from 'vega-lite';
import type { CoverageData } from '../coverage/coverage.js';
import { VERSION } from '../version.js';
import { histogramSpec, groupedBarSpec, orderHeatmapSpec, renderSvg, saturationSpec } from './charts.js';
import type { FailureInput } from './failure-section.js';
import { failureSection, failureTitle } from './failure-section.js';
import type { Shortfall, Thresholds } from '../artifacts/gate.js';
import { coverageByTarget, orderPairs, targetName } from '../artifacts/gate.js';
import type { Cell } from './html.js';
import { badge, esc, page, pct, slug, table } from './html.js';
import type { RunSet } from '../artifacts/runset.js';
import { mergeAll } from '../artifacts/runset.js';
import { strategySection } from './strategy-section.js';

export interface ReportInput {
  readonly runSets: readonly RunSet[];
  readonly failures: readonly FailureInput[];
  readonly thresholds?: Thresholds;
  /** Gate result, when a gate was applied. */
  readonly gate?: readonly Shortfall[] | null;
  /** The job that produced the data stopped early: say so on the page. */
  readonly interrupted?: boolean;
  readonly title?: string;
  /** Free-form lines under the title (seed, command, wall time). */
  readonly notes?: readonly string[];
}

export interface RenderOptions {
  /** Called after each chart or counterexample is drawn. */
  readonly onProgress?: (done: number, total: number, label: string) => void;
  /** Once set, the remaining charts and counterexamples are skipped and the page says so. */
  readonly stop?: { readonly stopped: boolean };
  /** Steps per sequence diagram. */
  readonly maxSteps?: number;
}

interface Unit {
  readonly label: string;
  readonly run: () => Promise<string> | string;
}

const targetOf = targetName;
const cellName = (r: RunSet): string => `${targetOf(r)} × ${r.scenario}`;

function summaryRows(sets: readonly RunSet[]): Cell[][] {
  return sets.map((r) => {
    const l = r.liveness.summary;
    const c = r.coverage;
    const labels = Object.values(c.labels).reduce((n, ls) => n + Object.keys(ls).length, 0);
    return [
      targetOf(r),
      r.scenario,
      r.strategy,
      r.seed,
      r.runs,
      r.events,
      r.violations > 0 ? badge(String(r.violations), 'bad') : 0,
      pct(l.decided, l.runs),
      l.quorumUnavailable,
      l.commandLost,
      l.livelock,
      l.latency.p50,
      l.latency.p95,
      l.ballotsPerRun.p50,
      l.messagesPerDecision,
      c.distinctStates,
      c.interleavingClasses,
      labels,
      orderPairs(c),
      Object.keys(c.crashPoints).length,
      r.interrupted ? badge('partial', 'warn') : '',
    ];
  });
}

const SUMMARY_HEADER = [
  'protocol', 'scenario', 'strategy', 'seed', 'runs', 'events', 'violations', 'decided', 'no-quorum', 'command lost', 'livelock',
  'latency p50', 'latency p95', 'ballots p50', 'msgs/decision', 'distinct states', 'interleavings', 'labels', 'order pairs', 'crash points', '',
];

function labelTables(c: CoverageData, t: Thresholds[string] | undefined): string {
  const required = new Set(t?.labels ?? []);
  const parts: string[] = [];
  const roles = [...new Set([...Object.keys(c.labels), ...[...required].map((l) => l.split('.')[0] ?? l)])].sort();
  for (const role of roles) {
    const ls = c.labels[role] ?? {};
    const names = [...new Set([...Object.keys(ls), ...[...required].filter((l) => (l.split('.')[0] ?? l) === role)])].sort();
    const rows = names.map((l) => {
      const n = ls[l] ?? 0;
      const req = required.has(l);
      return { cls: req && n === 0 ? 'hit' : '', cells: [{ html: `<span class="mono">${esc(l)}</span>` }, n, req ? (n > 0 ? badge('required', 'ok') : badge('required: MISSING', 'bad')) : ''] as Cell[] };
    });
    parts.push(`<div><h4>${esc(role)}</h4>${table(['branch label', 'taken', 'gate'], rows)}</div>`);
  }
  return `<div class="grid">${parts.join('')}</div>`;
}

function crashTable(c: CoverageData, t: Thresholds[string] | undefined): string {
  const required = new Set(t?.crashPoints ?? []);
  const names = [...new Set([...Object.keys(c.crashPoints), ...required])].sort();
  if (names.length === 0) return '<p class="muted">no crash injected</p>';
  return table(
    ['crash point', 'crashes', 'gate'],
    names.map((p) => {
      const n = c.crashPoints[p] ?? 0;
      const req = required.has(p);
      return { cls: req && n === 0 ? 'hit' : '', cells: [{ html: `<span class="mono">${esc(p)}</span>` }, n, req ? (n > 0 ? badge('required', 'ok') : badge('required: MISSING', 'bad')) : ''] as Cell[] };
    }),
  );
}

function orderRows(c: CoverageData, role: string): { rows: Record<string, string | number>[]; kinds: string[] } {
  const kinds = [...(c.messageKinds[role] ?? [])];
  const seen = new Map<string, number>();
  for (const o of c.messageOrders) if (o.role === role) seen.set(`${o.first}\u0000${o.second}`, o.runs);
  const rows: Record<string, string | number>[] = [];
  for (const a of kinds) {
    for (const b of kinds) {
      if (a === b) continue;
      const n = seen.get(`${a}\u0000${b}`) ?? 0;
      rows.push({ first: a, second: b, runs: n, label: String(n) });
    }
  }
  return { rows, kinds };
}

/** Renders the whole report; charts are drawn one at a time so progress and Ctrl-C apply. */
export async function renderIndex(input: ReportInput, o: RenderOptions = {}): Promise<string> {
  const sets = mergeAll(input.runSets);
  const campaign = sets.filter((r) => r.kind === 'campaign' || r.kind === 'simulate');
  const mutants = sets.filter((r) => r.kind === 'mutant');
  const contention = sets.filter((r) => r.kind === 'contention');
  const flp = sets.filter((r) => r.kind === 'flp');
  const targets = [...new Set(campaign.map(targetOf))];
  const covByTarget = coverageByTarget(campaign.map((r) => (r.kind === 'simulate' ? { ...r, kind: 'campaign' as const } : r)));

  // Everything slow (a chart, a counterexample) is a unit drawn after the layout, so progress
  // and stop can act between them; the layout holds a placeholder for each.
  const units: Unit[] = [];
  const unit = (label: string, run: () => Promise<string> | string): string => {
    units.push({ label, run });
    return `<!--unit:${units.length - 1}-->`;
  };
  const chartUnit = (label: string, spec: () => TopLevelSpec): string => unit(label, async () => `<div class="chart">${await renderSvg(spec())}</div>`);

  const body: string[] = [];
  const toc: string[] = [];
  const add = (id: string, title: string, html: string): void => {
    toc.push(`<a href="#${id}">${esc(title)}</a>`);
    body.push(`<section id="${id}"><h2>${esc(title)}</h2>\n${html}\n</section>`);
  };

  // Banners: partial data, gate result, mutants that escaped.
  const banners: string[] = [];
  if (input.interrupted) banners.push('<div class="banner warn">Interrupted: this report covers only the runs finished before the stop (partial).</div>');
  if (input.gate) {
    banners.push(
      input.gate.length === 0
        ? '<div class="banner ok">Coverage gate passed: every required label, crash point and message-order count was reached.</div>'
        : `<div class="banner bad"><b>Coverage gate failed</b> (${input.gate.length} shortfall${input.gate.length > 1 ? 's' : ''}):<br>${input.gate.map((s) => esc(s.line)).join('<br>')}</div>`,
    );
  }
  const escaped = mutants.filter((m) => m.violations === 0);
  if (escaped.length > 0) banners.push(`<div class="banner bad">${escaped.length} mutant(s) not caught: ${esc(escaped.map((m) => `${targetOf(m)} ${m.mutant ?? ''}`).join(', '))}</div>`);
  const bad = campaign.filter((r) => r.violations > 0);
  if (bad.length > 0) banners.push(`<div class="banner bad">${bad.length} protocol × scenario cell(s) with violations: ${esc(bad.map(cellName).join(', '))}</div>`);

  if (campaign.length > 0) add('summary', 'Summary', table(SUMMARY_HEADER, summaryRows(campaign)));

  if (mutants.length > 0) {
    const failureIds = new Map(input.failures.map((f) => [f.path, `failure-${slug(f.path)}`]));
    add(
      'mutants',
      'Mutants',
      table(
        ['protocol', 'mutant', 'caught', 'runs', 'property', 'message', 'depth', 'counterexample'],
        mutants.map((m) => {
          const v = m.firstViolation;
          const id = v?.file ? [...failureIds.entries()].find(([p]) => p === v.file || p.endsWith(v.file ?? '\u0000'))?.[1] : undefined;
          return [
            targetOf(m),
            m.mutant ?? '',
            m.violations > 0 ? badge('caught', 'ok') : badge('NOT caught', 'bad'),
            m.runs,
            v?.property ?? null,
            v?.message ?? null,
            v?.depth ?? null,
            v?.file ? { html: id ? `<a href="#${id}">diagram</a> <code>${esc(v.file)}</code>` : `<code>${esc(v.file)}</code>` } : null,
          ];
        }),
      ),
    );
  }

  for (const t of targets) {
    const c = covByTarget.get(t);
    if (!c) continue;
    const th = input.thresholds?.[t];
    const mine = campaign.filter((r) => targetOf(r) === t);
    const roles = Object.keys(c.messageKinds).sort();
    const heatmaps = roles
      .filter((role) => (c.messageKinds[role]?.length ?? 0) > 1)
      .map((role) => {
        const { rows, kinds } = orderRows(c, role);
        return chartUnit(`${t} message orders at ${role}`, () => orderHeatmapSpec(`arrival orders at ${role} nodes (runs; red 0 = order never seen)`, rows, kinds));
      })
      .join('');
    const sat = mine.flatMap((r) => r.coverage.saturation.points.map((p) => ({ series: r.scenario, ...p })));
    const faults = Object.entries(c.faults);
    add(
      `coverage-${slug(t)}`,
      `Coverage — ${t}`,
      `<p class="small">${c.runs} runs over ${mine.length} scenario(s): <b>${c.distinctStates}</b> distinct states (summed over scenarios), <b>${c.interleavingClasses}</b> interleaving classes, <b>${orderPairs(c)}</b> ordered message-kind pairs, ${Object.keys(c.crashPoints).length} crash points.${th ? ` Gate: ${th.labels.length} labels, ${th.crashPoints.length} crash points, ≥ ${th.minMessageOrderPairs} order pairs.` : ''}</p>
<h3>Branch labels (transition coverage per role)</h3>
${labelTables(c, th)}
<h3>Message-order pairs</h3>
<div class="grid">${heatmaps || '<p class="muted">fewer than two message kinds seen</p>'}</div>
<h3>Crash points</h3>
${crashTable(c, th)}
<h3>Faults exercised</h3>
${faults.length > 0 ? table(['fault', 'times'], faults.map(([k, n]) => [k, n])) : '<p class="muted">none</p>'}
<h3>Saturation</h3>
${sat.length > 0 ? chartUnit(`${t} saturation`, () => saturationSpec(`${t}: exploration saturation by scenario`, sat)) : ''}`,
    );
  }

  const strategies = strategySection(sets, covByTarget, chartUnit);
  if (strategies !== null) add('strategies', 'Explore strategies', strategies);

  if (campaign.length > 0) {
    const parts: string[] = [];
    for (const t of targets) {
      const mine = campaign.filter((r) => targetOf(r) === t);
      const lat = mine.flatMap((r) => r.liveness.latency.map(([value, runs]) => ({ series: r.scenario, value, runs })));
      const bal = mine.flatMap((r) => r.liveness.ballots.map(([value, runs]) => ({ series: r.scenario, value, runs })));
      parts.push(`<h3>${esc(t)}</h3>`);
      parts.push(
        table(
          ['scenario', 'runs', 'decided', 'undecided: quorum unavailable', 'undecided: command lost', 'undecided: livelock', 'latency p50 / p95 / max', 'ballots p50 / p95 / max', 'msgs/decision', 'storage ops/decision'],
          mine.map((r) => {
            const l = r.liveness.summary;
            return [
              r.scenario,
              l.runs,
              `${l.decided} (${pct(l.decided, l.runs)})`,
              l.quorumUnavailable,
              l.commandLost,
              l.livelock > 0 ? badge(String(l.livelock), 'warn') : 0,
              `${l.latency.p50 ?? '–'} / ${l.latency.p95 ?? '–'} / ${l.latency.max ?? '–'}`,
              `${l.ballotsPerRun.p50 ?? '–'} / ${l.ballotsPerRun.p95 ?? '–'} / ${l.ballotsPerRun.max ?? '–'}`,
              l.messagesPerDecision,
              l.storageOpsPerDecision,
            ];
          }),
        ),
      );
      if (lat.length > 0) parts.push(chartUnit(`${t} latency`, () => histogramSpec(`${t}: decision latency (virtual time, decided runs)`, 'latency', lat, true)));
      if (bal.length > 0) parts.push(chartUnit(`${t} ballots`, () => histogramSpec(`${t}: ballots per run`, 'ballots', bal, false)));
    }
    add('liveness', 'Liveness', `<p class="small">Recorded, never a failure by itself. An undecided run is <i>quorum unavailable</i> when faults kept a quorum out of reach late in the run, <i>command lost</i> when a submitted command vanished with its submitter's crash before anyone else held it (no schedule can decide it), <i>livelock</i> when a quorum was up and connected and still nothing was decided (duelling proposers: the FLP case).</p>\n${parts.join('\n')}`);
  }

  if (contention.length > 0) {
    const rows = contention.map((r) => ({
      target: targetOf(r),
      proposers: r.topology.proposers,
      backoff: r.topology.backoff,
      livelockRate: r.runs > 0 ? r.liveness.summary.livelock / r.runs : 0,
      undecidedRate: r.runs > 0 ? (r.runs - r.liveness.summary.decided) / r.runs : 0,
    }));
    add(
      'contention',
      'Livelock against contention and back-off',
      `<p class="small">The same contention scenario with 1…n proposers, randomized or deterministic retry back-off. Livelock rate = runs undecided with a quorum available / runs.</p>
${chartUnit('livelock rate', () => groupedBarSpec('livelock rate by proposers and back-off', rows, { x: 'proposers', xTitle: 'proposers', y: 'livelockRate', yTitle: 'livelock rate', color: 'backoff', facet: 'target', share: true }))}
${table(
  ['protocol', 'proposers', 'back-off', 'runs', 'decided', 'livelock', 'livelock rate', 'ballots p50 / max', 'latency p50'],
  contention.map((r) => [targetOf(r), r.topology.proposers, r.topology.backoff, r.runs, r.liveness.summary.decided, r.liveness.summary.livelock, pct(r.liveness.summary.livelock, r.runs), `${r.liveness.summary.ballotsPerRun.p50 ?? '–'} / ${r.liveness.summary.ballotsPerRun.max ?? '–'}`, r.liveness.summary.latency.p50]),
)}`,
    );
  }

  if (flp.length > 0) {
    const cells = [...flp].sort((a, b) => cmpStr(targetOf(a), targetOf(b)) || (a.adversary?.bound ?? 0) - (b.adversary?.bound ?? 0) || cmpStr(a.topology.backoff, b.topology.backoff));
    const stats = cells.map((r) => {
      const rounds = expandPairs(r.adversary?.rounds ?? []);
      return { r, rounds, p50: qn(rounds, 0.5) };
    });
    const rows = stats.map(({ r, p50 }) => ({
      target: targetOf(r),
      bound: r.adversary?.bound ?? 0,
      backoff: r.topology.backoff,
      rounds: p50,
      decided: r.runs > 0 ? r.liveness.summary.decided / r.runs : 0,
    }));
    add(
      'flp',
      'FLP: the adversary against deterministic and randomized back-off',
      `<p class="small">A fault-free configuration with duelling proposers, scheduled by an adversary that holds back every delivery that would get a value chosen, as long as its delay bound allows (a packet must arrive within <i>bound</i> of its send); timers keep their scheduler-drawn jitter. <i>Rounds undecided</i> = ballots started before the first value was chosen (all of them when none was by the horizon). Once the bound exceeds what a deterministic back-off waits, the adversary can keep the system undecided for as many rounds as the horizon allows — no bounded-time termination; randomized back-off terminates with probability 1 for as long as its random waits can outlast the bound.</p>
${chartUnit('adversary rounds', () => groupedBarSpec('median rounds kept undecided, by the adversary\'s delay bound', rows, { x: 'bound', xTitle: 'delay bound', y: 'rounds', yTitle: 'rounds undecided (p50)', color: 'backoff', facet: 'target' }))}
${chartUnit('adversary decided', () => groupedBarSpec('share of runs decided by the horizon', rows, { x: 'bound', xTitle: 'delay bound', y: 'decided', yTitle: 'decided', color: 'backoff', facet: 'target', share: true }))}
${table(
  ['protocol', 'delay bound', 'back-off', 'runs', 'decided', 'undecided at horizon', 'rounds undecided p50 / p95 / max', 'deliveries held back'],
  stats.map(({ r, rounds }) => [targetOf(r), r.adversary?.bound ?? null, r.topology.backoff, r.runs, r.liveness.summary.decided, r.runs - r.liveness.summary.decided, `${q(rounds, 0.5)} / ${q(rounds, 0.95)} / ${q(rounds, 1)}`, r.adversary?.deferrals ?? null]),
)}`,
    );
  }

  if (input.failures.length > 0) {
    const list = input.failures.map((f) => unit(`counterexample ${f.path}`, () => failureSection(f, { maxSteps: o.maxSteps }))).join('\n');
    add('failures', `Counterexamples (${input.failures.length})`, `<p class="small">${input.failures.map((f) => `<a href="#failure-${slug(f.path)}">${esc(failureTitle(f.file))}</a>`).join(' · ')}</p>\n${list}`);
  }

  // Draw the units in order; once stopped, leave a note where each skipped one would be.
  const done = new Map<number, string>();
  let skipped = 0;
  for (let i = 0; i < units.length; i++) {
    const u = units[i] as Unit;
    if (o.stop?.stopped) {
      skipped++;
      done.set(i, `<p class="banner warn small">not drawn (interrupted): ${esc(u.label)}</p>`);
      continue;
    }
    done.set(i, await u.run());
    o.onProgress?.(i + 1, units.length, u.label);
  }
  const html = body.join('\n').replace(/<!--unit:(\d+)-->/g, (_m, i: string) => done.get(Number(i)) ?? '');
  if (skipped > 0) banners.push(`<div class="banner warn">Report generation interrupted: ${skipped} chart(s) or counterexample(s) not drawn.</div>`);
  const notes = [...(input.notes ?? []), `${sets.length} run sets, ${input.failures.length} counterexamples, paxcheck ${VERSION}`];
  return page(input.title ?? 'paxcheck report', notes.join(' · '), `${banners.join('\n')}\n<nav class="toc">${toc.join('')}</nav>\n${html}`);
}

function expandPairs(p: readonly (readonly [number, number])[]): number[] {
  return p.flatMap(([x, n]) => new Array<number>(n).fill(x));
}

function qn(xs: readonly number[], at: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(at * s.length))] ?? null;
}

function q(xs: readonly number[], at: number): string {
  return String(qn(xs, at) ?? '–');
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
