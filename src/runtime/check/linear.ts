import type { CompleteEvent, HistoryEvent, InvokeEvent } from '../history.js';
import { checkLinearizability, formatViolation } from '../history/linearizability.js';
import { kvGet, kvModel, kvPut } from '../history/kv-model.js';
import type { KvOperation } from '../history/kv-model.js';
import type { PropertyResult } from './types.js';

// Linearizability of the key-value store's client operations, from the history alone. A failed
// operation certainly did not happen and is left out; an operation with an info completion (or
// none: the run ended first) may have happened at any time after its call, or never: pending.

export function kvOperations(events: readonly HistoryEvent[]): KvOperation[] {
  const done = new Map<number, CompleteEvent>();
  for (const e of events) if (e.type === 'ok' || e.type === 'fail' || e.type === 'info') done.set(e.id, e);
  const ops: KvOperation[] = [];
  for (const e of events) {
    if (e.type !== 'invoke') continue;
    const c = done.get(e.id);
    if (c?.type === 'fail') continue;
    const input = e.f === 'put' ? kvPut(e.key, e.value ?? '') : kvGet(e.key);
    if (c?.type === 'ok') {
      const output = e.f === 'put' ? 'ok' : (c.value ?? null);
      ops.push({ id: e.id, client: e.process, input, output, call: e.time, ret: c.time });
    } else ops.push({ id: e.id, client: e.process, input, output: undefined, call: e.time });
  }
  return ops;
}

export interface LinearResult {
  readonly result: PropertyResult;
  /** Ids of the operations of the minimal non-linearizable sub-history. */
  readonly minimal: readonly number[];
}

export function checkKvLinearizable(events: readonly HistoryEvent[], timeoutMs: number): LinearResult {
  const ops = kvOperations(events);
  const r = checkLinearizability(kvModel, ops, { timeoutMs });
  const keys = r.partitionsTotal;
  if (r.verdict === 'ok') {
    return { result: { property: 'linearizability', status: 'ok', message: `${ops.length} operations on ${keys} keys are linearizable (${r.steps} search steps)` }, minimal: [] };
  }
  if (r.verdict === 'unknown' || r.violation === undefined) {
    const stop = r.partitions.find((p) => p.verdict === 'unknown');
    return { result: { property: 'linearizability', status: 'unknown', message: `undecided within budget (${stop?.key ?? '?'}: ${stop?.stop ?? 'not reached'})` }, minimal: [] };
  }
  const minimal = r.violation.minimal.map((o) => o.id);
  return { result: { property: 'linearizability', status: 'violation', message: formatViolation(kvModel, r.violation), ops: minimal }, minimal };
}

export const isInvoke = (e: HistoryEvent): e is InvokeEvent => e.type === 'invoke';
