// The set of operations a search has linearized, hashed incrementally (linearizability.ts).

/** 32-bit integer mixer (the murmur3 finaliser), for per-operation Zobrist keys. */
function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/**
 * A frozen linearized set, as a plain array (typed-array slices cost far more to allocate and
 * collect, and the cache holds millions): the low-water word index, then the completed
 * operations' words from that one to the last non-zero one, then all the pending operations' words.
 */
export type SetSnapshot = readonly number[];

/**
 * The set of linearized operations as a bitset, with a 64-bit Zobrist hash kept up to date on
 * every change so the cache key costs O(1). Operations 0 … completed-1 are the completed ones in
 * call order, the rest the pending ones.
 *
 * Copying the whole bitset into every cache entry, as Porcupine does, makes each step O(n) and
 * dominates on long histories. But every completed operation called before the earliest
 * unlinearized one is linearized, and only operations called before that one returns can be
 * linearized after it, so over the completed operations the set is all ones up to a low-water
 * word and all zeros past a high one: only the window in between, as wide as the concurrency,
 * is stored and compared. Pending operations never return, so they would hold the low-water
 * mark back for good; they get words of their own, kept whole (there are few of them).
 */
export class LinearizedSet {
  private readonly words: Uint32Array;
  private readonly pending: Uint32Array;
  private hi = 0;
  private lo = 0;
  /** The first word of `words` that is not all ones (exact). */
  private low = 0;
  /** No word of `words` past this one is non-zero (an upper bound, tightened lazily). */
  private top = -1;

  constructor(private readonly completed: number, pending: number) {
    this.words = new Uint32Array(Math.ceil(completed / 32));
    this.pending = new Uint32Array(Math.ceil(pending / 32));
  }

  add(i: number): void {
    this.flip(i);
    if (i >= this.completed) return this.setPending(i - this.completed, true);
    const w = i >>> 5;
    this.words[w] = (this.words[w] as number) | (1 << (i & 31));
    if (w > this.top) this.top = w;
    while (this.words[this.low] === 0xffffffff) this.low++;
  }

  remove(i: number): void {
    this.flip(i);
    if (i >= this.completed) return this.setPending(i - this.completed, false);
    const w = i >>> 5;
    this.words[w] = (this.words[w] as number) & ~(1 << (i & 31));
    if (w < this.low) this.low = w;
  }

  /** The two 32-bit halves of the Zobrist hash. */
  hashHi(): number {
    return this.hi;
  }

  hashLo(): number {
    return this.lo;
  }

  snapshot(): SetSnapshot {
    this.trim();
    const snap = [this.low];
    for (let w = this.low; w <= this.top; w++) snap.push(this.words[w] as number);
    for (const word of this.pending) snap.push(word);
    return snap;
  }

  equals(snap: SetSnapshot): boolean {
    this.trim();
    const window = this.top + 1 - this.low;
    if (snap[0] !== this.low || snap.length !== 1 + window + this.pending.length) return false;
    for (let w = 0; w < window; w++) if (snap[1 + w] !== this.words[this.low + w]) return false;
    for (let w = 0; w < this.pending.length; w++) if (snap[1 + window + w] !== this.pending[w]) return false;
    return true;
  }

  private setPending(j: number, on: boolean): void {
    const w = j >>> 5;
    const bit = 1 << (j & 31);
    this.pending[w] = on ? (this.pending[w] as number) | bit : (this.pending[w] as number) & ~bit;
  }

  private trim(): void {
    while (this.top >= this.low && this.words[this.top] === 0) this.top--;
  }

  private flip(i: number): void {
    this.hi ^= mix32(2 * i + 0x9e3779b9);
    this.lo ^= mix32(2 * i + 0x7f4a7c15);
  }
}
