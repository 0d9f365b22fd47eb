// The report page: summary, coverage, liveness, contention and FLP, mutants, and every
// counterexample drawn. Self-contained: charts are inline SVG rendered here, no script.

import type { TopLevelSpec } from 'vega-lite';
import type { CoverageData } from '../coverage/coverage.js';
import { ORDER_DEPTH } from '../coverage/coverage.js';
import { declaredLabelsOf, labelCoverage } from '../coverage/labels.js';
import { VERSION } from '../version.js';
import { turnEventLoop } from '../step/drive.js';
import type { LatencyPanel } from './charts.js';
import { histogramSpec, groupedBarSpec, latencySpec, orderHeatmapSpec, renderSvg, saturationRows, saturationSpec } from './charts.js';
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

/** Branch labels a run set took, of those its protocol declares. */
function labelsTaken(r: RunSet): string {
  const lc = labelCoverage(r.coverage, declaredLabelsOf(r.protocol, r.service));
  return lc.declared > 0 ? `${lc.reached}/${lc.declared}` : String(lc.reached);
}

const SUMMARY_COLUMNS: readonly { readonly head: string; readonly cell: (r: RunSet) => Cell }[] = [
  { head: 'protocol', cell: (r) => targetOf(r) },
  { head: 'scenario', cell: (r) => r.scenario },
  { head: 'strategy', cell: (r) => r.strategy },
  { head: 'seed', cell: (r) => r.seed },
  { head: 'runs', cell: (r) => r.runs },
  { head: 'events', cell: (r) => r.events },
  { head: 'violations', cell: (r) => (r.violations > 0 ? badge(String(r.violations), 'bad') : 0) },
  { head: 'decided', cell: (r) => pct(r.liveness.summary.decided, r.liveness.summary.runs) },
  { head: 'no-quorum', cell: (r) => r.liveness.summary.quorumUnavailable },
  { head: 'command lost', cell: (r) => r.liveness.summary.commandLost },
  { head: 'livelock', cell: (r) => r.liveness.summary.livelock },
  { head: 'latency p50', cell: (r) => r.liveness.summary.latency.p50 },
  { head: 'latency p95', cell: (r) => r.liveness.summary.latency.p95 },
  { head: 'ballots p50', cell: (r) => r.liveness.summary.ballotsPerRun.p50 },
  { head: 'msgs/ decision', cell: (r) => r.liveness.summary.messagesPerDecision },
  { head: 'distinct states', cell: (r) => r.coverage.distinctStates },
  { head: 'order classes', cell: (r) => r.coverage.orderClasses ?? null },
  { head: 'labels', cell: labelsTaken },
  { head: 'order pairs', cell: (r) => orderPairs(r.coverage) },
  { head: 'crash points', cell: (r) => Object.keys(r.coverage.crashPoints).length },
  { head: '', cell: (r) => (r.interrupted ? badge('partial', 'warn') : '') },
];

/**
 * One row per campaign cell. Columns every row shares a value in (strategy, seed) are said once
 * above the table instead, and the partial mark only shows when a cell is partial, so that the
 * table fits the page.
 */
function summarySection(sets: readonly RunSet[]): string {
  const same = (f: (r: RunSet) => unknown): boolean => new Set(sets.map(f)).size === 1;
  const drop = new Set<string>();
  const said: string[] = [];
  if (same((r) => r.strategy)) {
    drop.add('strategy');
    said.push(`strategy ${esc(sets[0]?.strategy ?? '')}`);
  }
  if (same((r) => r.seed)) {
    drop.add('seed');
    said.push(`seed ${sets[0]?.seed ?? ''}`);
  }
  if (!sets.some((r) => r.interrupted)) drop.add('');
  const cols = SUMMARY_COLUMNS.filter((c) => !drop.has(c.head));
  const note = `<p class="small">${said.length > 0 ? `Every cell: ${said.join(', ')}. ` : ''}<i>labels</i>: branch labels taken of those the protocol declares; <i>order classes</i>: distinct first-${ORDER_DEPTH}-event sequences per node role (see Saturation).</p>`;
  return `${note}\n${table(cols.map((c) => c.head), sets.map((r) => cols.map((c) => c.cell(r))))}`;
}

