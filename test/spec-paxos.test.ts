import { describe, expect, it } from 'vitest';
import { explore } from '../src/search/bfs.js';
import type { TransitionSystem } from '../src/kernel/model.js';
import { isPacked } from '../src/kernel/model.js';
import { specPaxos } from '../src/protocols/spec-paxos/index.js';
import type { PaxosAction, PaxosState, SpecPaxos } from '../src/protocols/spec-paxos/index.js';

/** The same spec without the packed fast path: exercises the engine's generic loops. */
function generic(sp: SpecPaxos): TransitionSystem<PaxosState, PaxosAction> {
  return {
    name: `${sp.name} (generic)`,
    initial: () => sp.initial(),
    actions: (s, out) => sp.actions(s, out),
    next: (s, a) => sp.next(s, a),
    fingerprint: (s) => sp.fingerprint(s),
    invariants: sp.invariants,
    describe: (a) => sp.describe(a),
    show: (s) => sp.show(s),
  };
}

describe('spec-paxos (Paxos.tla, MCPaxos)', () => {
  // tlaplus/Examples manifest.json, MCPaxosTiny.cfg (MaxBallot = 1, 3 acceptors, 2 values, no
  // symmetry): distinctStates 3921, totalStates 23563, stateDepth 17.
  it('matches TLC on MCPaxosTiny (MaxBallot = 1): 3,921 distinct, 23,563 generated, depth 17', () => {
    const r = explore(specPaxos(1));
    expect(r.violation).toBeUndefined();
    expect(r.complete).toBe(true);
    expect(r.stoppedBy).toBeNull();
    expect(r.distinctStates).toBe(3921);
    expect(r.generated).toBe(23563);
    expect(r.depth).toBe(17);
  });

  it('gives the same counts through the generic (unpacked) loops, BFS and DFS', () => {
    const sp = specPaxos(1);
    expect(isPacked(sp)).toBe(true);
    expect(isPacked(generic(sp))).toBe(false);
    const g = explore(generic(sp));
    expect([g.distinctStates, g.generated, g.depth, g.complete]).toEqual([3921, 23563, 17, true]);
    // DFS expands every distinct state exactly once, so distinct and generated agree with BFS;
    // its depth is that of discovery paths, not shortest ones.
    for (const ts of [sp, generic(sp)]) {
      const d = explore(ts, { strategy: 'dfs' });
      expect([d.distinctStates, d.generated, d.complete]).toEqual([3921, 23563, true]);
      expect(d.depth).toBeGreaterThanOrEqual(17);
    }
  });

  it('pins MaxBallot = 2 (no published TLC figure; regression value)', () => {
    const r = explore(specPaxos(2));
    expect([r.distinctStates, r.generated, r.depth, r.complete]).toEqual([185369, 1361380, 25, true]);
    expect(r.violation).toBeUndefined();
  });

  it('enumerates TLC witnesses: stuttering Phase1a and per-quorum Phase2a successors', () => {
    const sp = specPaxos(1);
    const s0 = sp.initial()[0] as PaxosState;
    const out: PaxosAction[] = [];
    sp.actions(s0, out);
    expect(out.map((a) => sp.describe(a))).toEqual(['Phase1a(0)', 'Phase1a(1)']);
    const s1 = sp.next(s0, out[0] as PaxosAction) as PaxosState;
    expect(sp.show(s1)).toBe('maxBal=<<-1,-1,-1>> maxVBal=<<-1,-1,-1>> maxVal=<<None,None,None>> msgs={1a(0)}');
    out.length = 0;
    sp.actions(s1, out);
    expect(out.map((a) => sp.describe(a))).toEqual([
      'Phase1a(0)', // re-sends 1a(0): a stuttering step TLC still generates
      'Phase1a(1)',
      'Phase1b(a1) on 1a(0)',
      'Phase1b(a2) on 1a(0)',
      'Phase1b(a3) on 1a(0)',
    ]);
    // All three acceptors answer ballot 0: Phase2a(0, v) is enabled through all three quorums,
    // each a successor of its own (all equal).
    let s = s1;
    for (const a of out.slice(2)) s = sp.next(s, a) as PaxosState;
    out.length = 0;
    sp.actions(s, out);
    const p2a = out.map((a) => sp.describe(a)).filter((d) => d.startsWith('Phase2a'));
    expect(p2a).toEqual([
      'Phase2a(0, v1) with Q = {a1,a2}, Q1bv = {}',
      'Phase2a(0, v1) with Q = {a1,a3}, Q1bv = {}',
      'Phase2a(0, v1) with Q = {a2,a3}, Q1bv = {}',
      'Phase2a(0, v2) with Q = {a1,a2}, Q1bv = {}',
      'Phase2a(0, v2) with Q = {a1,a3}, Q1bv = {}',
      'Phase2a(0, v2) with Q = {a2,a3}, Q1bv = {}',
    ]);
    // A disabled action instance has no successor.
    expect(sp.next(s0, out.find((a) => sp.describe(a).startsWith('Phase2a')) as PaxosAction)).toBeNull();
  });

  it('bit-mask Inv and chosen agree with the literal transliteration on every reachable state (MaxBallot = 2)', () => {
    const sp = specPaxos(2);
    let withChosen = 0;
    let with2a = 0;
    const checked: TransitionSystem<PaxosState, PaxosAction> = {
      ...generic(sp),
      invariants: [
        {
          name: 'agree',
          holds: (s) => {
            if (sp.chosen(s) !== 0) withChosen++;
            if (sp.show(s).includes('2a(')) with2a++;
            return sp.inv(s) === sp.invReference(s) && sp.chosen(s) === sp.chosenReference(s) && sp.inv(s) && sp.typeOK(s);
          },
        },
      ],
    };
    const r = explore(checked);
    expect(r.violation).toBeUndefined();
    expect(r.distinctStates).toBe(185369);
    expect(withChosen).toBeGreaterThan(1000);
    expect(with2a).toBeGreaterThan(10000);
  });

  it('finds the shortest agreement violation when quorums need not intersect', () => {
    const sp = specPaxos(1, { quorumSize: 1 });
    const r = explore(sp);
    expect(r.complete).toBe(false);
    expect(r.stoppedBy).toBe('violation');
    const v = r.violation;
    expect(v?.name).toBe('Consistency');
    // One ballot per value, each needing 1a, 1b, 2a, 2b: 8 steps, and BFS finds no shorter.
    expect(v?.path.length).toBe(8);
    expect(v?.states?.length).toBe(9);
    let s = sp.initial()[v?.initialIndex ?? 0] as PaxosState;
    for (const a of v?.path ?? []) s = sp.next(s, a) as PaxosState;
    expect(sp.chosen(s)).toBe(0b11);
    expect(sp.consistency(s)).toBe(false);
    expect(v?.steps.filter((d) => d.startsWith('Phase2b')).length).toBe(2);
    // DFS finds a violation too, not necessarily a shortest one.
    const d = explore(sp, { strategy: 'dfs' });
    expect(d.violation?.name).toBe('Consistency');
    expect(d.violation?.path.length).toBeGreaterThanOrEqual(8);
  });

  it('honours maxDepth and maxStates', () => {
    const sp = specPaxos(1);
    const full = explore(sp, { maxDepth: 17 });
    expect([full.distinctStates, full.generated, full.complete]).toEqual([3921, 23563, true]);
    const cut = explore(sp, { maxDepth: 16 });
    expect(cut.complete).toBe(false);
    expect(cut.stoppedBy).toBe('maxDepth');
    expect(cut.depth).toBe(16);
    expect(cut.distinctStates).toBeLessThan(3921);
    const one = explore(sp, { maxDepth: 1 });
    expect([one.distinctStates, one.depth, one.complete]).toEqual([1, 1, false]);
    const few = explore(sp, { maxStates: 1000 });
    expect([few.distinctStates, few.complete, few.stoppedBy]).toEqual([1000, false, 'maxStates']);
    const exact = explore(sp, { maxStates: 3921 });
    expect([exact.distinctStates, exact.generated, exact.complete]).toEqual([3921, 23563, true]);
    const dfs = explore(sp, { strategy: 'dfs', maxStates: 500 });
    expect([dfs.distinctStates, dfs.complete]).toEqual([500, false]);
  });

  it('reports progress and throughput', () => {
    const seen: number[] = [];
    const r = explore(specPaxos(1), { progressEvery: 1000, onProgress: (p) => seen.push(p.distinctStates) });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen[seen.length - 1]).toBe(3921);
    expect(r.statesPerSec).toBeGreaterThan(0);
    expect(r.bytesPerState).toBeGreaterThan(0);
  });
});
