import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { Hash64 } from '../src/kernel/hash.js';
import { Hasher, Unordered, combineUnordered } from '../src/kernel/hash.js';
import { ascending, byCodeUnits, sortSmall } from '../src/kernel/sort-small.js';

// The allocation-free helpers of the hot path must give exactly what the plain forms give:
// fingerprints, and so every pinned state count, depend on it.
describe('hot-path helpers', () => {
  test.prop([fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 40 })])('sortSmall sorts numbers as Array.prototype.sort does', (xs) => {
    expect(sortSmall([...xs], ascending)).toEqual([...xs].sort((a, b) => a - b));
  });

  test.prop([fc.array(fc.string({ maxLength: 4 }), { maxLength: 30 })])('sortSmall sorts strings as the default sort does', (xs) => {
    expect(sortSmall([...xs], byCodeUnits)).toEqual([...xs].sort());
  });

  test.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.nat()), { maxLength: 20 })])('sortSmall is stable', (xs) => {
    const byFirst = (a: readonly [number, number], b: readonly [number, number]): number => a[0] - b[0];
    expect(sortSmall([...xs], byFirst)).toEqual([...xs].sort(byFirst));
  });

  const hash64 = fc.record({ hi: fc.integer({ min: 0, max: 0xffffffff }), lo: fc.integer({ min: 0, max: 0xffffffff }) });

  test.prop([fc.array(hash64, { maxLength: 12 })])('Unordered adds up to combineUnordered, in any order', (hs: Hash64[]) => {
    const u = new Unordered();
    for (const h of [...hs].reverse()) u.add(h);
    expect(u.digest()).toEqual(combineUnordered(hs));
  });

  test.prop([fc.array(fc.integer(), { maxLength: 10 }), fc.string({ maxLength: 20 })])('key53 is the digest cut to 53 bits, and reset starts afresh', (ws, s) => {
    const h = new Hasher().str('junk').word(7).reset();
    for (const w of ws) h.word(w);
    h.str(s);
    const d = new Hasher();
    for (const w of ws) d.word(w);
    const { hi, lo } = d.str(s).digest();
    expect(h.key53()).toBe((hi >>> 0) * 2097152 + (lo >>> 11));
  });
});
