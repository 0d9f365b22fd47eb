import type { DecisionRecord } from '../agent/durable.js';

// What the checks read and what they answer. Every property answers ok, violation, or unknown
// (it could not be decided within its budget, e.g. an agent that did not catch up in time).

export type Status = 'ok' | 'violation' | 'unknown';

export interface PropertyResult {
  readonly property: string;
  readonly status: Status;
  readonly message: string;
  /** Slots the violation is about (for the failing sub-history). */
  readonly slots?: readonly number[];
  /** Client operation ids the violation is about. */
  readonly ops?: readonly number[];
}

export interface AgentLog {
  readonly agent: number;
  /** The agent's durable decision log, every incarnation, in append order. */
  readonly records: readonly DecisionRecord[];
  /** The incarnation that ran last (after the final restart). */
  readonly finalInc: number;
}

export interface Acked {
  readonly id: number;
  readonly command: string;
  readonly slot: number;
}

export const ok = (property: string, message: string): PropertyResult => ({ property, status: 'ok', message });
