// A structural hash that tells apart everything a handler could tell apart: object keys in
// their insertion order, a key holding undefined from a missing key, undefined from null, a Set
// from an array, a class instance from a plain object. The fingerprint's hash is canonical
// instead (sorted keys, undefined as null), which is right for identifying states but not for
// interning their parts: a part stands in for every part with its hash, and a handler that
// iterates an object's keys must see the same order in the stand-in as in the original.

import type { Hash64 } from '../../kernel/hash.js';
import { Hasher } from '../../kernel/hash.js';

const enum Tag {
  Undefined = 20,
  Null,
  True,
  False,
  Num,
  Str,
  Arr,
  Obj,
  Set,
  Map,
  Class,
}

export function exactHash(v: unknown): Hash64 {
  const h = new Hasher();
  feed(h, v);
  return h.digest();
}

function feed(h: Hasher, v: unknown): void {
  switch (typeof v) {
    case 'undefined':
      h.word(Tag.Undefined);
      return;
    case 'boolean':
      h.word(v ? Tag.True : Tag.False);
      return;
    case 'number':
      h.word(Tag.Num).num(v);
      return;
    case 'string':
      h.word(Tag.Str).str(v);
      return;
    case 'object':
      if (v === null) h.word(Tag.Null);
      else feedObject(h, v);
      return;
    default:
      throw new Error(`cannot intern a ${typeof v} in a state`);
  }
}

function feedObject(h: Hasher, v: object): void {
  if (Array.isArray(v)) {
    h.word(Tag.Arr).word(v.length);
    for (let i = 0; i < v.length; i++) feed(h, v[i]);
    return;
  }
  if (v instanceof Set) {
    h.word(Tag.Set).word(v.size);
    for (const x of v) feed(h, x);
    return;
  }
  if (v instanceof Map) {
    h.word(Tag.Map).word(v.size);
    for (const [k, x] of v) {
      feed(h, k);
      feed(h, x);
    }
    return;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) h.word(Tag.Class).str((v as { constructor?: { name?: string } }).constructor?.name ?? '?');
  const keys = Object.keys(v);
  h.word(Tag.Obj).word(keys.length);
  for (const k of keys) {
    h.str(k);
    feed(h, (v as Record<string, unknown>)[k]);
  }
}
