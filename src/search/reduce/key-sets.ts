// The sleep sets of a sleep-set search, one per stored state: lists of action keys (integers
// below 2⁵³) in one growable Float64Array, each distinct list once. Sleep sets are nearly as
// many as states, so a JS array per set (with a heap number per key) would cost more than
// everything else the search keeps per state.
//
// Like fingerprints, a list is identified by a 64-bit hash: two lists with one hash would be
// taken for one.

import { Hasher } from '../../kernel/hash.js';
import { ascending, sortSmall } from '../../kernel/sort-small.js';
import { FpTable } from '../fp-table.js';

const NONE: readonly number[] = [];

export class KeySets {
  private pool = new Float64Array(1 << 16);
  /** Offset 0 stands for the empty list. */
  private end = 1;
  private readonly index = new FpTable(1 << 10);

  /** Bytes the lists take. */
  get size(): number {
    return this.pool.byteLength;
  }

  // Kept for id(), which never nests: the keys sorted, and their hasher.
  private readonly keys: number[] = [];
  private readonly hasher = new Hasher();

  /** A number standing for the set of `keys`: equal sets get equal ids. */
  id(unordered: readonly number[]): number {
    if (unordered.length === 0) return 0;
    // Sorted, a set has one form: a third fewer lists to keep than in arrival order.
    const keys = this.keys;
    for (let i = 0; i < unordered.length; i++) keys[i] = unordered[i] as number;
    keys.length = unordered.length;
    sortSmall(keys, ascending);
    const h = this.hasher.reset().word(keys.length);
    for (let i = 0; i < keys.length; i++) h.num(keys[i] as number);
    const known = this.index.putIfAbsent(h.hi, h.lo, this.end);
    if (known >= 0) return known;
    const at = this.end;
    this.reserve(keys.length + 1);
    this.pool[at] = keys.length;
    for (let i = 0; i < keys.length; i++) this.pool[at + 1 + i] = keys[i] as number;
    this.end += keys.length + 1;
    return at;
  }

  get(id: number): readonly number[] {
    if (id === 0) return NONE;
    const n = this.pool[id] as number;
    // A loop into a sized array: a subarray view and Array.from's iteration cost more than the copy.
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.pool[id + 1 + i] as number;
    return out;
  }

  private reserve(n: number): void {
    if (this.end + n <= this.pool.length) return;
    const bigger = new Float64Array(Math.max(2 * this.pool.length, this.end + n));
    bigger.set(this.pool);
    this.pool = bigger;
  }
}
