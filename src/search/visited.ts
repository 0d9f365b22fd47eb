// The visited set of a systematic search: 64-bit fingerprints in an open-addressing hash table
// on a typed array (two 32-bit words per slot, linear probing), plus, per state in discovery
// order, its parent's index and the index of the action that reached it, so a breadth-first
// search can rebuild the shortest path to any state.
//
// Memory: a slot is 8 bytes. The table grows by ×1.4 when the load passes 0.7, so the load
// stays within [0.5, 0.7] once past the initial size: 11.4–16 bytes of table per state, slack
// included. Parent (4 bytes) and action (2 bytes, widened to 4 if an index passes 65535) arrays
// are sized to the table's fill limit, so they carry at most ×1.4 slack: 6–8.4 bytes per state.
//
// The slot is picked by the high fingerprint word scaled into [0, capacity) (multiply-shift
// range reduction), which lets the capacity be any integer, not only a power of two. (0, 0)
// marks an empty slot; a fingerprint that is really (0, 0) is remapped to a fixed other value.

const EMPTY_REMAP_HI = 0x9e3779b9 | 0;
const EMPTY_REMAP_LO = 0x7f4a7c15 | 0;
const TWO32 = 4294967296;

export class VisitedSet {
  private keys: Int32Array;
  private cap: number;
  private scale: number;
  private limit: number;
  private n = 0;
  private parents: Int32Array;
  private acts: Uint16Array | Uint32Array;

  /**
   * @param expected states expected; the table starts large enough for them.
   * @param maxLoad load factor at which the table grows.
   * @param growth capacity multiplier on growth; maxLoad / growth is the load just after.
   */
  constructor(
    expected = 1 << 12,
    readonly maxLoad = 0.7,
    readonly growth = 1.4,
  ) {
    if (!(maxLoad > 0 && maxLoad < 1)) throw new Error('maxLoad must be in (0, 1)');
    if (!(growth > 1)) throw new Error('growth must exceed 1');
    this.cap = Math.max(16, Math.ceil(Math.max(1, expected) / maxLoad) + 1);
    this.keys = new Int32Array(2 * this.cap);
    this.scale = this.cap / TWO32;
    this.limit = Math.floor(this.cap * maxLoad);
    this.parents = new Int32Array(this.limit);
    this.acts = new Uint16Array(this.limit);
  }

  /** Number of distinct fingerprints stored. */
  get size(): number {
    return this.n;
  }

  get capacity(): number {
    return this.cap;
  }

  /**
   * Adds a fingerprint. Returns the new state's index (0, 1, 2, … in insertion order), or -1
   * when the fingerprint was already present (then parent and action are ignored).
   */
  add(hi: number, lo: number, parent: number, action: number): number {
    let h = hi | 0;
    let l = lo | 0;
    if ((h | l) === 0) {
      h = EMPTY_REMAP_HI;
      l = EMPTY_REMAP_LO;
    }
    const keys = this.keys;
    const cap = this.cap;
    let i = ((h >>> 0) * this.scale) | 0;
    for (;;) {
      const j = i << 1;
      const kh = keys[j] as number;
      const kl = keys[j + 1] as number;
      if ((kh | kl) === 0) break;
      if (kh === h && kl === l) return -1;
      if (++i === cap) i = 0;
    }
    if (this.n >= this.limit) {
      this.grow();
      return this.add(h, l, parent, action);
    }
    keys[i << 1] = h;
    keys[(i << 1) + 1] = l;
    const id = this.n++;
    this.parents[id] = parent;
    if (action > 0xffff && this.acts instanceof Uint16Array) {
      if (action > 0xffffffff) throw new Error(`action index ${action} too large`);
      const wide = new Uint32Array(this.acts.length);
      wide.set(this.acts);
      this.acts = wide;
    }
    this.acts[id] = action;
    return id;
  }

  /** True when the fingerprint is present. */
  has(hi: number, lo: number): boolean {
    let h = hi | 0;
    let l = lo | 0;
    if ((h | l) === 0) {
      h = EMPTY_REMAP_HI;
      l = EMPTY_REMAP_LO;
    }
    const keys = this.keys;
    const cap = this.cap;
    let i = ((h >>> 0) * this.scale) | 0;
    for (;;) {
      const j = i << 1;
      const kh = keys[j] as number;
      const kl = keys[j + 1] as number;
      if ((kh | kl) === 0) return false;
      if (kh === h && kl === l) return true;
      if (++i === cap) i = 0;
    }
  }

  /** Index of the state that first reached state `id`, or -1 for an initial state. */
  parent(id: number): number {
    this.check(id);
    return this.parents[id] as number;
  }

  /** Index of the action (in the parent's `actions` list) that first reached `id`; for an initial state, its index among the initial states. */
  action(id: number): number {
    this.check(id);
    return this.acts[id] as number;
  }

  /** Bytes held by the table and the per-state arrays. */
  get bytes(): number {
    return this.keys.byteLength + this.parents.byteLength + this.acts.byteLength;
  }

  /** All bytes per stored state, slack included. */
  get bytesPerState(): number {
    return this.n === 0 ? 0 : this.bytes / this.n;
  }

  /** Fingerprint-table bytes per stored state, slack included. */
  get tableBytesPerState(): number {
    return this.n === 0 ? 0 : this.keys.byteLength / this.n;
  }

  get load(): number {
    return this.n / this.cap;
  }

  private check(id: number): void {
    if (!(id >= 0 && id < this.n)) throw new RangeError(`no state ${id}`);
  }

  private grow(): void {
    const old = this.keys;
    const oldCap = this.cap;
    const cap = Math.ceil(oldCap * this.growth) + 1;
    const keys = new Int32Array(2 * cap);
    const scale = cap / TWO32;
    for (let s = 0; s < oldCap; s++) {
      const h = old[s << 1] as number;
      const l = old[(s << 1) + 1] as number;
      if ((h | l) === 0) continue;
      let i = ((h >>> 0) * scale) | 0;
      while (((keys[i << 1] as number) | (keys[(i << 1) + 1] as number)) !== 0) if (++i === cap) i = 0;
      keys[i << 1] = h;
      keys[(i << 1) + 1] = l;
    }
    this.keys = keys;
    this.cap = cap;
    this.scale = scale;
    this.limit = Math.floor(cap * this.maxLoad);
    const parents = new Int32Array(this.limit);
    parents.set(this.parents.subarray(0, this.n));
    this.parents = parents;
    const acts = this.acts instanceof Uint16Array ? new Uint16Array(this.limit) : new Uint32Array(this.limit);
    acts.set(this.acts.subarray(0, this.n));
    this.acts = acts;
  }
}
