// A map from 64-bit fingerprints to int32 values (open addressing, linear probing, typed
// arrays): what the shard, merge and worker searches use to find the record of a state by its
// fingerprint. The visited set of bfs.ts keeps no such lookup, only membership. A slot holds
// hi, lo and the value side by side: a lookup that hits then reads the value from the cache
// line it already loaded (a separate value array costs a cache miss per hit on large tables).

const EMPTY_REMAP_HI = 0x9e3779b9 | 0;
const EMPTY_REMAP_LO = 0x7f4a7c15 | 0;
const TWO32 = 4294967296;
const MAX_LOAD = 0.7;

/** The all-zero fingerprint marks an empty slot, so it is stored as another fixed value. */
function remap(hi: number, lo: number): readonly [number, number] {
  const h = hi | 0;
  const l = lo | 0;
  return (h | l) === 0 ? [EMPTY_REMAP_HI, EMPTY_REMAP_LO] : [h, l];
}

export class FpTable {
  private slots: Int32Array;
  private cap: number;
  private scale: number;
  private limit: number;
  private n = 0;

  constructor(expected = 1 << 12) {
    this.cap = Math.max(16, Math.ceil(Math.max(1, expected) / MAX_LOAD) + 1);
    this.slots = new Int32Array(3 * this.cap);
    this.scale = this.cap / TWO32;
    this.limit = Math.floor(this.cap * MAX_LOAD);
  }

  get size(): number {
    return this.n;
  }

  /** The value stored for the fingerprint, or -1 when absent. */
  get(hi: number, lo: number): number {
    const s = this.slot(hi, lo);
    return s < 0 ? -1 : (this.slots[3 * s + 2] as number);
  }

  has(hi: number, lo: number): boolean {
    return this.slot(hi, lo) >= 0;
  }

  /**
   * Stores `value` for a new fingerprint and returns -1, or returns the value already stored
   * (left unchanged). Values must be ≥ 0.
   */
  putIfAbsent(hi: number, lo: number, value: number): number {
    let j = this.probe(hi, lo);
    if (((this.slots[j] as number) | (this.slots[j + 1] as number)) !== 0) return this.slots[j + 2] as number;
    if (this.n >= this.limit) {
      this.grow();
      j = this.probe(hi, lo);
    }
    const slots = this.slots;
    const [h, l] = remap(hi, lo);
    slots[j] = h;
    slots[j + 1] = l;
    slots[j + 2] = value;
    this.n++;
    return -1;
  }

  /** Replaces the value of a present fingerprint; false when absent. */
  set(hi: number, lo: number, value: number): boolean {
    const s = this.slot(hi, lo);
    if (s < 0) return false;
    this.slots[3 * s + 2] = value;
    return true;
  }

  private slot(hi: number, lo: number): number {
    const j = this.probe(hi, lo);
    return ((this.slots[j] as number) | (this.slots[j + 1] as number)) === 0 ? -1 : j / 3;
  }

  /** The word offset of the fingerprint's slot, or of the empty slot where it would go. */
  private probe(hi: number, lo: number): number {
    const [h, l] = remap(hi, lo);
    const slots = this.slots;
    const end = 3 * this.cap;
    let j = 3 * (((h >>> 0) * this.scale) | 0);
    for (;;) {
      const kh = slots[j] as number;
      const kl = slots[j + 1] as number;
      if ((kh | kl) === 0 || (kh === h && kl === l)) return j;
      j += 3;
      if (j === end) j = 0;
    }
  }

  private grow(): void {
    const old = this.slots;
    const cap = 2 * this.cap + 1;
    const slots = new Int32Array(3 * cap);
    const scale = cap / TWO32;
    const end = 3 * cap;
    for (let s = 0; s < old.length; s += 3) {
      const h = old[s] as number;
      const l = old[s + 1] as number;
      if ((h | l) === 0) continue;
      let j = 3 * (((h >>> 0) * scale) | 0);
      while (((slots[j] as number) | (slots[j + 1] as number)) !== 0) {
        j += 3;
        if (j === end) j = 0;
      }
      slots[j] = h;
      slots[j + 1] = l;
      slots[j + 2] = old[s + 2] as number;
    }
    this.slots = slots;
    this.cap = cap;
    this.scale = scale;
    this.limit = Math.floor(cap * MAX_LOAD);
  }
}
