// One counterexample as HTML: what failed, how to replay it, its sequence diagram and the state
// change of every drawn step (the touched node's state before and after).

import type { ReplayResult, ReplayStep } from '../step/replay.js';
import { replay } from '../step/replay.js';
import type { FailureFile } from '../artifacts/failure-file.js';
import type { Change } from './state-diff.js';
import { diff } from './state-diff.js';
import type { Cell } from './html.js';
import { badge, esc, page, slug, table } from './html.js';
import { replayCommandFor } from './command-line.js';
import type { Window } from './sequence.js';
import { diagramWindow, nodeName, sequenceDiagram } from './sequence.js';

export interface FailureInput {
  readonly path: string;
  readonly file: FailureFile;
}

/** Steps drawn open in the diagram, up to the violating one; the rest of the window is folded. */
export const FOCUS_STEPS = 30;
/** Steps whose state changes are listed open, up to the violating one. */
export const FOCUS_CHANGES = 10;

/** What the step did to the node it touched: its volatile state, durable store, liveness. */
export function stepChanges(r: ReplayResult, s: ReplayStep): { node: number | null; changes: Change[] } {
  const n = s.fx.node;
  if (n === null) return { node: null, changes: [] };
  const agents = r.sys.agents.length;
  if (n >= agents) {
    const a = s.prev.servers[n - agents];
    const b = s.next.servers[n - agents];
    const changes = diff({ up: a?.up, store: a?.data.store }, { up: b?.up, store: b?.data.store });
    return { node: n, changes };
  }
  const a = s.prev.agents[n];
  const b = s.next.agents[n];
  const changes = diff({ up: a?.up, state: a?.state, durable: a?.durable }, { up: b?.up, state: b?.state, durable: b?.durable });
  return { node: n, changes };
}

function changeList(cs: readonly Change[]): string {
  if (cs.length === 0) return '<span class="muted">no change</span>';
  return cs
    .map((c) => {
      const before = c.before === null ? '' : `<del>${esc(clip(c.before))}</del>`;
      const after = c.after === null ? '<span class="muted">(removed)</span>' : `<ins>${esc(clip(c.after))}</ins>`;
      return `<div><span class="mono">${esc(c.path || '(whole)')}</span>: ${before}${before ? ' → ' : ''}${after}</div>`;
    })
    .join('');
}

function clip(s: string, n = 160): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function json(v: unknown): string {
  return esc(JSON.stringify(v, null, 1) ?? 'null');
}

export function failureTitle(f: FailureFile): string {
  return `${f.protocol}${f.service ? `/${f.service}` : ''} ${f.mutant ? `mutant ${f.mutant}` : '(no mutant)'}: ${f.violation.property}`;
}

function factsTable(input: FailureInput): string {
  const f = input.file;
  return table(
    ['protocol', 'mutant', 'strategy', 'seed', 'run', 'steps', 'property', 'message', 'replay'],
    [
      [
        `${f.protocol}${f.service ? `/${f.service}` : ''}`,
        f.mutant ?? '(none)',
        f.strategy,
        f.seed,
        f.run,
        f.choices.length,
        { html: `<b>${esc(f.violation.property)}</b>` },
        f.violation.message,
        // The command the CLI prints for this file, so that it works pasted where it was run.
        { html: `<code>${esc(replayCommandFor(input.path))}</code>` },
      ],
    ],
  );
}

function replayStatus(r: ReplayResult): string {
  return r.reproduced
    ? badge(`reproduced at step ${r.violationStep}, trace ${r.trace}`, 'ok').html
    : badge(r.error ?? `did not reproduce (step ${r.violationStep ?? '–'}, trace ${r.trace} vs ${r.expectedTrace})`, 'warn').html;
}

/** The last `n` steps of `win` (the violating one last). */
const tail = (win: Window, n: number): Window => ({ from: Math.max(win.from, win.to - n + 1), to: win.to });

const range = (w: Window): string => (w.from === w.to ? `step ${w.from}` : `steps ${w.from}–${w.to}`);

