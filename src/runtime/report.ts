import { badge, esc, page, table } from '../report/html.js';
import type { Cell } from '../report/html.js';
import type { FaultEvent, HistoryEvent } from './history.js';
import type { RunResult } from './run/run.js';
import { latencies } from './run/stats.js';

// A real run as one self-contained HTML page in the report's style: verdict and properties,
// per-agent timelines of client operations and faults, latency over time, throughput, and for
// a violation the failing sub-history. Charts are inline SVG: no script, no network.

const W = 1100;
const LEFT = 90;
const color = { ok: '#16a34a', fail: '#9ca3af', info: '#f59e0b', pending: '#f59e0b' } as const;

const xOf = (t: number, end: number): number => LEFT + ((W - LEFT - 10) * t) / Math.max(1, end);
const svg = (h: number, body: string): string => `<div class="chart"><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" font-size="11" font-family="system-ui">${body}</svg></div>`;

function axis(end: number, y: number): string {
  const step = end > 20_000 ? 5000 : end > 5000 ? 1000 : 500;
  let out = `<line x1="${LEFT}" x2="${W - 10}" y1="${y}" y2="${y}" stroke="#999"/>`;
  for (let t = 0; t <= end; t += step) out += `<line x1="${xOf(t, end)}" x2="${xOf(t, end)}" y1="${y}" y2="${y + 4}" stroke="#999"/><text x="${xOf(t, end)}" y="${y + 15}" text-anchor="middle">${t / 1000}s</text>`;
  return out;
}

/** Intervals from a fault to its heal (kill→restart, pause→resume, store-x→heal) per target. */
function faultSpans(events: readonly HistoryEvent[], end: number): { target: string; fault: string; from: number; to: number }[] {
  const open = new Map<string, FaultEvent>();
  const out: { target: string; fault: string; from: number; to: number }[] = [];
  const heals = new Set(['restart', 'resume', 'store-restart', 'store-resume', 'store-fast', 'store-unlock']);
  for (const e of events) {
    if (e.type !== 'fault') continue;
    if (heals.has(e.fault)) {
      const f = open.get(e.target);
      if (f) out.push({ target: e.target, fault: f.fault, from: f.time, to: e.time });
      open.delete(e.target);
    } else open.set(e.target, e);
  }
  for (const f of open.values()) out.push({ target: f.target, fault: f.fault, from: f.time, to: end });
  return out;
}

function timelines(r: RunResult, events: readonly HistoryEvent[], end: number): string {
  const agents = r.options.agents;
  const per = r.options.clientsPerAgent;
  const laneH = 14 + per * 7;
  const stores = r.options.servers;
  const lanes = [...Array.from({ length: agents }, (_, i) => `agent ${i}`), ...Array.from({ length: stores }, (_, i) => `store ${i}`)];
  const top = (target: string): number => 10 + lanes.indexOf(target) * laneH;
  let body = lanes.map((l) => `<text x="4" y="${top(l) + laneH / 2 + 4}">${esc(l)}</text><line x1="${LEFT}" x2="${W - 10}" y1="${top(l) + laneH}" y2="${top(l) + laneH}" stroke="#eee"/>`).join('');
  for (const s of faultSpans(events, end)) {
    const fill = /kill/.test(s.fault) ? '#fecaca' : /pause|lock/.test(s.fault) ? '#fde68a' : '#e0e7ff';
    body += `<rect x="${xOf(s.from, end)}" y="${top(s.target)}" width="${Math.max(1, xOf(s.to, end) - xOf(s.from, end))}" height="${laneH}" fill="${fill}"><title>${esc(`${s.fault} ${s.target} ${Math.round(s.from)}–${Math.round(s.to)} ms`)}</title></rect>`;
  }
  const done = new Map<number, HistoryEvent>();
  for (const e of events) if (e.type === 'ok' || e.type === 'fail' || e.type === 'info') done.set(e.id, e);
  for (const e of events) {
    if (e.type !== 'invoke') continue;
    const c = done.get(e.id);
    const kind = c?.type === 'ok' || c?.type === 'fail' || c?.type === 'info' ? c.type : 'pending';
    const y = top(`agent ${e.agent}`) + 7 + (e.process % per) * 7;
    body += `<line x1="${xOf(e.time, end)}" x2="${Math.max(xOf(e.time, end) + 1, xOf(c?.time ?? end, end))}" y1="${y}" y2="${y}" stroke="${color[kind]}" stroke-width="4"/>`;
  }
  for (const e of events) if (e.type === 'fault' && /kill/.test(e.fault) && lanes.includes(e.target)) body += `<text x="${xOf(e.time, end)}" y="${top(e.target) + 10}" fill="#b91c1c" font-weight="bold">✕</text>`;
  const h = 10 + lanes.length * laneH;
  return svg(h + 24, body + axis(end, h + 2));
}

