// The visited set of the sleep-set search: like VisitedSet (64-bit fingerprints, linear probing,
// parent and action per state for path reconstruction), but a lookup also returns the index of a
// state already present, because a revisit must compare its sleep set with the stored one.

const EMPTY_REMAP_HI = 0x9e3779b9 | 0;
const EMPTY_REMAP_LO = 0x7f4a7c15 | 0;
const MAX_LOAD = 0.7;

function grown(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a.subarray(0, Math.min(a.length, n)));
  return b;
}

export class StateIndex {
  private keys: Int32Array;
  private slots: Int32Array;
  private mask: number;
  private n = 0;
  private parents = new Int32Array(1024);
  private acts = new Int32Array(1024);
  private levels = new Int32Array(1024);

  constructor(expected = 1 << 12) {
    let cap = 16;
    while (cap * MAX_LOAD < expected) cap *= 2;
    this.keys = new Int32Array(2 * cap);
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.n;
  }

  /** Index of the state with this fingerprint, or -1. */
  find(hi: number, lo: number): number {
    const [h, l] = remap(hi, lo);
    for (let i = (h ^ Math.imul(l, 0x9e3779b1)) & this.mask; ; i = (i + 1) & this.mask) {
      const id = this.slots[i] as number;
      if (id < 0) return -1;
      if (this.keys[2 * i] === h && this.keys[2 * i + 1] === l) return id;
    }
  }

  /** Adds a fingerprint known to be absent; returns its index (0, 1, 2, … in insertion order). */
  add(hi: number, lo: number, parent: number, action: number, level: number): number {
    if (this.n + 1 > (this.mask + 1) * MAX_LOAD) this.rehash();
    const id = this.n++;
    this.place(hi, lo, id);
    if (id >= this.parents.length) {
      const len = this.parents.length * 2;
      this.parents = grown(this.parents, len);
      this.acts = grown(this.acts, len);
      this.levels = grown(this.levels, len);
    }
    this.parents[id] = parent;
    this.acts[id] = action;
    this.levels[id] = level;
    return id;
  }

  parent(id: number): number {
    return this.parents[id] as number;
  }

  action(id: number): number {
    return this.acts[id] as number;
  }

  level(id: number): number {
    return this.levels[id] as number;
  }

  /** Bytes held per state: table slots (with slack) plus parent, action and level. */
  get bytesPerState(): number {
    return this.n === 0 ? 0 : (this.keys.byteLength + this.slots.byteLength + 3 * this.parents.byteLength) / this.n;
  }

  private place(hi: number, lo: number, id: number): void {
    const [h, l] = remap(hi, lo);
    let i = (h ^ Math.imul(l, 0x9e3779b1)) & this.mask;
    while ((this.slots[i] as number) >= 0) i = (i + 1) & this.mask;
    this.keys[2 * i] = h;
    this.keys[2 * i + 1] = l;
    this.slots[i] = id;
  }

  private rehash(): void {
    const keys = this.keys;
    const slots = this.slots;
    const cap = 2 * (this.mask + 1);
    this.keys = new Int32Array(2 * cap);
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let i = 0; i < slots.length; i++) {
      const id = slots[i] as number;
      if (id >= 0) this.place(keys[2 * i] as number, keys[2 * i + 1] as number, id);
    }
  }
}

function remap(hi: number, lo: number): readonly [number, number] {
  const h = hi | 0;
  const l = lo | 0;
  return (h | l) === 0 ? [EMPTY_REMAP_HI, EMPTY_REMAP_LO] : [h, l];
}