/** The diagram of the last steps before the violation, open; the longer window folded under it. */
function diagramPart(r: ReplayResult, win: Window, o: { maxSteps?: number }): string {
  const focus = tail(win, FOCUS_STEPS);
  const open = `<h4>Sequence diagram: ${range(focus)} of ${r.steps.length}${r.violationStep !== null ? ', ending at the violation' : ''}</h4>
<div class="diagram">${sequenceDiagram(r, { ...o, window: focus })}</div>`;
  if (focus.from === win.from) return open;
  return `${open}
<details><summary>the diagram from step ${win.from} (${win.to - win.from + 1} steps)</summary><div class="diagram">${sequenceDiagram(r, { ...o, window: win })}</div></details>`;
}

function changeRows(r: ReplayResult, w: Window): { cls: string; cells: Cell[] }[] {
  return r.steps
    .filter((s) => s.index >= w.from && s.index <= w.to)
    .map((s) => {
      const { node, changes } = stepChanges(r, s);
      return {
        cls: s.index === r.violationStep ? 'hit' : '',
        cells: [s.index, s.text, node === null ? null : `n${node} ${nodeName(r, node)}`, { html: changeList(changes), cls: 'diff' }],
      };
    });
}

/** State changes of the last steps up to the violation, open; the earlier ones of the window folded above. */
function changesPart(r: ReplayResult, win: Window): string {
  const header = ['step', 'event', 'node', 'state change (before → after)'];
  const focus = tail(win, FOCUS_CHANGES);
  const earlier: Window = { from: win.from, to: focus.from - 1 };
  const folded =
    earlier.to >= earlier.from
      ? `<details><summary>state changes of ${range(earlier)}</summary>${table(header, changeRows(r, earlier))}</details>\n`
      : '';
  return `<h4>State changes: ${range(focus)}${r.violationStep !== null ? ', ending at the violation' : ''}</h4>
${folded}${table(header, changeRows(r, focus))}`;
}

/** The whole state of the node the violating step touched, before and after it (folded). */
function violatingState(r: ReplayResult): string {
  const v = r.steps.find((s) => s.index === r.violationStep);
  const vNode = v?.fx.node ?? null;
  if (!v || vNode === null || vNode >= r.sys.agents.length) return '';
  return `<details><summary>full state of n${vNode} before and after step ${v.index}</summary><div class="grid"><div><h4>before</h4><pre>${json(v.prev.agents[vNode]?.state)}</pre></div><div><h4>after</h4><pre>${json(v.next.agents[vNode]?.state)}</pre></div></div></details>`;
}

/** The violation in one line, where the section opens. */
function violationLine(r: ReplayResult): string {
  if (!r.violation || r.violationStep === null) return '';
  const v = r.steps.find((s) => s.index === r.violationStep);
  return `<p class="banner bad small">✖ <b>step ${r.violationStep}</b>${v ? ` (${esc(v.text)})` : ''}: <b>${esc(r.violation.property)}</b>: ${esc(r.violation.message)}</p>`;
}

/** The HTML section for one failure file; replays it (no random draw) to draw it. */
export function failureSection(input: FailureInput, o: { maxSteps?: number } = {}): string {
  const f = input.file;
  const id = `failure-${slug(input.path)}`;
  let r: ReplayResult;
  try {
    r = replay(f);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return `<section class="failure" id="${id}"><h3>${esc(failureTitle(f))}</h3><p class="banner bad">cannot replay ${esc(input.path)}: ${esc(msg)}</p></section>`;
  }
  const win = diagramWindow(r, o.maxSteps);
  return `<section class="failure" id="${id}">
<h3>${esc(failureTitle(f))}</h3>
${factsTable(input)}
<p>${replayStatus(r)} <span class="muted small">${esc(input.path)}</span></p>
${violationLine(r)}
${diagramPart(r, win, o)}
${changesPart(r, win)}
${violatingState(r)}
</section>`;
}

/** The single-failure page `paxcheck replay FILE --html OUT` writes. */
export function failurePage(input: FailureInput): string {
  return page(`paxcheck counterexample: ${failureTitle(input.file)}`, `${input.path} — version ${input.file.version}`, failureSection(input));
}
