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
const COL = 100;
const HEAD = 56;
const LEFT = 96;
const CLIENT_X = 58;
const NOTE_W = 560;

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function nodeName(r: ReplayResult, n: NodeId): string {
  const sys = r.sys;
  if (isServer(sys, n)) return `server ${sys.servers[n - sys.agents.length]?.kind ?? ''}`;
  return sys.agents[n]?.role ?? '';
}

/** The SVG of the diagram; `window` from `diagramWindow`. */
export function sequenceDiagram(r: ReplayResult, o: SequenceOptions = {}): string {
  const win = diagramWindow(r, o.maxSteps);
  const sys = r.sys;
  const nodes = sys.agents.length + sys.servers.length;
  const steps = r.steps.filter((s) => s.index >= win.from && s.index <= win.to);
  const rows = steps.length;
  const x = (n: NodeId): number => LEFT + COL / 2 + n * COL;
  const y = (row: number): number => HEAD + 14 + row * ROW;
  const rowOf = (index: number): number => (index < win.from ? 0 : index - win.from + 1);
  const width = LEFT + nodes * COL + NOTE_W;
  const height = y(rows) + 30;
  const noteX = LEFT + nodes * COL + 12;

  // Where each packet was sent: a step index, or 0 for init handlers.
  const sentAt = new Map<number, number>();
  for (const s of r.steps) {
    if (s.index > win.to) break;
    for (const p of s.fx.sent) sentAt.set(p.seq, s.index);
  }

  const out: string[] = [];
  // Row shading under the lifelines, lifelines under the arrows and markers.
  const shade: string[] = [];
  const back: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="seq-diagram" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, Helvetica, Arial, sans-serif" font-size="11">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  );

  // Header: node names; the client column; the step-number column.
  out.push(`<text x="8" y="${HEAD - 10}" font-weight="600">step</text>`, `<text x="${CLIENT_X}" y="${HEAD - 10}" text-anchor="middle" fill="#555">client</text>`);
  for (let n = 0; n < nodes; n++) {
    out.push(
      `<text x="${x(n)}" y="${HEAD - 24}" text-anchor="middle" font-weight="600">n${n}</text>`,
      `<text x="${x(n)}" y="${HEAD - 10}" text-anchor="middle" fill="#555">${esc(nodeName(r, n))}</text>`,
    );
  }
  out.push(`<text x="${noteX}" y="${HEAD - 10}" font-weight="600">what happened</text>`);
  if (win.from > 1) {
    out.push(`<text x="8" y="14" fill="#777" font-style="italic">… ${win.from - 1} earlier steps not drawn; dashed arrows from the top edge were sent before step ${win.from}</text>`);
  }

  // Lifelines, dashed while the node is down.
  const first = steps[0];
  const upAt = (n: NodeId, s: ReplayStep | undefined): boolean => {
    if (!s) return true;
    return isServer(sys, n) ? (s.prev.servers[n - sys.agents.length]?.up ?? true) : (s.prev.agents[n]?.up ?? true);
  };
  for (let n = 0; n < nodes; n++) {
    let up = upAt(n, first);
    let segStart = y(0) - 6;
    const segment = (to: number): void => {
      back.push(
        up
          ? `<line class="lifeline" x1="${x(n)}" y1="${segStart}" x2="${x(n)}" y2="${to}" stroke="#9ca3af" stroke-width="1.5"/>`
          : `<line class="lifeline down" x1="${x(n)}" y1="${segStart}" x2="${x(n)}" y2="${to}" stroke="#ef4444" stroke-width="1" stroke-dasharray="3 4"/>`,
      );
      segStart = to;
    };
    for (const s of steps) {
      const e = s.event;
      const node = e.k === 'crash' || e.k === 'restart' || e.k === 'down' || e.k === 'up' ? e.node : -1;
      if (node !== n) continue;
      segment(y(rowOf(s.index)));
      up = e.k === 'restart' || e.k === 'up';
    }
    segment(y(rows) + 10);
  }

  const arrow = (p: Packet, row: number, cls: string, label: string, endX?: number): string => {
    const from = rowOf(sentAt.get(p.seq) ?? 0);
    const x1 = x(p.from);
    const y1 = y(from);
    const x2 = endX ?? x(p.to);
    const y2 = y(row);
    const color = cls === 'msg' ? colorOf(label) : '#b91c1c';
    const dash = from === 0 && win.from > 1 ? ' stroke-dasharray="5 3"' : '';
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
  };
  const cross = (cx: number, cy: number, cls: string, color = '#b91c1c', size = 5): string =>
    `<path class="${cls}" d="M${cx - size},${cy - size} L${cx + size},${cy + size} M${cx - size},${cy + size} L${cx + size},${cy - size}" stroke="${color}" stroke-width="2"/>`;

  for (const s of steps) {
    const row = rowOf(s.index);
    const ry = y(row);
    const e = s.event;
    const marked = r.violationStep === s.index;
    if (marked) shade.push(`<rect class="violation" x="0" y="${ry - ROW / 2}" width="${width}" height="${ROW}" fill="#fecaca" opacity="0.6"/>`);
    else if (row % 2 === 0) shade.push(`<rect x="0" y="${ry - ROW / 2}" width="${width}" height="${ROW}" fill="#f9fafb"/>`);
    out.push(`<g class="step" data-step="${s.index}"><title>${esc(`${s.index}: ${s.text}`)}</title>`);
    out.push(`<text x="8" y="${ry + 4}" fill="${marked ? '#b91c1c' : '#6b7280'}"${marked ? ' font-weight="700"' : ''}>${s.index}</text>`);
    out.push(`<text x="${noteX}" y="${ry + 4}" fill="${marked ? '#b91c1c' : '#374151'}"${marked ? ' font-weight="700"' : ''}>${esc(clip(s.text, 90))}</text>`);
    switch (e.k) {
      case 'deliver': {
        const p = s.prev.net.find((q) => q.seq === e.seq);
        if (!p) break;
        const kind = messageKind(p);
        if (s.fx.lost) {
          out.push(arrow(p, row, 'lost', kind), cross(x(p.to), ry, 'lost-x'));
        } else {
          out.push(arrow(p, row, 'msg', e.fault ? `${kind} [${e.fault}]` : kind));
        }
        break;
      }
      case 'drop': {
        const p = s.prev.net.find((q) => q.seq === e.seq);
        if (!p) break;
        const mid = (x(p.from) + x(p.to)) / 2;
        out.push(arrow(p, row, 'drop', `drop ${messageKind(p)}`, mid), cross(mid, ry, 'drop-x'));
        break;
      }
      case 'dup': {
        const p = s.prev.net.find((q) => q.seq === e.seq);
        if (p) out.push(`<text class="dup" x="${x(p.from) + 6}" y="${ry + 4}" fill="#92400e">dup ${esc(messageKind(p))}</text>`);
        break;
      }
      case 'timer': {
        const t = s.prev.timers.find((q) => q.seq === e.seq);
        if (t) out.push(`<circle class="timer" cx="${x(t.node)}" cy="${ry}" r="4" fill="white" stroke="#6366f1" stroke-width="1.5"/><text x="${x(t.node) + 7}" y="${ry + 4}" fill="#4f46e5" font-size="10">${esc(clip(t.name, 14))}</text>`);
        break;
      }
      case 'write': {
        const w = s.prev.writes.find((q) => q.seq === e.seq);
        if (w) out.push(`<rect class="write" x="${x(w.node) - 4}" y="${ry - 4}" width="8" height="8" fill="#a3a3a3"/><text x="${x(w.node) + 7}" y="${ry + 4}" fill="#525252" font-size="10">${esc(clip(w.key, 12))}</text>`);
        break;
      }
      case 'submit': {
        const sub = sys.workload[e.idx];
        if (sub) out.push(`<line class="submit" x1="${CLIENT_X}" y1="${ry}" x2="${x(sub.node)}" y2="${ry}" stroke="#0f766e" stroke-width="1.2" marker-end="url(#arrow)"/><text x="${CLIENT_X + 4}" y="${ry - 3}" fill="#0f766e" font-size="10">${esc(clip(sub.value, 16))}</text>`);
        break;
      }
      case 'crash':
      case 'down':
        out.push(cross(x(e.node), ry, 'crash', '#dc2626', 7));
        break;
      case 'restart':
      case 'up':
        out.push(`<path class="restart" d="M${x(e.node) - 6},${ry + 5} L${x(e.node)},${ry - 6} L${x(e.node) + 6},${ry + 5} z" fill="#16a34a"/>`);
        break;
      case 'partition':
      case 'heal':
        out.push(`<line class="${e.k}" x1="${LEFT}" y1="${ry}" x2="${LEFT + nodes * COL}" y2="${ry}" stroke="#a16207" stroke-dasharray="8 4"/>`);
        break;
    }
    for (const d of s.fx.decisions) {
      const cx = x(d.node);
      out.push(`<path class="decide" d="M${cx},${ry - 7} L${cx + 7},${ry} L${cx},${ry + 7} L${cx - 7},${ry} z" fill="#facc15" stroke="#a16207"><title>${esc(`n${d.node} decides slot ${d.slot} = ${d.value}`)}</title></path>`);
    }
    if (s.fx.error && s.fx.node !== null) out.push(cross(x(s.fx.node), ry, 'error', '#7c2d12', 6));
    out.push('</g>');
  }
  if (r.violation && r.violationStep !== null) {
    out.push(`<text class="violation-label" x="8" y="${y(rows) + 22}" fill="#b91c1c" font-weight="700">✖ step ${r.violationStep}: ${esc(r.violation.property)}: ${esc(clip(r.violation.message, 160))}</text>`);
  }
  out.push('</svg>');
  // Backgrounds and lifelines first so arrows draw over them.
  return [out[0], out[1], out[2], ...shade, ...back, ...out.slice(3)].join('\n');
}
