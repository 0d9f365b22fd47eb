// Space-time sequence diagram of a counterexample, drawn as static SVG: one lifeline per node,
// an arrow for every delivery from the row of its send to the row of its arrival, crosses for
// drops and lost packets, markers for crashes, restarts, timers, durable writes and decisions,
// and the violating step marked. Long runs show a window of the last steps before the violation;
// packets sent before the window come in from its top edge.

import { messageKind } from '../coverage/coverage.js';
import { describePacket } from '../step/describe.js';
import type { ReplayResult, ReplayStep } from '../step/replay.js';
import type { NodeId, Packet } from '../kernel/types.js';
import { isServer } from '../kernel/world.js';
import { esc } from './html.js';

export interface SequenceOptions {
  /** Most steps drawn; earlier steps are summarised as "n earlier steps". */
  readonly maxSteps?: number;
  /** The steps to draw (overrides maxSteps). */
  readonly window?: Window;
}

export interface Window {
  /** First and last step index drawn (1-based, inclusive). */
  readonly from: number;
  readonly to: number;
}

export function diagramWindow(r: ReplayResult, maxSteps = 150): Window {
  const to = r.violationStep !== null && r.violationStep > 0 ? r.violationStep : r.steps.length;
  return { from: Math.max(1, to - maxSteps + 1), to };
}

const PALETTE = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#ff7f0e', '#393b79'];

function colorOf(kind: string): string {
  let h = 0;
  for (let i = 0; i < kind.length; i++) h = (Math.imul(h, 31) + kind.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(h) % PALETTE.length] as string;
}

const ROW = 18;
const HEAD = 56;
const LEFT = 96;
const CLIENT_X = 58;
/** Widest a diagram is drawn, so that it fits the 1,400 px page; node columns narrow to fit. */
export const MAX_DIAGRAM_WIDTH = 1300;
const MAX_COL = 100;
const MIN_COL = 64;
const NOTE_W = 440;
/** Characters of a step's description that fit the note column (11 px system font). */
const NOTE_CHARS = Math.floor(NOTE_W / 6.1);

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function nodeName(r: ReplayResult, n: NodeId): string {
  const sys = r.sys;
  if (isServer(sys, n)) return `server ${sys.servers[n - sys.agents.length]?.kind ?? ''}`;
  return sys.agents[n]?.role ?? '';
}

/** Where everything of one diagram goes: columns per node, a row per step of the window. */
interface Layout {
  readonly r: ReplayResult;
  readonly win: Window;
  readonly steps: readonly ReplayStep[];
  readonly nodes: number;
  readonly col: number;
  readonly width: number;
  readonly height: number;
  readonly noteX: number;
  /** Where each packet was sent: a step index, or 0 for init handlers. */
  readonly sentAt: ReadonlyMap<number, number>;
  x(n: NodeId): number;
  y(row: number): number;
  /** The row of a step; steps before the window share row 0 (the top edge). */
  rowOf(index: number): number;
}

function layout(r: ReplayResult, win: Window): Layout {
  const sys = r.sys;
  const nodes = sys.agents.length + sys.servers.length;
  const steps = r.steps.filter((s) => s.index >= win.from && s.index <= win.to);
  const col = Math.max(MIN_COL, Math.min(MAX_COL, Math.floor((MAX_DIAGRAM_WIDTH - LEFT - NOTE_W) / Math.max(1, nodes))));
  const y = (row: number): number => HEAD + 14 + row * ROW;
  const sentAt = new Map<number, number>();
  for (const s of r.steps) {
    if (s.index > win.to) break;
    for (const p of s.fx.sent) sentAt.set(p.seq, s.index);
  }
  return {
    r,
    win,
    steps,
    nodes,
    col,
    width: LEFT + nodes * col + NOTE_W,
    height: y(steps.length) + 30,
    noteX: LEFT + nodes * col + 12,
    sentAt,
    x: (n) => LEFT + col / 2 + n * col,
    y,
    rowOf: (index) => (index < win.from ? 0 : index - win.from + 1),
  };
}

/** Node names over the lifelines, the client and step-number columns, the note column. */
function header(L: Layout): string[] {
  const out = [`<text x="8" y="${HEAD - 10}" font-weight="600">step</text>`, `<text x="${CLIENT_X}" y="${HEAD - 10}" text-anchor="middle" fill="#555">client</text>`];
  for (let n = 0; n < L.nodes; n++) {
    out.push(
      `<text x="${L.x(n)}" y="${HEAD - 24}" text-anchor="middle" font-weight="600">n${n}</text>`,
      `<text x="${L.x(n)}" y="${HEAD - 10}" text-anchor="middle" fill="#555">${esc(clip(nodeName(L.r, n), Math.floor(L.col / 6)))}</text>`,
    );
  }
  out.push(`<text x="${L.noteX}" y="${HEAD - 10}" font-weight="600">what happened</text>`);
  if (L.win.from > 1) {
    out.push(`<text x="8" y="14" fill="#777" font-style="italic">… ${L.win.from - 1} earlier steps not drawn; dashed arrows from the top edge were sent before step ${L.win.from}</text>`);
  }
  return out;
}

