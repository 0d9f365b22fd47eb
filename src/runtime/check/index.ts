import type { HistoryEvent } from '../history.js';
import { checkKvLinearizable } from './linear.js';
import { checkAgreement, checkChosen, checkDivergence, checkDurability, checkStability, checkValidity } from './logs.js';
import type { AuditResult, DecisionReads } from './audit.js';
import type { Acked, AgentLog, PropertyResult, Status } from './types.js';

export type { AgentLog, PropertyResult, Status } from './types.js';

// Every check of a finished run, and the failing sub-history of the first violation: only the
// events that witness it (the operations and decisions involved, and the faults in between).

export interface RunVerdict {
  readonly verdict: Status;
  readonly properties: readonly PropertyResult[];
  /** The first violated property, if any. */
  readonly violated: PropertyResult | null;
  readonly failing: readonly HistoryEvent[];
}

export function acknowledged(events: readonly HistoryEvent[]): Acked[] {
  const command = new Map<number, string>();
  const out: Acked[] = [];
  for (const e of events) {
    if (e.type === 'invoke') command.set(e.id, e.command);
    else if (e.type === 'ok' && e.slot !== undefined) out.push({ id: e.id, command: command.get(e.id) ?? '', slot: e.slot });
  }
  return out;
}

/** The events that witness a violation: its ops, its slots' decisions and commands, and the faults between. */
export function failingHistory(events: readonly HistoryEvent[], v: PropertyResult): HistoryEvent[] {
  const slots = new Set(v.slots ?? []);
  const values = new Set(events.flatMap((e) => (e.type === 'decide' && slots.has(e.slot) ? [e.value] : [])));
  const ops = new Set(v.ops ?? []);
  for (const e of events) if (e.type === 'invoke' && values.has(e.command)) ops.add(e.id);
  const involved = events.filter(
    (e) => ((e.type === 'invoke' || e.type === 'ok' || e.type === 'fail' || e.type === 'info') && ops.has(e.id)) || (e.type === 'decide' && slots.has(e.slot)) || e.type === 'error',
  );
  if (involved.length === 0) return [];
  const from = involved[0]?.time ?? 0;
  const to = involved[involved.length - 1]?.time ?? 0;
  return events.filter((e) => involved.includes(e) || (e.type === 'fault' && e.time >= from && e.time <= to));
}

export interface CheckOptions {
  /** Budget of the linearizability search, in ms. */
  readonly linearizabilityMs: number;
}

export function checkRun(
  events: readonly HistoryEvent[],
  logs: readonly AgentLog[],
  audit: AuditResult | null,
  atDecision: DecisionReads,
  opts: CheckOptions,
): RunVerdict {
  const submitted = new Set(events.flatMap((e) => (e.type === 'invoke' ? [e.command] : [])));
  const errors = events.filter((e) => e.type === 'error');
  const noException: PropertyResult =
    errors.length === 0
      ? { property: 'no-exception', status: 'ok', message: 'no handler threw' }
      : { property: 'no-exception', status: 'violation', message: `agent ${errors[0]?.type === 'error' ? errors[0].agent : '?'} threw: ${errors[0]?.type === 'error' ? errors[0].message.split('\n')[0] : ''}` };
  const properties: PropertyResult[] = [
    checkChosen(logs, audit, atDecision) ?? checkAgreement(logs),
    checkValidity(logs, submitted),
    checkStability(logs),
    checkDivergence(logs),
    checkDurability(logs, acknowledged(events), audit),
    noException,
    checkKvLinearizable(events, opts.linearizabilityMs).result,
  ];
  const violated = properties.find((p) => p.status === 'violation') ?? null;
  const verdict: Status = violated ? 'violation' : properties.some((p) => p.status === 'unknown') ? 'unknown' : 'ok';
  return { verdict, properties, violated, failing: violated ? failingHistory(events, violated) : [] };
}
