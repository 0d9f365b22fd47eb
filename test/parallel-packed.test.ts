import { describe, expect, it } from 'vitest';
import { exploreParallel } from '../src/scale/parallel.js';
import { explorePackedParallel } from '../src/scale/parallel-packed.js';
import { SharedFpTable } from '../src/scale/shared-fp-table.js';

// TLC's figures for MCPaxos (distinct, generated, depth).
const tlc = { 1: [3921, 23563, 17], 2: [185369, 1361380, 25] } as const;

describe('shared-table parallel BFS for the packed spec', () => {
  it('reports TLC counts with 2 and 3 workers', async () => {
    for (const workers of [2, 3]) {
      const r = await exploreParallel({ kind: 'spec-paxos', maxBallot: 1 }, { workers });
      expect([r.distinctStates, r.generated, r.depth, r.complete, r.stoppedBy]).toEqual([...tlc[1], true, null]);
    }
  });

  it('stays exact when the table fills up mid-level and levels are redone', async () => {
    for (const mb of [1, 2] as const) {
      const r = await explorePackedParallel(mb, { workers: 2 }, { initialSlots: 16, reservePerState: 0 });
      expect(r && [r.distinctStates, r.generated, r.depth]).toEqual([...tlc[mb]]);
    }
  });

  it('reports progress after each level', async () => {
    const depths: number[] = [];
    await explorePackedParallel(1, { workers: 2, onProgress: (p) => depths.push(p.depth) });
    expect(depths.at(-1)).toBe(17);
    expect(depths.slice(0, 16)).toEqual(Array.from({ length: 16 }, (_, i) => i + 2));
  });
});

describe('SharedFpTable', () => {
  it('inserts each fingerprint once, zero words included, and keeps them across growth', () => {
    let t = SharedFpTable.withSlots(16);
    const fps: [number, number][] = [[0, 0], [0, 1], [1, 0], [-1, 7], [7, -1]];
    for (let i = 1; i <= 8; i++) fps.push([i * 0x10001, -i]);
    for (const [hi, lo] of fps) expect(t.insert(hi, lo), `${hi},${lo}`).toBe(true);
    for (const [hi, lo] of fps) expect(t.insert(hi, lo)).toBe(false);
    t = t.grown(64);
    expect(t.slots).toBe(64);
    for (const [hi, lo] of fps) expect(t.insert(hi, lo)).toBe(false);
    expect(t.insert(12345, 678)).toBe(true);
  });
});
