import { describe, expect, it } from 'vitest';
import { boundedSearch, completeBounds, mutantBounds, targetLabel } from '../src/search/bounds.js';
import type { TargetBounds } from '../src/search/bounds.js';
import { systematic } from '../src/search/systematic.js';
import { systematicWithCoverage } from '../src/artifacts/explore-runset.js';
import { buildSystem } from '../src/protocols/index.js';
import { exploreTopology } from '../src/search/systematic.js';
import { worldModel } from '../src/search/world-model.js';
import type { WorldState } from '../src/search/world-model.js';
import type { Event } from '../src/kernel/events.js';
import type { TransitionSystem } from '../src/kernel/model.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paxcheck } from './cli.js';

// The compact frontier (src/search/compact) stores each queued state as the ids of its parts
// and hands the explorer a decoded copy: handlers and properties must not be able to tell the
// copy from the original, down to key order, a missing key against one holding undefined, and
// a Set against an array.
function shape(v: unknown): string {
  if (v === undefined) return 'u';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(shape).join(',')}]`;
  if (v instanceof Set) return `Set(${[...v].map(shape).join(',')})`;
  if (v instanceof Map) return `Map(${[...v].map(([k, x]) => `${shape(k)}=>${shape(x)}`).join(',')})`;
  const proto = Object.getPrototypeOf(v) === Object.prototype ? '' : (v.constructor as { name: string }).name;
  return `${proto}{${Object.entries(v).map(([k, x]) => `${k}:${shape(x)}`).join(',')}}`;
}

/** The first `n` states of a breadth-first walk of `ts`. */
function firstStates(ts: TransitionSystem<WorldState, Event>, n: number): WorldState[] {
  const seen = new Set<string>();
  const out: WorldState[] = [];
  const queue = [...ts.initial()];
  for (let i = 0; i < queue.length && out.length < n; i++) {
    const s = queue[i] as WorldState;
    const f = ts.fingerprint(s);
    const k = `${f.hi}:${f.lo}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(s);
    const acts: Event[] = [];
    ts.actions(s, acts);
    for (const a of acts) {
      const t = ts.next(s, a);
      if (t !== null) queue.push(t);
    }
  }
  return out;
}

const targets: readonly TargetBounds[] = [...completeBounds, ...mutantBounds.filter((m) => m.bounds.budget.crashes !== undefined || m.bounds.budget.storage !== undefined).slice(0, 3)];

describe('compact states', () => {
  for (const t of targets) {
    it(`${targetLabel(t)}${'mutant' in t ? ` ${String(t.mutant)}` : ''}: a decoded state is its original, to the shape`, () => {
      const sys = buildSystem({ protocol: t.protocol, service: t.service, mutant: 'mutant' in t ? (t.mutant as string) : undefined, topology: { ...exploreTopology, ...t.bounds.topology } });
      const ts = worldModel(sys, { budget: t.bounds.budget, maxBallots: t.bounds.ballots, maxTimerFires: t.bounds.timers });
      const codec = ts.codec;
      if (codec === undefined) throw new Error('the world model has no codec');
      const states = firstStates(ts, 1500);
      expect(states.length).toBeGreaterThan(100);
      for (const s of states) {
        const words: number[] = [7];
        expect(codec.encode(s, words, 1)).toBe(words.length);
        expect(words.every((w) => Number.isInteger(w) && w >= 0)).toBe(true);
        const d = codec.decode(words, 1);
        expect(shape(d)).toBe(shape(s));
        expect(ts.fingerprint(d)).toEqual(ts.fingerprint(s));
        const as: Event[] = [];
        const ad: Event[] = [];
        ts.actions(s, as);
        ts.actions(d, ad);
        expect(ad.map(ts.describe)).toEqual(as.map(ts.describe));
      }
    });
  }

  const counts = (r: ReturnType<typeof systematic>) => ({ distinct: r.distinctStates, generated: r.generated, depth: r.depth, complete: r.complete, violation: r.firstViolation?.property ?? null, at: r.firstViolation?.depth ?? null });
  for (const strategy of ['bfs', 'dfs'] as const) {
    for (const reductions of [false, true]) {
      it(`${strategy}${reductions ? ' with sleep sets and symmetry' : ''}: the same search whether states are kept compact or as objects`, () => {
        for (const t of [completeBounds[1], mutantBounds.find((m) => m.mutant === 'no-adopt')] as TargetBounds[]) {
          const o = { ...boundedSearch(t, reductions), strategy, maxStates: 20_000 };
          expect(counts(systematic({ ...o, compact: true }))).toEqual(counts(systematic({ ...o, compact: false })));
        }
      });
    }
  }

  it('graph coverage (carried through the frontier with each state) is the same either way', () => {
    const o = boundedSearch(completeBounds[0] as TargetBounds, true);
    const on = systematicWithCoverage({ ...o, compact: true }).summary.coverage;
    const off = systematicWithCoverage({ ...o, compact: false }).summary.coverage;
    expect(on).toEqual(off);
  });

  it('the CLI summary reports the whole process\'s peak memory per distinct state', () => {
    const out = mkdtempSync(join(tmpdir(), 'paxcheck-compact-'));
    const r = paxcheck(['explore', '--protocol', 'static', '--strategy', 'bfs', '--topology', 'proposers=2,acceptors=3,commands=2', '--budget', 'drops=1,ballots=3,timers=0', '--max-states', '3000', '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { distinctStates: number; peakRssMiB: number; rssBytesPerState: number; bytesPerState: number };
    expect(j.distinctStates).toBe(3000);
    // A node process alone is tens of MiB: the figure is the resident set, not the table.
    expect(j.peakRssMiB).toBeGreaterThan(20);
    expect(Math.abs(j.rssBytesPerState - (j.peakRssMiB * 1024 * 1024) / 3000)).toBeLessThan(1024 * 1024 / 3000 + 1);
    expect(j.rssBytesPerState).toBeGreaterThan(j.bytesPerState);
  });
});
