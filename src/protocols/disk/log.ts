import type { Context, DurableStore, NodeView, Value } from '../../kernel/types.js';
import { applyCommand, kvText } from '../kv.js';
import type { KvState } from '../kv.js';

// Pieces every storage-based agent shares (Disk Paxos processors and the passive agents): the
// client commands it holds, its decided log and the replica applying it, and its retry timer.

export type Decided = Readonly<Record<number, Value>>;

/** Durable key under which an agent keeps the commands clients gave it. */
export const CMDS = 'cmds';

/**
 * Commands survive a crash: a client handed them over once, and an agent that forgot them would
 * leave their slots undecided forever. This is the only thing agents keep durable of their own.
 */
export function durableCommands(durable: DurableStore): Value[] {
  const c = durable[CMDS];
  return Array.isArray(c) ? c.filter((x): x is string => typeof x === 'string') : [];
}

/** The command to propose next: the oldest one not yet decided in any slot. */
export function nextInput(cmds: readonly Value[], decided: Decided): Value | null {
  const used = new Set(Object.values(decided));
  return cmds.find((c) => !used.has(c)) ?? null;
}

/** The replica applies the decided log in slot order and stops at the first hole. */
export function replicaOf(decided: Decided): { applied: number; state: string } {
  let state: KvState = {};
  let applied = 0;
  for (;;) {
    const v = decided[applied];
    if (v === undefined) break;
    state = applyCommand(state, v);
    applied++;
  }
  return { applied, state: kvText(state) };
}

export function agentView(decided: Decided, broken: readonly string[] = []): NodeView {
  return broken.length > 0 ? { decided, replica: replicaOf(decided), broken } : { decided, replica: replicaOf(decided) };
}

export const majority = (n: number): number => Math.floor(n / 2) + 1;

export const RETRY = 'retry';
const RETRY_AFTER = 60;

/** Lost requests and replies are only ever noticed by this timeout. */
export function armRetry(ctx: Context, randomized: boolean): void {
  ctx.setTimer(RETRY, RETRY_AFTER, randomized ? 1 : 0);
}

export const withDecision = (decided: Decided, slot: number, v: Value): Decided => ({ ...decided, [slot]: v });
