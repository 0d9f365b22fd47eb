// Compact states between threads. A codec's words are ids in a part table of its own thread
// (search/compact/intern.ts), so a state crosses to another thread as its words plus, once per
// part, the part itself; the receiver interns each part it is sent and rewrites ids into its own.
// After the first few thousand states nearly every part has crossed already, and a state costs
// its few dozen words rather than a structured clone of its object graph.

import type { CodecParts } from '../kernel/model.js';

/** The sending end of one direction: which of this thread's parts the peer has been sent. */
export class PartsOut {
  private sent = new Uint8Array(1 << 12);
  private fresh: unknown[] = [];
  private words: readonly number[] = [];
  private readonly visit = (at: number): void => {
    const id = this.words[at] as number;
    if (id >= this.sent.length) this.grow(id);
    if (this.sent[id] === 1) return;
    this.sent[id] = 1;
    this.fresh.push(id, this.parts.part(id));
  };

  constructor(private readonly parts: CodecParts) {}

  /** Notes the parts of the state at `words[from..]` the peer has not been sent; returns the state's end. */
  note(words: readonly number[], from: number): number {
    this.words = words;
    return this.parts.idsAt(words, from, this.visit);
  }

  /** The parts noted since the last call, as [id, part, id, part, …], to go with the words. */
  takeFresh(): unknown[] {
    const f = this.fresh;
    this.fresh = [];
    return f;
  }

  private grow(id: number): void {
    const bigger = new Uint8Array(Math.max(this.sent.length * 2, id + 1));
    bigger.set(this.sent);
    this.sent = bigger;
  }
}

/** The receiving end: this thread's id for each of the peer's that it has been sent. */
export class PartsIn {
  private ids = new Int32Array(1 << 12).fill(-1);
  private words: number[] = [];
  private readonly visit = (at: number): void => {
    const own = this.ids[this.words[at] as number];
    if (own === undefined || own < 0) throw new Error(`compact state: part ${this.words[at]} was never sent`);
    this.words[at] = own;
  };

  constructor(private readonly parts: CodecParts) {}

  /** Takes in parts sent with takeFresh(). */
  learn(fresh: readonly unknown[]): void {
    for (let i = 0; i < fresh.length; i += 2) {
      const theirs = fresh[i] as number;
      if (theirs >= this.ids.length) this.grow(theirs);
      this.ids[theirs] = this.parts.id(fresh[i + 1]);
    }
  }

  /** Rewrites the peer's ids of the state at `words[from..]` into this thread's; returns the state's end. */
  translate(words: number[], from: number): number {
    this.words = words;
    return this.parts.idsAt(words, from, this.visit);
  }

  private grow(id: number): void {
    const bigger = new Int32Array(Math.max(this.ids.length * 2, id + 1)).fill(-1);
    bigger.set(this.ids);
    this.ids = bigger;
  }
}
