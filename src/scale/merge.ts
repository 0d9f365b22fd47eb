// Merges the records of the shards of one frontier-split BFS (shard.ts) into the numbers one
// unsharded BFS of bfs.ts reports, TLC-style:
//
// - distinctStates: the union of the shards' states by fingerprint;
// - depth: each state's depth is the least any shard found (the owner of the frontier state on a
//   shortest path finds the true one); the search depth is the largest;
// - generated: the initial states plus the out-degree of every expanded state. An unsharded
//   search that meets a state beyond the depth bound stops right there, so its count depends on
//   the order it expands the states at the bound in. That order is rebuilt here level by level:
//   BFS discovers a state from its first parent in BFS order, by the first action, so each
//   level is sorted by (rank of the parent, action index) over the shards' records of the state.
//
// A violation stops every search at a different point, so then only the counterexample is
// exact: the shortest one, first in BFS order, which is the one the unsharded search reports.

import { InputError } from '../errors.js';
import { FpTable } from '../search/fp-table.js';
import type { ShardViolation } from './shard.js';
import type { StateRecords } from './shard-records.js';
import { BEYOND_FIELDS, F_ACTION, F_DEPTH, F_HI, F_LO, F_OUT, F_PARENT_HI, F_PARENT_LO, STATE_FIELDS } from './shard-records.js';
import type { Shard } from '../sim/simulate.js';
import { comparePaths } from '../search/target.js';

export interface ShardPart {
  readonly shard: Shard;
  readonly splitDepth: number;
  readonly initialStates: number;
  readonly records: StateRecords;
  readonly violation: ShardViolation | null;
  /** The shard was stopped (Ctrl-C) before it finished: its records are partial, so it counts as missing. */
  readonly interrupted?: boolean;
}

export interface MergedSearch {
  readonly distinctStates: number;
  readonly generated: number;
  readonly depth: number;
  readonly complete: boolean;
  readonly stoppedBy: 'violation' | 'maxDepth' | null;
  readonly violation: ShardViolation | null;
  /** Shards the search was split into, and those not given. */
  readonly shards: number;
  readonly missing: readonly number[];
  /** True when the counts equal what the unsharded search reports (no violation, no shard missing). */
  readonly exact: boolean;
}

/** Union of the shards' states: per state its least depth and its out-degree. */
class Union {
  readonly table: FpTable;
  readonly depth: Int32Array;
  readonly out: Int32Array;
  size = 0;

  constructor(rows: number) {
    this.table = new FpTable(rows);
    this.depth = new Int32Array(rows);
    this.out = new Int32Array(rows);
  }

  add(hi: number, lo: number, depth: number, out: number): void {
    const had = this.table.putIfAbsent(hi, lo, this.size);
    if (had < 0) {
      const v = this.size++;
      this.depth[v] = depth;
      this.out[v] = out;
      return;
    }
    if (depth < (this.depth[had] as number)) this.depth[had] = depth;
    if (out < 0) return;
    const known = this.out[had] as number;
    if (known >= 0 && known !== out) throw new InputError('shards disagree on the successors of a state (a nondeterministic model, or shards of different searches)');
    this.out[had] = out;
  }

  of(hi: number, lo: number): number {
    return this.table.get(hi, lo);
  }
}

/** The shards of one search, one per index (a repeated index kept once), and the indices missing. */
function matchingShards(parts: readonly ShardPart[], first: ShardPart): { shards: ShardPart[]; missing: number[] } {
  const count = first.shard.count;
  const byIndex = new Map<number, ShardPart>();
  for (const p of parts) {
    if (p.shard.count !== count || p.splitDepth !== first.splitDepth || p.initialStates !== first.initialStates) {
      throw new InputError(`shard ${p.shard.index}/${p.shard.count} does not belong to the search of shard ${first.shard.index}/${count}`);
    }
    if (!byIndex.has(p.shard.index)) byIndex.set(p.shard.index, p);
  }
  const shards = [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index);
  const missing: number[] = [];
  for (let i = 0; i < count; i++) if (!byIndex.has(i)) missing.push(i);
  return { shards, missing };
}