/** One lifeline per node, dashed red while the node is down. */
function lifelines(L: Layout): string[] {
  const sys = L.r.sys;
  const first = L.steps[0];
  const upAt = (n: NodeId, s: ReplayStep | undefined): boolean => {
    if (!s) return true;
    return isServer(sys, n) ? (s.prev.servers[n - sys.agents.length]?.up ?? true) : (s.prev.agents[n]?.up ?? true);
  };
  const back: string[] = [];
  for (let n = 0; n < L.nodes; n++) {
    let up = upAt(n, first);
    let segStart = L.y(0) - 6;
    const x = L.x(n);
    const segment = (to: number): void => {
      back.push(
        up
          ? `<line class="lifeline" x1="${x}" y1="${segStart}" x2="${x}" y2="${to}" stroke="#9ca3af" stroke-width="1.5"/>`
          : `<line class="lifeline down" x1="${x}" y1="${segStart}" x2="${x}" y2="${to}" stroke="#ef4444" stroke-width="1" stroke-dasharray="3 4"/>`,
      );
      segStart = to;
    };
    for (const s of L.steps) {
      const e = s.event;
      const node = e.k === 'crash' || e.k === 'restart' || e.k === 'down' || e.k === 'up' ? e.node : -1;
      if (node !== n) continue;
      segment(L.y(L.rowOf(s.index)));
      up = e.k === 'restart' || e.k === 'up';
    }
    segment(L.y(L.steps.length) + 10);
  }
  return back;
}

/** A packet from the row it was sent at to `row`: a message, or a drop/loss ending at `endX`. */
function arrow(L: Layout, p: Packet, row: number, cls: string, label: string, endX?: number): string {
  const from = L.rowOf(L.sentAt.get(p.seq) ?? 0);
  const x1 = L.x(p.from);
  const y1 = L.y(from);
  const x2 = endX ?? L.x(p.to);
  const y2 = L.y(row);
  const color = cls === 'msg' ? colorOf(label) : '#b91c1c';
  const dash = from === 0 && L.win.from > 1 ? ' stroke-dasharray="5 3"' : '';
  if (p.from === p.to && endX === undefined) {
    return `<path class="${cls}" d="M${x1},${y1} C${x1 + 40},${y1} ${x1 + 40},${y2} ${x2 + 2},${y2}" fill="none" stroke="${color}" stroke-width="1.3" marker-end="url(#arrow)"${dash}><title>${esc(describePacket(p))}</title></path>`;
  }
  const mx = (x1 + x2) / 2;
  const my = (y1 + y2) / 2;
  const end = cls === 'msg' ? ' marker-end="url(#arrow)"' : '';
  return (
    `<g class="${cls}"><title>${esc(describePacket(p))}</title>` +
    `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${color}" stroke-width="1.3"${end}${dash}/>` +
    `<text x="${mx}" y="${my - 2}" text-anchor="middle" fill="${color}" font-size="10" stroke="white" stroke-width="3" paint-order="stroke">${esc(clip(label, 18))}</text></g>`
  );
}

const cross = (cx: number, cy: number, cls: string, color = '#b91c1c', size = 5): string =>
  `<path class="${cls}" d="M${cx - size},${cy - size} L${cx + size},${cy + size} M${cx - size},${cy + size} L${cx + size},${cy - size}" stroke="${color}" stroke-width="2"/>`;

