import { describe, expect, it } from 'vitest';
import { VisitedSet } from '../src/search/visited.js';

/** xorshift32: deterministic pseudo-random words for the tests. */
function words(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

describe('VisitedSet', () => {
  it('assigns ids in insertion order and reports duplicates', () => {
    const v = new VisitedSet(4);
    expect(v.add(1, 2, -1, 0)).toBe(0);
    expect(v.add(3, 4, 0, 7)).toBe(1);
    expect(v.add(1, 2, 1, 9)).toBe(-1);
    expect(v.size).toBe(2);
    expect(v.has(3, 4)).toBe(true);
    expect(v.has(4, 3)).toBe(false);
    expect(v.parent(1)).toBe(0);
    expect(v.action(1)).toBe(7);
    expect(v.parent(0)).toBe(-1);
    // the duplicate did not overwrite the first record
    expect(v.action(0)).toBe(0);
    expect(() => v.parent(2)).toThrow(RangeError);
  });

  it('keeps (0, 0) apart from the empty marker', () => {
    const v = new VisitedSet(4);
    expect(v.has(0, 0)).toBe(false);
    expect(v.add(0, 0, -1, 0)).toBe(0);
    expect(v.has(0, 0)).toBe(true);
    expect(v.add(0, 0, -1, 0)).toBe(-1);
    expect(v.add(0xffffffff, 0xffffffff, 0, 1)).toBe(1);
    expect(v.has(-1, -1)).toBe(true);
  });

  it('survives growth with every fingerprint, parent and action intact', () => {
    const v = new VisitedSet(16);
    const next = words(12345);
    const his: number[] = [];
    const los: number[] = [];
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const hi = next();
      const lo = next();
      his.push(hi);
      los.push(lo);
      expect(v.add(hi, lo, i - 1, i % 1000)).toBe(i);
    }
    expect(v.size).toBe(n);
    for (let i = 0; i < n; i++) {
      if (!v.has(his[i] as number, los[i] as number)) throw new Error(`lost ${i}`);
      if (v.add(his[i] as number, los[i] as number, 0, 0) !== -1) throw new Error(`duplicate ${i} accepted`);
    }
    expect(v.parent(n - 1)).toBe(n - 2);
    expect(v.action(n - 1)).toBe((n - 1) % 1000);
    const miss = words(999);
    for (let i = 0; i < 1000; i++) expect(v.has(miss() ^ 0x5a5a5a5a, miss())).toBe(false);
  });

  it('stays within 16 bytes of table per state once grown, and reports the rest', () => {
    const v = new VisitedSet(16);
    const next = words(7);
    for (let i = 0; i < 300_000; i++) {
      v.add(next(), next(), i - 1, 0);
      if (i > 1000 && i % 997 === 0) {
        expect(v.tableBytesPerState).toBeLessThanOrEqual(16.01);
        expect(v.load).toBeLessThanOrEqual(0.7);
      }
    }
    expect(v.tableBytesPerState).toBeGreaterThanOrEqual(8 / 0.7 - 0.01);
    // + Int32 parent and Uint16 action, sized to the fill limit
    expect(v.bytesPerState).toBeLessThanOrEqual(16.01 + 6 * 1.41);
  });

  it('widens action storage past 65535', () => {
    const v = new VisitedSet(4);
    v.add(1, 1, -1, 5);
    v.add(2, 2, 0, 70_000);
    expect(v.action(0)).toBe(5);
    expect(v.action(1)).toBe(70_000);
    for (let i = 3; i < 100; i++) v.add(i, i, 0, i);
    expect(v.action(1)).toBe(70_000);
    expect(v.action(96)).toBe(97);
  });
});
