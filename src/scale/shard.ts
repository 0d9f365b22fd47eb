// One shard of a breadth-first search split by frontier (`explore --shard i/n`): every shard
// runs the same BFS up to a split depth, takes the states at that depth in BFS order, keeps
// those whose position mod n is i, and searches on from them with the shallower states (and the
// other shards' frontier states) already visited. A state at distance ≥ the split depth from
// the initial states is reachable from some frontier state along a shortest path, so the
// shards' visited sets together hold exactly the unsharded one, and the shard owning the
// frontier state on a shortest path finds the true depth. Each shard records every state it
// reached (shard-records.ts) for merge.ts.
//
// The depth bound is handled here, not by the engine: the engine stops at the first state
// beyond the bound, but whether a successor lies beyond depends on states only other shards
// know. States at the bound get no successors in the engine; afterwards each is expanded once
// here and its successors this shard has not seen are recorded as "beyond" candidates.

import { exploreSteps, STEP_STATES } from '../search/bfs.js';
import type { StopFlag, Steps } from '../step/drive.js';
import { runSync } from '../step/drive.js';
import { FpTable } from '../search/fp-table.js';
import type { Invariant, PackedTransitionSystem, TransitionSystem } from '../kernel/model.js';
import { firstFailing, isPacked } from '../kernel/model.js';
import type { Shard } from '../sim/simulate.js';
import type { StateRecords } from './shard-records.js';
import { BEYOND_FIELDS, F_ACTION, F_DEPTH, F_HI, F_LO, F_OUT, F_PARENT_HI, F_PARENT_LO, IntRows, STATE_FIELDS } from './shard-records.js';
import type { IndexPath } from '../search/target.js';

export interface ShardOptions {
  readonly shard: Shard;
  /** Largest number of states on an explored path (initial states are depth 1), as in bfs.ts. */
  readonly maxDepth?: number;
  readonly checkInvariants?: boolean;
  /** Read at step boundaries: once up, the shard ends early and its outcome says `interrupted`. */
  readonly stop?: StopFlag;
  /** Called now and then with the number of states this shard has recorded. */
  readonly onProgress?: (recorded: number) => void;
}

export interface ShardViolation extends IndexPath {
  readonly name: string;
}

export interface ShardOutcome {
  readonly shard: Shard;
  /** Depth of the frontier that was split; the same for every shard of one search. */
  readonly splitDepth: number;
  readonly frontier: number;
  /** Initial states as the system lists them (duplicates included): they count as generated. */
  readonly initialStates: number;
  readonly records: StateRecords;
  /** This shard's first counterexample in BFS order, or null. */
  readonly violation: ShardViolation | null;
  readonly wallMs: number;
  /** Stopped by the stop flag: the records are a part of the shard's share (merge treats it as missing). */
  readonly interrupted: boolean;
}

/** Frontier states per shard the split depth aims for, so shards get comparable shares. */
const FRONTIER_PER_SHARD = 8;

// In-memory row layout: the file fields, with the parent as a row index, and an expand flag.
const R_HI = 0;
const R_LO = 1;
const R_DEPTH = 2;
const R_OUT = 3;
const R_PARENT = 4;
const R_ACTION = 5;
const R_EXPAND = 6;
const R_WIDTH = 7;

class Graph {
  readonly rows = new IntRows(R_WIDTH, 1 << 12);
  readonly table = new FpTable(1 << 12);

  /** Adds a state not seen before; returns its row, or -1 if it was seen. */
  add(hi: number, lo: number, depth: number, parent: number, action: number, expand: boolean): number {
    const rows = this.rows;
    const r = rows.length;
    if (this.table.putIfAbsent(hi, lo, r) >= 0) return -1;
    rows.add();
    rows.set(r, R_HI, hi);
    rows.set(r, R_LO, lo);
    rows.set(r, R_DEPTH, depth);
    rows.set(r, R_OUT, -1);
    rows.set(r, R_PARENT, parent);
    rows.set(r, R_ACTION, action);
    rows.set(r, R_EXPAND, expand ? 1 : 0);
    return r;
  }

  pathTo(row: number): IndexPath {
    const choices: number[] = [];
    let r = row;
    while (this.rows.get(r, R_PARENT) >= 0) {
      choices.push(this.rows.get(r, R_ACTION));
      r = this.rows.get(r, R_PARENT);
    }
    return { initialIndex: this.rows.get(r, R_ACTION), choices: choices.reverse() };
  }

  records(beyond: IntRows): StateRecords {
    const rows = this.rows;
    const n = rows.length;
    const states = new Int32Array(n * STATE_FIELDS);
    for (let r = 0; r < n; r++) {
      const o = r * STATE_FIELDS;
      const p = rows.get(r, R_PARENT);
      states[o + F_HI] = rows.get(r, R_HI);
      states[o + F_LO] = rows.get(r, R_LO);
      states[o + F_DEPTH] = rows.get(r, R_DEPTH);
      states[o + F_OUT] = rows.get(r, R_OUT);
      states[o + F_PARENT_HI] = p >= 0 ? rows.get(p, R_HI) : 0;
      states[o + F_PARENT_LO] = p >= 0 ? rows.get(p, R_LO) : 0;
      states[o + F_ACTION] = rows.get(r, R_ACTION);
    }
    return { states, beyond: beyond.view().slice() };
  }
}

