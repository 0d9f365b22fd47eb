// A set of 64-bit fingerprints in a SharedArrayBuffer that several threads insert into at once:
// open addressing with linear probing over a power-of-two number of slots, two Int32 words per
// slot (lo, hi). A thread claims an empty slot by compare-and-swapping its lo word from 0, then
// stores hi; a thread that finds a matching lo whose hi is still 0 waits for that store. So each
// fingerprint is inserted by exactly one thread, whatever the interleaving.
//
// 0 marks an empty word, so a fingerprint word that is really 0 is remapped to a fixed other
// value (as visited.ts does for the whole pair); the remapping is the same in every thread.

const REMAP_LO = 0x7f4a7c15 | 0;
const REMAP_HI = 0x9e3779b9 | 0;

export class SharedFpTable {
  readonly words: Int32Array;
  readonly mask: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
    this.mask = (this.words.length >>> 1) - 1;
  }

  static withSlots(slots: number): SharedFpTable {
    let cap = 16;
    while (cap < slots) cap *= 2;
    return new SharedFpTable(new SharedArrayBuffer(cap * 8));
  }

  get slots(): number {
    return this.mask + 1;
  }

  /** True when this call inserted the fingerprint, false when it was already present. */
  insert(hi: number, lo: number): boolean {
    const h = hi === 0 ? REMAP_HI : hi | 0;
    const l = lo === 0 ? REMAP_LO : lo | 0;
    const w = this.words;
    const mask = this.mask;
    let i = (Math.imul(h ^ (l >>> 7), 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const at = i << 1;
      let cur = w[at] as number;
      if (cur === 0) {
        cur = Atomics.compareExchange(w, at, 0, l);
        if (cur === 0) {
          Atomics.store(w, at + 1, h);
          return true;
        }
      }
      if (cur === l) {
        let ch = w[at + 1] as number;
        while (ch === 0) ch = Atomics.load(w, at + 1);
        if (ch === h) return false;
      }
      i = (i + 1) & mask;
    }
  }

  /** A copy with `slots` slots (at least this many as hold entries); single-threaded. */
  grown(slots: number): SharedFpTable {
    const t = SharedFpTable.withSlots(slots);
    const w = this.words;
    for (let at = 0; at < w.length; at += 2) {
      const l = w[at] as number;
      if (l !== 0) t.insert(w[at + 1] as number, l);
    }
    return t;
  }
}