/**
 * Branch labels per role, every label the protocol declares included: a label never taken shows
 * with a zero count (as TLC lists actions never taken), a label the gate requires shows its state.
 */
function labelTables(c: CoverageData, t: Thresholds[string] | undefined, declared: readonly string[] | null): string {
  const required = new Set(t?.labels ?? []);
  // Required labels never taken join as zero counts, so that the gate's shortfalls show.
  const lc = labelCoverage({ labels: { ...c.labels, '': Object.fromEntries([...required].map((l) => [l, 0])) } }, declared);
  const parts: string[] = [];
  for (const role of Object.keys(lc.labels).sort()) {
    const ls = lc.labels[role] ?? {};
    const rows = Object.keys(ls).sort().map((l) => {
      const n = ls[l] ?? 0;
      const req = required.has(l);
      const gate = req ? (n > 0 ? badge('required', 'ok') : badge('required: MISSING', 'bad')) : n === 0 ? badge('never', 'warn') : '';
      return { cls: n === 0 ? (req ? 'hit' : 'never') : '', cells: [{ html: `<span class="mono">${esc(l)}</span>` }, n, gate] as Cell[] };
    });
    parts.push(`<div><h4>${esc(role)}</h4>${table(['branch label', 'taken', ''], rows)}</div>`);
  }
  const head = declared
    ? `<p class="small"><b>${lc.reached}</b> of ${lc.declared} declared labels taken${lc.unreached.length > 0 ? `; never taken: ${lc.unreached.map((l) => `<span class="mono">${esc(l)}</span>`).join(', ')}` : ''}${lc.undeclared.length > 0 ? `; taken but not declared: ${lc.undeclared.map((l) => `<span class="mono">${esc(l)}</span>`).join(', ')}` : ''}.</p>`
    : '<p class="small muted">The protocol declares no labels: only those taken are listed.</p>';
  return `${head}<div class="grid">${parts.join('')}</div>`;
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

/**
 * Everything slow (a chart, a counterexample) is a unit drawn after the layout, so progress and
 * stop can act between them; the layout holds a placeholder for each.
 */
class Units {
  private readonly list: Unit[] = [];

  unit(label: string, run: () => Promise<string> | string): string {
    this.list.push({ label, run });
    return `<!--unit:${this.list.length - 1}-->`;
  }

  readonly chart = (label: string, spec: () => TopLevelSpec): string => this.unit(label, async () => `<div class="chart">${await renderSvg(spec())}</div>`);

  /** Draws the units in order into `html`; once stopped, leaves a note where each skipped one would be. */
  async draw(html: string, o: RenderOptions): Promise<{ html: string; skipped: number }> {
    const done = new Map<number, string>();
    let skipped = 0;
    for (let i = 0; i < this.list.length; i++) {
      const u = this.list[i] as Unit;
      // A stop (Ctrl-C) is noticed between units: its handler runs only when the event loop turns.
      await turnEventLoop();
      if (o.stop?.stopped) {
        skipped++;
        done.set(i, `<p class="banner warn small">not drawn (interrupted): ${esc(u.label)}</p>`);
        continue;
      }
      done.set(i, await u.run());
      o.onProgress?.(i + 1, this.list.length, u.label);
    }
    return { html: html.replace(/<!--unit:(\d+)-->/g, (_m, i: string) => done.get(Number(i)) ?? ''), skipped };
  }
}

/** The run sets of a report by what they were made for. */
interface Kinds {
  readonly all: readonly RunSet[];
  readonly campaign: readonly RunSet[];
  readonly mutants: readonly RunSet[];
  readonly contention: readonly RunSet[];
  readonly flp: readonly RunSet[];
  readonly targets: readonly string[];
  readonly covByTarget: ReadonlyMap<string, CoverageData>;
}

function kinds(runSets: readonly RunSet[]): Kinds {
  const all = mergeAll(runSets);
  const campaign = all.filter((r) => r.kind === 'campaign' || r.kind === 'simulate');
  return {
    all,
    campaign,
    mutants: all.filter((r) => r.kind === 'mutant'),
    contention: all.filter((r) => r.kind === 'contention'),
    flp: all.filter((r) => r.kind === 'flp'),
    targets: [...new Set(campaign.map(targetOf))],
    covByTarget: coverageByTarget(campaign.map((r) => (r.kind === 'simulate' ? { ...r, kind: 'campaign' as const } : r))),
  };
}

/** Partial data, the gate's result, mutants that escaped, cells with violations. */
function banners(input: ReportInput, k: Kinds): string[] {
  const out: string[] = [];
  if (input.interrupted) out.push('<div class="banner warn">Interrupted: this report covers only the runs finished before the stop (partial).</div>');
  if (input.gate) {
    out.push(
      input.gate.length === 0
        ? '<div class="banner ok">Coverage gate passed: every required label, crash point and message-order count was reached.</div>'
        : `<div class="banner bad"><b>Coverage gate failed</b> (${input.gate.length} shortfall${input.gate.length > 1 ? 's' : ''}):<br>${input.gate.map((s) => esc(s.line)).join('<br>')}</div>`,
    );
  }
  const escaped = k.mutants.filter((m) => m.violations === 0);
  if (escaped.length > 0) out.push(`<div class="banner bad">${escaped.length} mutant(s) not caught: ${esc(escaped.map((m) => `${targetOf(m)} ${m.mutant ?? ''}`).join(', '))}</div>`);
  const bad = k.campaign.filter((r) => r.violations > 0);
  if (bad.length > 0) out.push(`<div class="banner bad">${bad.length} protocol × scenario cell(s) with violations: ${esc(bad.map(cellName).join(', '))}</div>`);
  return out;
}

function mutantsTable(mutants: readonly RunSet[], failures: readonly FailureInput[]): string {
  const failureIds = new Map(failures.map((f) => [f.path, `failure-${slug(f.path)}`]));
  return table(
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
  );
}

/** One target's coverage: labels (declared ones never taken included), orders, crash points, faults, saturation. */
function coverageSection(t: string, c: CoverageData, mine: readonly RunSet[], th: Thresholds[string] | undefined, u: Units): string {
  const roles = Object.keys(c.messageKinds).sort();
  const heatmaps = roles
    .filter((role) => (c.messageKinds[role]?.length ?? 0) > 1)
    .map((role) => {
      const { rows, kinds: ks } = orderRows(c, role);
      return u.chart(`${t} message orders at ${role}`, () => orderHeatmapSpec(`arrival orders at ${role} nodes (runs; red 0 = order never seen)`, rows, ks));
    })
    .join('');
  const sat = mine.flatMap((r) => saturationRows(r.scenario, r.coverage.saturation.points));
  const faults = Object.entries(c.faults);
  const first = mine[0];
  const declared = first ? declaredLabelsOf(first.protocol, first.service) : null;
  const orderClasses = c.orderClasses === undefined ? '' : `, <b>${c.orderClasses}</b> order classes (first ${ORDER_DEPTH} events per node)`;
  return `<p class="small">${c.runs} runs over ${mine.length} scenario(s): <b>${c.distinctStates}</b> distinct states (summed over scenarios), <b>${c.interleavingClasses}</b> interleaving classes (happens-before)${orderClasses}, <b>${orderPairs(c)}</b> ordered message-kind pairs, ${Object.keys(c.crashPoints).length} crash points.${th ? ` Gate: ${th.labels.length} labels, ${th.crashPoints.length} crash points, ≥ ${th.minMessageOrderPairs} order pairs.` : ''}</p>
<h3>Branch labels (transition coverage per role)</h3>
${labelTables(c, th, declared)}
<div class="grid">
<div><h3>Message-order pairs</h3>${heatmaps || '<p class="muted">fewer than two message kinds seen</p>'}</div>
<div><h3>Crash points</h3>${crashTable(c, th)}</div>
<div><h3>Faults exercised</h3>${faults.length > 0 ? table(['fault', 'times'], faults.map(([f, n]) => [f, n])) : '<p class="muted">none</p>'}</div>
</div>
<h3>Saturation</h3>
${sat.length > 0 ? `<p class="small">An order class is the sequence of the first ${ORDER_DEPTH} events a node of a role handled (message kinds, timers, writes, crashes; not who sent them). The rate of new ones falling to 0 means more runs of this kind stop finding new orders; every run adds a happens-before class, which is why those are not drawn.</p>${u.chart(`${t} saturation`, () => saturationSpec(`${t}: order classes by scenario`, sat))}` : ''}`;
}

/** Latency over time with fault windows for the runs each scenario's run set kept. */
function latencyTimelines(t: string, mine: readonly RunSet[], u: Units): string {
  const panels: LatencyPanel[] = mine.flatMap((r) => (r.timelines ?? []).slice(0, 1).map((tl) => ({ title: `${r.scenario}: run ${tl.run}`, end: tl.end, commands: tl.commands, windows: tl.windows })));
  if (panels.length === 0) return '';
  return `<p class="small">Per scenario, its slowest run with faults: every command at the time it was submitted, at the height of its latency (red cross at the top: never decided), over the windows in which a node was crashed, a server down or the network partitioned.</p>
${u.chart(`${t} latency over time`, () => latencySpec(`${t}: latency over time, fault windows shaded`, panels))}`;
}

function livenessSection(k: Kinds, u: Units): string {
  const parts: string[] = [];
  for (const t of k.targets) {
    const mine = k.campaign.filter((r) => targetOf(r) === t);
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
    parts.push(latencyTimelines(t, mine, u));
    if (lat.length > 0) parts.push(u.chart(`${t} latency`, () => histogramSpec(`${t}: decision latency (virtual time, decided runs)`, 'latency', lat, true)));
    if (bal.length > 0) parts.push(u.chart(`${t} ballots`, () => histogramSpec(`${t}: ballots per run`, 'ballots', bal, false)));
  }
  return `<p class="small">Recorded, never a failure by itself. An undecided run is <i>quorum unavailable</i> when faults kept a quorum out of reach late in the run, <i>command lost</i> when a submitted command vanished with its submitter's crash before anyone else held it (no schedule can decide it), <i>livelock</i> when a quorum was up and connected and still nothing was decided (duelling proposers: the FLP case).</p>\n${parts.join('\n')}`;
}

function contentionSection(contention: readonly RunSet[], u: Units): string {
  const rows = contention.map((r) => ({
    target: targetOf(r),
    proposers: r.topology.proposers,
    backoff: r.topology.backoff,
    livelockRate: r.runs > 0 ? r.liveness.summary.livelock / r.runs : 0,
    undecidedRate: r.runs > 0 ? (r.runs - r.liveness.summary.decided) / r.runs : 0,
  }));
  return `<p class="small">The same contention scenario with 1…n proposers, randomized or deterministic retry back-off. Livelock rate = runs undecided with a quorum available / runs.</p>
${u.chart('livelock rate', () => groupedBarSpec('livelock rate by proposers and back-off', rows, { x: 'proposers', xTitle: 'proposers', y: 'livelockRate', yTitle: 'livelock rate', color: 'backoff', facet: 'target', share: true }))}
${table(
  ['protocol', 'proposers', 'back-off', 'runs', 'decided', 'livelock', 'livelock rate', 'ballots p50 / max', 'latency p50'],
  contention.map((r) => [targetOf(r), r.topology.proposers, r.topology.backoff, r.runs, r.liveness.summary.decided, r.liveness.summary.livelock, pct(r.liveness.summary.livelock, r.runs), `${r.liveness.summary.ballotsPerRun.p50 ?? '–'} / ${r.liveness.summary.ballotsPerRun.max ?? '–'}`, r.liveness.summary.latency.p50]),
)}`;
}

function flpSection(flp: readonly RunSet[], u: Units): string {
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
  return `<p class="small">A fault-free configuration with duelling proposers, scheduled by an adversary that holds back every delivery that would get a value chosen, as long as its delay bound allows (a packet must arrive within <i>bound</i> of its send); timers keep their scheduler-drawn jitter. <i>Rounds undecided</i> = ballots started before the first value was chosen (all of them when none was by the horizon). Once the bound exceeds what a deterministic back-off waits, the adversary can keep the system undecided for as many rounds as the horizon allows — no bounded-time termination; randomized back-off terminates with probability 1 for as long as its random waits can outlast the bound.</p>
${u.chart('adversary rounds', () => groupedBarSpec('median rounds kept undecided, by the adversary\'s delay bound', rows, { x: 'bound', xTitle: 'delay bound', y: 'rounds', yTitle: 'rounds undecided (p50)', color: 'backoff', facet: 'target' }))}
${u.chart('adversary decided', () => groupedBarSpec('share of runs decided by the horizon', rows, { x: 'bound', xTitle: 'delay bound', y: 'decided', yTitle: 'decided', color: 'backoff', facet: 'target', share: true }))}
${table(
  ['protocol', 'delay bound', 'back-off', 'runs', 'decided', 'undecided at horizon', 'rounds undecided p50 / p95 / max', 'deliveries held back'],
  stats.map(({ r, rounds }) => [targetOf(r), r.adversary?.bound ?? null, r.topology.backoff, r.runs, r.liveness.summary.decided, r.runs - r.liveness.summary.decided, `${q(rounds, 0.5)} / ${q(rounds, 0.95)} / ${q(rounds, 1)}`, r.adversary?.deferrals ?? null]),
)}`;
}

/** Renders the whole report; charts are drawn one at a time so progress and Ctrl-C apply. */
export async function renderIndex(input: ReportInput, o: RenderOptions = {}): Promise<string> {
  const k = kinds(input.runSets);
  const u = new Units();
  const body: string[] = [];
  const toc: string[] = [];
  const add = (id: string, title: string, html: string): void => {
    toc.push(`<a href="#${id}">${esc(title)}</a>`);
    body.push(`<section id="${id}"><h2>${esc(title)}</h2>\n${html}\n</section>`);
  };

  // Counterexamples first after the summary: a failure is what a reader opens the page for.
  if (k.campaign.length > 0) add('summary', 'Summary', summarySection(k.campaign));
  if (k.mutants.length > 0) add('mutants', 'Mutants', mutantsTable(k.mutants, input.failures));
  if (input.failures.length > 0) {
    const list = input.failures.map((f) => u.unit(`counterexample ${f.path}`, () => failureSection(f, { maxSteps: o.maxSteps }))).join('\n');
    add('failures', `Counterexamples (${input.failures.length})`, `<p class="small">${input.failures.map((f) => `<a href="#failure-${slug(f.path)}">${esc(failureTitle(f.file))}</a>`).join(' · ')}</p>\n${list}`);
  }
  for (const t of k.targets) {
    const c = k.covByTarget.get(t);
    if (c) add(`coverage-${slug(t)}`, `Coverage — ${t}`, coverageSection(t, c, k.campaign.filter((r) => targetOf(r) === t), input.thresholds?.[t], u));
  }
  const strategies = strategySection(k.all, k.covByTarget, u.chart);
  if (strategies !== null) add('strategies', 'Explore strategies', strategies);
  if (k.campaign.length > 0) add('liveness', 'Liveness', livenessSection(k, u));
  if (k.contention.length > 0) add('contention', 'Livelock against contention and back-off', contentionSection(k.contention, u));
  if (k.flp.length > 0) add('flp', 'FLP: the adversary against deterministic and randomized back-off', flpSection(k.flp, u));

  const drawn = await u.draw(body.join('\n'), o);
  const top = banners(input, k);
  if (drawn.skipped > 0) top.push(`<div class="banner warn">Report generation interrupted: ${drawn.skipped} chart(s) or counterexample(s) not drawn.</div>`);
  const notes = [...(input.notes ?? []), `${k.all.length} run sets, ${input.failures.length} counterexamples, paxcheck ${VERSION}`];
  return page(input.title ?? 'paxcheck report', notes.join(' · '), `${top.join('\n')}\n<nav class="toc">${toc.join('')}</nav>\n${drawn.html}`);
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
