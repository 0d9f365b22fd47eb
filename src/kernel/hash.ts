// 64-bit hashing as two independent 32-bit lanes (murmur3-style mixing). Fingerprints are compared
// as (hi, lo) pairs so the visited set can live in typed arrays without BigInt traffic.

import { byCodeUnits, sortSmall } from './sort-small.js';

export interface Hash64 {
  readonly hi: number;
  readonly lo: number;
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixLane(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Strings up to this long are mixed in directly, longer ones (up to the next) through a cache. */
const MAX_DIRECT_STRING = 12;
const MAX_CACHED_STRING = 64;
const MAX_CACHED_STRINGS = 1 << 16;
const strings = new Map<string, Hash64>();

/** An object's keys in sorted order; objects built by one literal mostly come sorted already. */
function sortedKeys(o: object): string[] {
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return sortSmall(keys, byCodeUnits);
  return keys;
}

/** Incremental hasher; feed 32-bit words, numbers and strings in a canonical order. */
export class Hasher {
  private a = 0x9747b28c | 0;
  private b = 0x5bd1e995 | 0;
  private n = 0;

  word(w: number): this {
    this.a = mixLane(this.a, w | 0);
    this.b = mixLane(this.b, (w ^ 0x2545f491) | 0);
    this.n++;
    return this;
  }

  num(x: number): this {
    if (Number.isInteger(x) && x >= -0x80000000 && x <= 0x7fffffff) return this.word(1).word(x);
    const s = String(x);
    return this.word(2).str(s);
  }

  str(s: string): this {
    if (s.length > MAX_DIRECT_STRING && s.length <= MAX_CACHED_STRING) {
      // Keys and values recur in every state: hash each such string once. Shorter ones (most
      // object keys) cost less to mix than to look up.
      let h = strings.get(s);
      if (h === undefined) {
        h = new Hasher().chars(s).digest();
        if (strings.size < MAX_CACHED_STRINGS) strings.set(s, h);
      }
      return this.word(10).hash(h);
    }
    return this.chars(s);
  }

  private chars(s: string): this {
    this.word(3).word(s.length);
    // Two UTF-16 code units to a word.
    let i = 0;
    for (; i + 1 < s.length; i += 2) this.word(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
    if (i < s.length) this.word(s.charCodeAt(i));
    return this;
  }

  /** Canonical structural hash of JSON-like data: object keys are visited in sorted order. */
  value(v: unknown): this {
    if (v === null || v === undefined) return this.word(4);
    switch (typeof v) {
      case 'number':
        return this.num(v);
      case 'string':
        return this.str(v);
      case 'boolean':
        return this.word(v ? 5 : 6);
      case 'object': {
        if (Array.isArray(v)) {
          this.word(7).word(v.length);
          for (const x of v) this.value(x);
          return this;
        }
        const o = v as Record<string, unknown>;
        const keys = sortedKeys(o);
        this.word(8).word(keys.length);
        for (const k of keys) {
          const x = o[k];
          if (x === undefined) continue;
          this.str(k).value(x);
        }
        return this;
      }
      default:
        throw new Error(`cannot hash a ${typeof v}`);
    }
  }

  hash(h: Hash64): this {
    return this.word(h.hi).word(h.lo);
  }

  /** Back to the state of a new hasher, so a hot loop can reuse one. */
  reset(): this {
    this.a = 0x9747b28c | 0;
    this.b = 0x5bd1e995 | 0;
    this.n = 0;
    return this;
  }

  /** 53 bits of the digest as one number (exact in a double): a map key without an object. */
  key53(): number {
    return this.finalHi() * 2097152 + (this.finalLo() >>> 11);
  }

  digest(): Hash64 {
    return { hi: this.finalHi(), lo: this.finalLo() };
  }

  /** Feeds this hasher's digest to `h`, as `h.hash(this.digest())` would, without the object. */
  digestInto(h: Hasher): Hasher {
    return h.word(this.finalHi()).word(this.finalLo());
  }

  /** The digest's first lane, as `digest().hi`. */
  get hi(): number {
    return this.finalHi();
  }

  /** The digest's second lane, as `digest().lo`. */
  get lo(): number {
    return this.finalLo();
  }

  private finalHi(): number {
    return finalMix(this.a ^ this.n);
  }

  private finalLo(): number {
    return finalMix(this.b ^ Math.imul(this.n, 0x27d4eb2f));
  }
}

export function hashValue(v: unknown): Hash64 {
  return new Hasher().value(v).digest();
}

export function hex64(h: Hash64): string {
  return h.hi.toString(16).padStart(8, '0') + h.lo.toString(16).padStart(8, '0');
}

export function parseHex64(s: string): Hash64 | null {
  if (!/^[0-9a-f]{16}$/.test(s)) return null;
  return { hi: parseInt(s.slice(0, 8), 16), lo: parseInt(s.slice(8), 16) };
}

/**
 * Order-independent combination, for multisets (in-flight messages): a sum of the members'
 * remixed lanes, so no sorting and no copy — the hot path of every fingerprint with packets.
 * Members are added one by one, so no array of their hashes is built either.
 */
export class Unordered {
  private a = 0;
  private b = 0;
  private n = 0;

  /** Empty again, so that a hot loop can keep one per slot. */
  clear(): this {
    this.a = 0;
    this.b = 0;
    this.n = 0;
    return this;
  }

  add(x: Hash64): this {
    return this.addLanes(x.hi, x.lo);
  }

  /** add() of the digest with lanes `hi` and `lo`. */
  addLanes(hi: number, lo: number): this {
    this.a = (this.a + finalMix(hi ^ 0x3c6ef372)) | 0;
    this.b = (this.b + finalMix(lo ^ Math.imul(hi, 0x9e3779b1))) | 0;
    this.n++;
    return this;
  }

  digest(): Hash64 {
    return this.lanes(new Hasher()).digest();
  }

  /** Feeds the digest to `h`, as `h.hash(this.digest())` would; `scratch` is reset and used. */
  digestInto(h: Hasher, scratch: Hasher): Hasher {
    return this.lanes(scratch.reset()).digestInto(h);
  }

  private lanes(h: Hasher): Hasher {
    return h.word(9).word(this.n).word(this.a).word(this.b);
  }
}

export function combineUnordered(hashes: readonly Hash64[]): Hash64 {
  const u = new Unordered();
  for (let i = 0; i < hashes.length; i++) u.add(hashes[i] as Hash64);
  return u.digest();
}