function failing<S>(invs: readonly Invariant<S>[], s: S): string | null {
  return invs[firstFailing(invs, s)]?.name ?? null;
}

/** Runs shard `o.shard` of a BFS of `ts`; see the file comment. */
export function exploreShard<S, A>(ts: TransitionSystem<S, A>, o: ShardOptions): ShardOutcome {
  return runSync(exploreShardSteps(ts, o));
}

/** The split level's states this shard expands (every nth), marked as expanded by it. */
function shareOf<S>(g: Graph, level: readonly S[], levelRows: readonly number[], shard: ShardOptions['shard']): { mine: S[]; mineRows: number[] } {
  const mine: S[] = [];
  const mineRows: number[] = [];
  for (let j = 0; j < level.length; j++) {
    if (j % shard.count !== shard.index) continue;
    mine.push(level[j] as S);
    mineRows.push(levelRows[j] as number);
    g.rows.set(levelRows[j] as number, R_EXPAND, 1);
  }
  return { mine, mineRows };
}

/** exploreShard() as steps, for a driver that lets Ctrl-C in (step/drive.ts). */
export function* exploreShardSteps<S, A>(ts: TransitionSystem<S, A>, o: ShardOptions): Steps<ShardOutcome> {
  const t0 = performance.now();
  const maxDepth = o.maxDepth ?? Infinity;
  const invs = o.checkInvariants === false ? [] : (ts.invariants ?? []);
  const g = new Graph();
  const beyond = new IntRows(BEYOND_FIELDS);
  const inits = ts.initial();
  const done = (splitDepth: number, frontier: number, violation: ShardViolation | null): ShardOutcome => ({
    shard: o.shard,
    splitDepth,
    frontier,
    initialStates: inits.length,
    records: g.records(beyond),
    violation,
    wallMs: performance.now() - t0,
    interrupted: o.stop?.stopped === true,
  });

  // The prefix: the same plain BFS in every shard, level by level, until the level is large
  // enough to split (or the bound or the end of the graph is reached).
  let level: S[] = [];
  let levelRows: number[] = [];
  for (let i = 0; i < inits.length; i++) {
    const s = inits[i] as S;
    const fp = ts.fingerprint(s);
    const r = g.add(fp.hi, fp.lo, 1, -1, i, false);
    if (r < 0) continue;
    const bad = failing(invs, s);
    if (bad !== null) return done(1, 0, { name: bad, ...g.pathTo(r) });
    level.push(s);
    levelRows.push(r);
  }
  let depth = 1;
  const out: A[] = [];
  while (level.length > 0 && level.length < FRONTIER_PER_SHARD * o.shard.count && depth < maxDepth) {
    const next: S[] = [];
    const nextRows: number[] = [];
    for (let j = 0; j < level.length; j++) {
      const s = level[j] as S;
      const pr = levelRows[j] as number;
      out.length = 0;
      ts.actions(s, out);
      let generated = 0;
      for (let k = 0; k < out.length; k++) {
        const t = ts.next(s, out[k] as A);
        if (t === null) continue;
        generated++;
        const fp = ts.fingerprint(t);
        const r = g.add(fp.hi, fp.lo, depth + 1, pr, k, false);
        if (r < 0) continue;
        const bad = failing(invs, t);
        if (bad !== null) return done(depth + 1, 0, { name: bad, ...g.pathTo(r) });
        next.push(t);
        nextRows.push(r);
      }
      g.rows.set(pr, R_OUT, generated);
    }
    yield;
    if (o.stop?.stopped) return done(depth, 0, null);
    level = next;
    levelRows = nextRows;
    depth++;
  }

  const { mine, mineRows } = shareOf(g, level, levelRows, o.shard);
  const violation = mine.length > 0 ? yield* searchFrom(ts, g, beyond, mine, mineRows, maxDepth, invs, o) : null;
  return done(depth, level.length, violation);
}

/**
 * The states at the bound: every successor counts as generated; those this shard has not seen
 * may lie beyond the bound (the merge decides, knowing every shard's states).
 */
function* boundSuccessors<S, A>(ts: TransitionSystem<S, A>, g: Graph, beyond: IntRows, bound: readonly S[], boundRows: readonly number[], stop: ShardOptions['stop']): Steps<void> {
  const out: A[] = [];
  for (let j = 0; j < bound.length && !stop?.stopped; j++) {
    if (j % STEP_STATES === 0) yield;
    const s = bound[j] as S;
    const r = boundRows[j] as number;
    out.length = 0;
    ts.actions(s, out);
    let generated = 0;
    let lastHi = 0;
    let lastLo = 0;
    let hasLast = false;
    for (let k = 0; k < out.length; k++) {
      const t = ts.next(s, out[k] as A);
      if (t === null) continue;
      generated++;
      const fp = ts.fingerprint(t);
      if (g.table.get(fp.hi, fp.lo) >= 0) continue;
      if (hasLast && fp.hi === lastHi && fp.lo === lastLo) continue;
      const b = beyond.add();
      beyond.set(b, 0, r);
      beyond.set(b, 1, fp.hi);
      beyond.set(b, 2, fp.lo);
      beyond.set(b, 3, generated);
      lastHi = fp.hi;
      lastLo = fp.lo;
      hasLast = true;
    }
    g.rows.set(r, R_OUT, generated);
  }
}

