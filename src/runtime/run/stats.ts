import type { HistoryEvent } from '../history.js';

// Numbers of a run, from its history: client outcomes, latency of acknowledged operations,
// throughput of decided commands.

export interface RunStats {
  readonly ops: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  /** Distinct slots decided. */
  readonly slots: number;
  readonly decidedPerSec: number;
  readonly okPerSec: number;
  readonly latencyMs: { readonly p50: number | null; readonly p99: number | null; readonly max: number | null };
}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[i] as number) * 10) / 10;
}

/** Latency of each acknowledged operation: [ack time, ms]. */
export function latencies(events: readonly HistoryEvent[]): [number, number][] {
  const called = new Map<number, number>();
  const out: [number, number][] = [];
  for (const e of events) {
    if (e.type === 'invoke') called.set(e.id, e.time);
    else if (e.type === 'ok') out.push([e.time, e.time - (called.get(e.id) ?? e.time)]);
  }
  return out;
}

export function runStats(events: readonly HistoryEvent[], workloadMs: number): RunStats {
  const count = (t: string): number => events.filter((e) => e.type === t).length;
  const slots = new Set(events.flatMap((e) => (e.type === 'decide' ? [e.slot] : []))).size;
  const lat = latencies(events)
    .map(([, ms]) => ms)
    .sort((a, b) => a - b);
  const secs = Math.max(0.001, workloadMs / 1000);
  return {
    ops: count('invoke'),
    ok: count('ok'),
    fail: count('fail'),
    info: count('info'),
    slots,
    decidedPerSec: Math.round((slots / secs) * 10) / 10,
    okPerSec: Math.round((count('ok') / secs) * 10) / 10,
    latencyMs: { p50: percentile(lat, 50), p99: percentile(lat, 99), max: percentile(lat, 100) },
  };
}