/** The marks of one step's event: an arrow, a cross, a timer, a write, a submission, a crash. */
function eventMarks(L: Layout, s: ReplayStep, row: number, ry: number): string[] {
  const e = s.event;
  const x = L.x;
  switch (e.k) {
    case 'deliver': {
      const p = s.prev.net.find((q) => q.seq === e.seq);
      if (!p) return [];
      const kind = messageKind(p);
      if (s.fx.lost) return [arrow(L, p, row, 'lost', kind), cross(x(p.to), ry, 'lost-x')];
      return [arrow(L, p, row, 'msg', e.fault ? `${kind} [${e.fault}]` : kind)];
    }
    case 'drop': {
      const p = s.prev.net.find((q) => q.seq === e.seq);
      if (!p) return [];
      const mid = (x(p.from) + x(p.to)) / 2;
      return [arrow(L, p, row, 'drop', `drop ${messageKind(p)}`, mid), cross(mid, ry, 'drop-x')];
    }
    case 'dup': {
      const p = s.prev.net.find((q) => q.seq === e.seq);
      if (!p) return [];
      // Left of the lifeline when the label would run into the note column.
      const right = x(p.from) + 6 + 70 < L.noteX;
      return [`<text class="dup" x="${right ? x(p.from) + 6 : x(p.from) - 6}"${right ? '' : ' text-anchor="end"'} y="${ry + 4}" fill="#92400e">dup ${esc(messageKind(p))}</text>`];
    }
    case 'timer': {
      const t = s.prev.timers.find((q) => q.seq === e.seq);
      return t ? [`<circle class="timer" cx="${x(t.node)}" cy="${ry}" r="4" fill="white" stroke="#6366f1" stroke-width="1.5"/><text x="${x(t.node) + 7}" y="${ry + 4}" fill="#4f46e5" font-size="10">${esc(clip(t.name, 14))}</text>`] : [];
    }
    case 'write': {
      const w = s.prev.writes.find((q) => q.seq === e.seq);
      return w ? [`<rect class="write" x="${x(w.node) - 4}" y="${ry - 4}" width="8" height="8" fill="#a3a3a3"/><text x="${x(w.node) + 7}" y="${ry + 4}" fill="#525252" font-size="10">${esc(clip(w.key, 12))}</text>`] : [];
    }
    case 'submit': {
      const sub = L.r.sys.workload[e.idx];
      return sub ? [`<line class="submit" x1="${CLIENT_X}" y1="${ry}" x2="${x(sub.node)}" y2="${ry}" stroke="#0f766e" stroke-width="1.2" marker-end="url(#arrow)"/><text x="${CLIENT_X + 4}" y="${ry - 3}" fill="#0f766e" font-size="10">${esc(clip(sub.value, 16))}</text>`] : [];
    }
    case 'crash':
    case 'down':
      return [cross(x(e.node), ry, 'crash', '#dc2626', 7)];
    case 'restart':
    case 'up':
      return [`<path class="restart" d="M${x(e.node) - 6},${ry + 5} L${x(e.node)},${ry - 6} L${x(e.node) + 6},${ry + 5} z" fill="#16a34a"/>`];
    case 'partition':
    case 'heal':
      return [`<line class="${e.k}" x1="${LEFT}" y1="${ry}" x2="${LEFT + L.nodes * L.col}" y2="${ry}" stroke="#a16207" stroke-dasharray="8 4"/>`];
  }
}

/** One step's row: its shading (the violating step in red), number, description and marks. */
function stepRow(L: Layout, s: ReplayStep): { readonly shade: string | null; readonly marks: string } {
  const row = L.rowOf(s.index);
  const ry = L.y(row);
  const marked = L.r.violationStep === s.index;
  const shade = marked
    ? `<rect class="violation" x="0" y="${ry - ROW / 2}" width="${L.width}" height="${ROW}" fill="#fecaca" opacity="0.6"/>`
    : row % 2 === 0
      ? `<rect x="0" y="${ry - ROW / 2}" width="${L.width}" height="${ROW}" fill="#f9fafb"/>`
      : null;
  const out = [`<g class="step" data-step="${s.index}"><title>${esc(`${s.index}: ${s.text}`)}</title>`];
  out.push(`<text x="8" y="${ry + 4}" fill="${marked ? '#b91c1c' : '#6b7280'}"${marked ? ' font-weight="700"' : ''}>${s.index}</text>`);
  out.push(`<text x="${L.noteX}" y="${ry + 4}" fill="${marked ? '#b91c1c' : '#374151'}"${marked ? ' font-weight="700"' : ''}>${esc(clip(s.text, NOTE_CHARS))}</text>`);
  out.push(...eventMarks(L, s, row, ry));
  for (const d of s.fx.decisions) {
    const cx = L.x(d.node);
    out.push(`<path class="decide" d="M${cx},${ry - 7} L${cx + 7},${ry} L${cx},${ry + 7} L${cx - 7},${ry} z" fill="#facc15" stroke="#a16207"><title>${esc(`n${d.node} decides slot ${d.slot} = ${d.value}`)}</title></path>`);
  }
  if (s.fx.error && s.fx.node !== null) out.push(cross(L.x(s.fx.node), ry, 'error', '#7c2d12', 6));
  out.push('</g>');
  return { shade, marks: out.join('\n') };
}

/** The SVG of the diagram over `o.window`, or the last `o.maxSteps` steps up to the violation. */
export function sequenceDiagram(r: ReplayResult, o: SequenceOptions = {}): string {
  const L = layout(r, o.window ?? diagramWindow(r, o.maxSteps));
  const rows = L.steps.map((s) => stepRow(L, s));
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="seq-diagram" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}" font-family="system-ui, Helvetica, Arial, sans-serif" font-size="11">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>`,
    `<rect width="${L.width}" height="${L.height}" fill="white"/>`,
    // Backgrounds and lifelines first so arrows draw over them.
    ...rows.flatMap((x) => (x.shade === null ? [] : [x.shade])),
    ...lifelines(L),
    ...header(L),
    ...rows.map((x) => x.marks),
  ];
  if (r.violation && r.violationStep !== null) {
    out.push(`<text class="violation-label" x="8" y="${L.y(L.steps.length) + 22}" fill="#b91c1c" font-weight="700">✖ step ${r.violationStep}: ${esc(r.violation.property)}: ${esc(clip(r.violation.message, 160))}</text>`);
  }
  out.push('</svg>');
  return out.join('\n');
}
