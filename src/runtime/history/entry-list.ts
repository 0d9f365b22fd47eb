// The call and return entries of a history as a time-sorted dancing-links list (linearizability.ts).

import type { Operation } from './operations.js';
import { isPending } from './operations.js';

/**
 * The call and return entries of a partition, sorted by time, as a circular doubly-linked list
 * on typed arrays with a sentinel `head`. Entry indices are positions in time order.
 */
export class EntryList {
  readonly head: number;
  readonly next: Int32Array;
  readonly prev: Int32Array;
  /** The operation (index into the partition) each entry belongs to. */
  readonly opOf: Int32Array;
  readonly isCall: Uint8Array;
  /** For a call entry, its return entry. */
  readonly match: Int32Array;

  constructor(ops: readonly Operation<unknown, unknown>[]) {
    const n = ops.length;
    const order = sortedEntries(ops);
    this.head = 2 * n;
    this.next = new Int32Array(2 * n + 1);
    this.prev = new Int32Array(2 * n + 1);
    this.opOf = new Int32Array(2 * n);
    this.isCall = new Uint8Array(2 * n);
    this.match = new Int32Array(2 * n);
    const callAt = new Int32Array(n);
    order.forEach(([op, isCall], e) => {
      this.opOf[e] = op;
      this.isCall[e] = isCall ? 1 : 0;
      if (isCall) callAt[op] = e;
      else this.match[callAt[op] as number] = e;
      this.next[e] = e + 1;
      this.prev[e] = e === 0 ? this.head : e - 1;
    });
    this.next[this.head] = n === 0 ? this.head : 0;
    this.prev[this.head] = n === 0 ? this.head : 2 * n - 1;
    if (n > 0) this.next[2 * n - 1] = this.head;
  }

  first(): number {
    return this.next[this.head] as number;
  }

  /** Takes a call entry and its return out of the list. */
  lift(call: number): void {
    this.unlink(call);
    this.unlink(this.match[call] as number);
  }

  /** Undoes the matching lift; lifts must be undone in reverse order. */
  unlift(call: number): void {
    this.relink(this.match[call] as number);
    this.relink(call);
  }

  private unlink(e: number): void {
    const p = this.prev[e] as number;
    const q = this.next[e] as number;
    this.next[p] = q;
    this.prev[q] = p;
  }

  private relink(e: number): void {
    this.next[this.prev[e] as number] = e;
    this.prev[this.next[e] as number] = e;
  }
}

/** [operation index, is call] pairs in time order; calls first on equal times. */
export function sortedEntries(ops: readonly Operation<unknown, unknown>[]): [number, boolean][] {
  const entries: { op: number; isCall: boolean; time: number }[] = [];
  ops.forEach((op, i) => {
    entries.push({ op: i, isCall: true, time: op.call });
    entries.push({ op: i, isCall: false, time: isPending(op) ? Infinity : (op.ret as number) });
  });
  entries.sort((a, b) => {
    if (a.time !== b.time) return a.time < b.time ? -1 : 1;
    if (a.isCall !== b.isCall) return a.isCall ? -1 : 1;
    return a.op - b.op;
  });
  return entries.map((e) => [e.op, e.isCall]);
}
