import type { Value } from '../kernel/types.js';
import { applyCommand } from '../protocols/kv.js';
import type { KvState } from '../protocols/kv.js';

// The replicated key-value store a client talks to: decided commands applied in slot order.
// A write is `<id>:<key>=<value>` (the protocols' command form); a read is `<id>:?<key>`, a
// command that changes nothing and whose answer is the value at its place in the log. Reads go
// through the log like writes, so they are linearizable exactly when the log is.

export function putCommand(id: string, key: string, value: string): Value {
  return `${id}:${key}=${value}`;
}

export function getCommand(id: string, key: string): Value {
  return `${id}:?${key}`;
}

/** The key a read command reads, or null for any other command. */
export function readKey(cmd: Value): string | null {
  const body = cmd.slice(cmd.indexOf(':') + 1);
  return body.startsWith('?') && !body.includes('=') ? body.slice(1) : null;
}

export interface Applied {
  readonly slot: number;
  readonly value: Value;
  /** For a read: the value it saw (null: never written). */
  readonly result: string | null;
}

export class Replica {
  private state: KvState = {};
  private next = 0;
  private readonly pending = new Map<number, Value>();

  /** Feeds one decision; returns the commands this made applicable, in slot order. */
  decide(slot: number, value: Value): Applied[] {
    if (slot < this.next) return [];
    this.pending.set(slot, value);
    const out: Applied[] = [];
    for (let v = this.pending.get(this.next); v !== undefined; v = this.pending.get(this.next)) {
      this.pending.delete(this.next);
      const key = readKey(v);
      out.push({ slot: this.next, value: v, result: key === null ? null : (this.state[key] ?? null) });
      this.state = applyCommand(this.state, v);
      this.next++;
    }
    return out;
  }

  get applied(): number {
    return this.next;
  }

  get kv(): KvState {
    return this.state;
  }
}