function latencyChart(events: readonly HistoryEvent[], end: number): string {
  const pts = latencies(events);
  const sorted = pts.map(([, l]) => l).sort((a, b) => a - b);
  const cap = Math.max(1, (sorted[Math.floor(sorted.length * 0.995)] ?? 1) * 1.1);
  const H = 180;
  const y = (l: number): number => 10 + (H - 10) * (1 - Math.min(l, cap) / cap);
  const dots = pts.map(([t, l]) => `<circle cx="${xOf(t, end)}" cy="${y(l)}" r="1.6" fill="#2563eb" fill-opacity="0.5"/>`).join('');
  const labels = [0, cap / 2, cap].map((l) => `<text x="${LEFT - 6}" y="${y(l) + 4}" text-anchor="end">${Math.round(l)} ms</text>`).join('');
  return svg(H + 24, dots + labels + axis(end, H + 2));
}

function throughputChart(events: readonly HistoryEvent[], end: number): string {
  const secs = Math.max(1, Math.ceil(end / 1000));
  const counts = new Array<number>(secs).fill(0);
  for (const e of events) {
    const i = Math.min(secs - 1, Math.floor(e.time / 1000));
    if (e.type === 'ok') counts[i] = (counts[i] ?? 0) + 1;
  }
  const max = Math.max(1, ...counts);
  const H = 140;
  const bw = (W - LEFT - 10) / secs;
  const bars = counts.map((c, i) => `<rect x="${LEFT + i * bw + 1}" y="${10 + (H - 10) * (1 - c / max)}" width="${Math.max(1, bw - 2)}" height="${((H - 10) * c) / max}" fill="#16a34a"><title>${c} ok ops in second ${i}</title></rect>`).join('');
  return svg(H + 24, bars + `<text x="${LEFT - 6}" y="14" text-anchor="end">${max}/s</text>` + axis(secs * 1000, H + 2));
}

function eventRow(e: HistoryEvent): Cell[] {
  const who = 'agent' in e ? `agent ${e.agent}` : e.type === 'fault' ? e.target : '';
  const what =
    e.type === 'invoke' ? `${e.f} ${e.key}${e.value !== undefined ? ` = ${e.value}` : ''} (op ${e.id}, process ${e.process})`
    : e.type === 'ok' || e.type === 'fail' || e.type === 'info' ? `${e.f} ${e.key}${e.value !== undefined ? ` → ${JSON.stringify(e.value)}` : ''}${e.slot !== undefined ? ` in slot ${e.slot}` : ''}${e.reason ? ` (${e.reason})` : ''} (op ${e.id})`
    : e.type === 'decide' ? `slot ${e.slot} = ${e.value} (incarnation ${e.inc})`
    : e.type === 'fault' ? `${e.fault}${e.detail ? ` (${e.detail})` : ''}`
    : e.type === 'note' || e.type === 'error' ? (e.message.split('\n')[0] ?? '')
    : '';
  return [Math.round(e.time), e.type, who, what];
}

export function runReportHtml(r: RunResult, events: readonly HistoryEvent[]): string {
  const o = r.options;
  const end = Math.max(1, ...events.map((e) => e.time));
  const v = r.check.violated;
  const banner = v
    ? `<div class="banner bad">VIOLATION of ${esc(v.property)}: ${esc(v.message.split('\n')[0] ?? '')}</div>`
    : `<div class="banner ${r.check.verdict === 'ok' ? 'ok' : 'warn'}">verdict: ${esc(r.check.verdict)}${r.interrupted ? ' (interrupted)' : ''}</div>`;
  const props = table(['property', 'status', 'detail'], r.check.properties.map((p) => [p.property, badge(p.status, p.status === 'ok' ? 'ok' : p.status === 'unknown' ? 'warn' : 'bad'), p.message.split('\n')[0] ?? '']));
  const s = r.stats;
  const n = r.nemesis;
  const stats = table(
    ['ops', 'ok', 'fail', 'info', 'slots', 'decided/s', 'p50 ms', 'p99 ms', 'kills', 'pauses', 'store faults', 'store restarts', 'partitions'],
    [[s.ops, s.ok, s.fail, s.info, s.slots, s.decidedPerSec, s.latencyMs.p50, s.latencyMs.p99, n.kills, n.pauses, n.storeFaults, n.storeRestarts, n.partitions]],
  );
  const failing = v
    ? `<section><h2>Failing sub-history</h2><pre>${esc(v.message)}</pre>${table(['ms', 'event', 'who', 'what'], r.check.failing.map(eventRow))}</section>`
    : '';
  const notes = events.filter((e) => e.type === 'note').map((e) => (e.type === 'note' ? `<li>${esc(e.message)}</li>` : ''));
  const body = [
    banner,
    `<section><h2>Checks</h2>${props}${stats}<ul class="small muted">${notes.join('')}</ul></section>`,
    failing,
    `<section><h2>Timelines</h2><p class="small muted">Per agent, one row per client: a bar from invoke to completion (green ok, orange info/pending, grey fail). Shaded: agent killed (red) or paused (yellow); store faults on the store rows.</p>${timelines(r, events, end)}</section>`,
    `<section><h2>Latency of acknowledged operations</h2>${latencyChart(events, end)}</section>`,
    `<section><h2>Throughput (acknowledged operations per second)</h2>${throughputChart(events, end)}</section>`,
  ].join('\n');
  return page(`paxcheck run — passive/${o.service} over ${o.store}`, `${o.agents} agents, ${o.servers} stores, nemesis ${o.nemesis.join(',') || 'none'}${o.mutant ? `, mutant ${o.mutant}` : ''}, seed ${o.seed}`, body);
}
