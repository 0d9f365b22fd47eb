import type { Context, DurableStore, Json } from '../../kernel/types.js';
import type { Msg, Outgoing } from './messages.js';

/**
 * A write in flight and the messages that must wait for it. Writes of one node complete in the
 * order they were issued, so a reply attached to the newest write goes out only once everything
 * the node decided before it is durable; a crash drops the queue and with it those replies.
 */
export interface PendingWrite {
  readonly key: string;
  readonly value: Json;
  readonly then: readonly Outgoing[];
}

export type WriteQueue = readonly PendingWrite[];

export function persist(q: WriteQueue, key: string, value: Json, ctx: Context<Msg>): WriteQueue {
  ctx.write(key, value);
  return [...q, { key, value, then: [] }];
}

/** Sends `msgs` once every write issued so far is durable (at once if none is in flight). */
export function sendWhenDurable(q: WriteQueue, msgs: readonly Outgoing[], ctx: Context<Msg>): WriteQueue {
  const last = q[q.length - 1];
  if (last === undefined) {
    sendAll(msgs, ctx);
    return q;
  }
  return [...q.slice(0, -1), { ...last, then: [...last.then, ...msgs] }];
}

export function sendAll(msgs: readonly Outgoing[], ctx: Context<Msg>): void {
  for (const [to, msg] of msgs) ctx.send(to, msg);
}

/** The oldest write completed: returns it (its messages already sent) and the rest of the queue. */
export function writeDone(
  q: WriteQueue,
  key: string,
  ctx: Context<Msg>,
): { readonly done: PendingWrite | null; readonly queue: WriteQueue } {
  const head = q[0];
  // FIFO completion makes a mismatch impossible; tolerate it rather than send the wrong replies.
  if (head?.key !== key) return { done: null, queue: q };
  sendAll(head.then, ctx);
  return { done: head, queue: q.slice(1) };
}

/** Durable keys of one role, e.g. `acceptor/vote/3` -> the suffix after `prefix`. */
export function entriesUnder(durable: DurableStore, prefix: string): (readonly [string, Json])[] {
  return Object.keys(durable)
    .filter((k) => k.startsWith(prefix))
    .sort()
    .map((k) => [k.slice(prefix.length), durable[k] ?? null] as const);
}

export function asNumber(x: Json | undefined, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : fallback;
}

export function asStrings(x: Json | undefined): string[] {
  return Array.isArray(x) ? x.filter((e): e is string => typeof e === 'string') : [];
}

/** A stored vote: [ballot, value]. */
export function asBallotValue(x: Json | undefined): readonly [number, string] | null {
  if (!Array.isArray(x) || x.length !== 2) return null;
  const [b, v] = x as readonly Json[];
  return typeof b === 'number' && typeof v === 'string' ? [b, v] : null;
}
