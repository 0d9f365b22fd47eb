// Interning of immutable state parts: each distinct part (by exact structural hash) gets a small
// id and one stored representative. A state then compacts to the ids of its parts, and decodes
// to the representatives, which are shared by every state holding that part: what the
// fingerprint, view and vote-list caches keep by object identity is then computed once per
// distinct part rather than once per state. SPIN calls this collapse compression.
//
// Like fingerprints, a part is identified by a 64-bit hash: two different parts with one hash
// (odds about n²/2⁶⁵ for n distinct parts) would be taken for one.

import { FpTable } from '../fp-table.js';
import { exactHash } from './exact-hash.js';

export class Interner {
  private readonly table = new FpTable(1 << 10);
  private readonly parts: unknown[] = [];
  /** Parts are immutable, so an object seen before keeps its id without being hashed again. */
  private readonly known = new WeakMap<object, number>();

  get size(): number {
    return this.parts.length;
  }

  /** Ids of null and undefined, the commonest parts (no violation, no partition, nothing settled). */
  private nullId = -1;
  private undefinedId = -1;

  id(v: unknown): number {
    if (v === null) return this.nullId >= 0 ? this.nullId : (this.nullId = this.hashed(v));
    if (v === undefined) return this.undefinedId >= 0 ? this.undefinedId : (this.undefinedId = this.hashed(v));
    const isObject = typeof v === 'object';
    if (isObject) {
      const k = this.known.get(v);
      if (k !== undefined) return k;
    }
    const id = this.hashed(v);
    if (isObject) this.known.set(v, id);
    return id;
  }

  private hashed(v: unknown): number {
    const h = exactHash(v);
    let id = this.table.putIfAbsent(h.hi, h.lo, this.parts.length);
    if (id < 0) {
      id = this.parts.length;
      this.parts.push(v);
    }
    return id;
  }

  part(id: number): unknown {
    if (id >= this.parts.length) throw new Error(`compact state: no part ${id}`);
    return this.parts[id];
  }
}