/** What the shard's view of the graph tracks while the engine runs over it. */
interface Subgraph<S> {
  /** The row being expanded (its successors counted), or -1. */
  expanding: number;
  /** Set once an invariant failed: the rest of the search is the engine's wind-down. */
  frozen: boolean;
  failed: { name: string; row: number } | null;
  /** The row of the state discovered last (the one an invariant is checked on). */
  lastRow: number;
  readonly bound: S[];
  readonly boundRows: number[];
}

/**
 * The engine sees the shard's subgraph: its frontier states are the initial states, states of
 * the prefix have no successors, states at the bound are set aside.
 */
function shardSubgraph<S, A>(ts: TransitionSystem<S, A>, g: Graph, starts: S[], maxDepth: number, invs: readonly Invariant<S>[]): { system: TransitionSystem<S, A>; st: Subgraph<S> } {
  const st: Subgraph<S> = { expanding: -1, frozen: false, failed: null, lastRow: -1, bound: [], boundRows: [] };
  const rows = g.rows;
  const packed = isPacked(ts) ? (ts as unknown as PackedTransitionSystem<A>) : null;
  const copy = (s: S): S => (packed ? ((s as unknown as Int32Array).slice() as unknown as S) : s);

  const plain: TransitionSystem<S, A> = {
    name: ts.name,
    initial: () => starts,
    actions(s, out) {
      st.expanding = -1;
      if (st.frozen) {
        ts.actions(s, out);
        return;
      }
      const fp = ts.fingerprint(s);
      const r = g.table.get(fp.hi, fp.lo);
      if (r < 0 || rows.get(r, R_EXPAND) === 0) return;
      if (rows.get(r, R_DEPTH) >= maxDepth) {
        st.bound.push(copy(s));
        st.boundRows.push(r);
        return;
      }
      st.expanding = r;
      rows.set(r, R_OUT, 0);
      ts.actions(s, out);
    },
    next(s, a) {
      const t = ts.next(s, a);
      if (t !== null && st.expanding >= 0) rows.set(st.expanding, R_OUT, rows.get(st.expanding, R_OUT) + 1);
      return t;
    },
    fingerprint: (s) => ts.fingerprint(s),
    invariants: invs.map((inv) => ({
      name: inv.name,
      holds(s: S): boolean {
        if (inv.holds(s)) return true;
        st.failed = { name: inv.name, row: st.lastRow };
        st.frozen = true;
        st.expanding = -1;
        return false;
      },
    })),
    describe: (a) => ts.describe(a),
  };
  const wrapped: TransitionSystem<S, A> = packed
    ? ({
        ...plain,
        width: packed.width,
        nextInto(s: Int32Array, a: A, o: Int32Array): boolean {
          const ok = packed.nextInto(s, a, o);
          if (ok && st.expanding >= 0) rows.set(st.expanding, R_OUT, rows.get(st.expanding, R_OUT) + 1);
          return ok;
        },
      } as unknown as TransitionSystem<S, A>)
    : plain;

  return { system: wrapped, st };
}

/** BFS from this shard's frontier states through the engine, then the bound states. */
function* searchFrom<S, A>(
  ts: TransitionSystem<S, A>,
  g: Graph,
  beyond: IntRows,
  starts: S[],
  startRows: number[],
  maxDepth: number,
  invs: readonly Invariant<S>[],
  o: ShardOptions,
): Steps<ShardViolation | null> {
  const stop = o.stop;
  const rows = g.rows;
  let idRow = new Int32Array(1 << 12);
  const { system: wrapped, st } = shardSubgraph(ts, g, starts, maxDepth, invs);

  const onProgress = o.onProgress;
  yield* exploreSteps(wrapped, {
    strategy: 'bfs',
    stop,
    ...(onProgress ? { onProgress: () => onProgress(rows.length), progressEvery: 256 } : {}),
    onDiscover(id, hi, lo, parent, action) {
      if (id >= idRow.length) {
        const bigger = new Int32Array(idRow.length * 2);
        bigger.set(idRow);
        idRow = bigger;
      }
      if (parent < 0) {
        idRow[id] = startRows[action] as number;
      } else {
        const pr = idRow[parent] as number;
        const r = g.add(hi, lo, rows.get(pr, R_DEPTH) + 1, pr, action, true);
        idRow[id] = r >= 0 ? r : g.table.get(hi, lo);
      }
      st.lastRow = idRow[id] as number;
    },
  });
  const f = st.failed;
  if (f !== null) return { name: f.name, ...g.pathTo(f.row) };

  yield* boundSuccessors(ts, g, beyond, st.bound, st.boundRows, stop);
  return null;
}