export function mergeShards(given: readonly ShardPart[], maxDepth?: number): MergedSearch {
  // An interrupted shard holds part of its share (its split may not even be the others'): merged,
  // it would make the counts look exact, so it is left out and listed as missing.
  const parts = given.filter((p) => p.interrupted !== true);
  const first = parts[0];
  if (!first) throw new InputError(given.length > 0 ? 'every shard given was interrupted: nothing to merge' : 'no shard to merge');
  const { shards, missing } = matchingShards(parts, first);
  const rows = shards.reduce((n, p) => n + p.records.states.length / STATE_FIELDS, 0);
  const u = new Union(rows);
  for (const p of shards) {
    const st = p.records.states;
    for (let o = 0; o < st.length; o += STATE_FIELDS) u.add(st[o + F_HI] as number, st[o + F_LO] as number, st[o + F_DEPTH] as number, st[o + F_OUT] as number);
  }
  const bound = maxDepth ?? Infinity;
  let depth = 0;
  for (let v = 0; v < u.size; v++) depth = Math.max(depth, u.depth[v] as number);

  // The first successor of each bound state that no shard reached lies beyond the bound.
  const firstBeyond = new Int32Array(u.size);
  let anyBeyond = false;
  for (const p of shards) {
    const st = p.records.states;
    const by = p.records.beyond;
    for (let o = 0; o < by.length; o += BEYOND_FIELDS) {
      if (u.of(by[o + 1] as number, by[o + 2] as number) >= 0) continue;
      const row = (by[o] as number) * STATE_FIELDS;
      const v = u.of(st[row + F_HI] as number, st[row + F_LO] as number);
      const gi = by[o + 3] as number;
      if (firstBeyond[v] === 0 || gi < (firstBeyond[v] as number)) firstBeyond[v] = gi;
      anyBeyond = true;
    }
  }

  const violation = shards.reduce<ShardViolation | null>((best, p) => (p.violation && (!best || comparePaths(p.violation, best) < 0) ? p.violation : best), null);
  let exact = violation === null && missing.length === 0;
  let generated = first.initialStates;
  for (let v = 0; v < u.size; v++) {
    if ((u.depth[v] as number) >= bound) continue;
    const out = u.out[v] as number;
    if (out < 0) exact = false;
    else generated += out;
  }
  let stoppedBy: MergedSearch['stoppedBy'] = violation ? 'violation' : null;
  if (!anyBeyond) {
    for (let v = 0; v < u.size; v++) if ((u.depth[v] as number) >= bound) generated += Math.max(0, u.out[v] as number);
  } else if (!violation) {
    stoppedBy = 'maxDepth';
    const rank = bfsRanks(shards, u, bound);
    let stop = -1;
    for (let v = 0; v < u.size; v++) {
      if (firstBeyond[v] !== 0 && (stop < 0 || (rank[v] as number) < (rank[stop] as number))) stop = v;
    }
    for (let v = 0; v < u.size; v++) {
      if ((u.depth[v] as number) === bound && (rank[v] as number) < (rank[stop] as number)) generated += u.out[v] as number;
    }
    generated += firstBeyond[stop] as number;
  }
  return {
    distinctStates: u.size,
    generated,
    depth,
    complete: stoppedBy === null && missing.length === 0,
    stoppedBy,
    violation,
    shards: first.shard.count,
    missing,
    exact,
  };
}

/**
 * Each state's position within its level in the order an unsharded BFS discovers it, for levels
 * up to `bound`: sorted by (rank of the first parent, action index), initial states by index.
 */
function bfsRanks(shards: readonly ShardPart[], u: Union, bound: number): Int32Array {
  // Records that reach a state at its least depth, bucketed by that depth.
  const levels: number[][] = [];
  const cands: { parent: number[]; action: number[]; state: number[] } = { parent: [], action: [], state: [] };
  for (const p of shards) {
    const st = p.records.states;
    for (let o = 0; o < st.length; o += STATE_FIELDS) {
      const v = u.of(st[o + F_HI] as number, st[o + F_LO] as number);
      const d = st[o + F_DEPTH] as number;
      if (d !== u.depth[v] || d > bound) continue;
      const parent = d === 1 ? -1 : u.of(st[o + F_PARENT_HI] as number, st[o + F_PARENT_LO] as number);
      const c = cands.state.length;
      cands.state.push(v);
      cands.parent.push(parent);
      cands.action.push(st[o + F_ACTION] as number);
      (levels[d] ??= []).push(c);
    }
  }
  const rank = new Int32Array(u.size).fill(-1);
  const bestParent = new Int32Array(u.size).fill(-1);
  const bestAction = new Int32Array(u.size).fill(-1);
  for (let d = 1; d < levels.length; d++) {
    const members: number[] = [];
    for (const c of levels[d] ?? []) {
      const v = cands.state[c] as number;
      const parent = cands.parent[c] as number;
      const pr = parent < 0 ? -1 : (rank[parent] as number);
      if (parent >= 0 && pr < 0) throw new Error(`merge: the parent of a state at depth ${d} is not at depth ${d - 1}`);
      const a = cands.action[c] as number;
      const bp = bestParent[v] as number;
      const ba = bestAction[v] as number;
      if (ba < 0) members.push(v);
      if (ba < 0 || pr < bp || (pr === bp && a < ba)) {
        bestParent[v] = pr;
        bestAction[v] = a;
      }
    }
    members.sort((x, y) => (bestParent[x] as number) - (bestParent[y] as number) || (bestAction[x] as number) - (bestAction[y] as number));
    for (let i = 0; i < members.length; i++) rank[members[i] as number] = i;
  }
  return rank;
}
