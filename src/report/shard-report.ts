// `paxcheck report --in DIR...`: the bfs shards found in the folders, grouped by search and
// merged into what one unsharded `explore` reports.

import { mergeShards } from '../scale/merge.js';
import type { ScaledSummary } from '../scale/scaled-summary.js';
import { describeViolation, scaledSummary } from '../scale/scaled-summary.js';
import type { Target } from '../search/target.js';
import { comparePaths } from '../search/target.js';
import type { ShardFile } from '../artifacts/shard-file.js';
import { loadShard, readShardFile, searchKey, shardFilesIn } from '../artifacts/shard-file.js';

export interface MergedExplore extends ScaledSummary {
  readonly maxDepth: number | null;
  readonly shards: number;
  /** Shard indices not found in the folders: the counts then cover part of the search. */
  readonly missing: readonly number[];
  /** True when the counts are those of the unsharded search (all shards, no violation). */
  readonly exact: boolean;
  readonly splitDepth: number;
  readonly files: readonly string[];
}

export interface MergedSearchReport {
  readonly target: Target;
  readonly summary: MergedExplore;
}

export function mergeShardDirs(dirs: readonly string[]): MergedSearchReport[] {
  const groups = new Map<string, { path: string; file: ShardFile }[]>();
  const seen = new Set<string>();
  for (const path of dirs.flatMap(shardFilesIn)) {
    if (seen.has(path)) continue;
    seen.add(path);
    const file = readShardFile(path);
    const k = searchKey(file);
    const g = groups.get(k);
    if (g) g.push({ path, file });
    else groups.set(k, [{ path, file }]);
  }
  return [...groups.values()].map((g) => mergeGroup(g));
}

function mergeGroup(g: readonly { path: string; file: ShardFile }[]): MergedSearchReport {
  const head = (g[0] as { path: string; file: ShardFile }).file;
  const target = head.target as Target;
  const m = mergeShards(
    g.map(({ path, file }) => loadShard(path, file)),
    head.maxDepth ?? undefined,
  );
  let first = null;
  if (m.violation) {
    const v = m.violation;
    const detail = g.map(({ file }) => file.violation).find((fv) => fv && fv.detail && comparePaths(fv, v) === 0)?.detail;
    first = detail ? { ...detail, depth: v.choices.length } : describeViolation(target, v, null);
  }
  // Shards run side by side (a CI matrix): the slowest one is the wall time.
  const wallMs = Math.max(...g.map(({ file }) => file.wallMs));
  return {
    target,
    summary: {
      ...scaledSummary(target, m, first, wallMs),
      maxDepth: head.maxDepth,
      shards: m.shards,
      missing: m.missing,
      exact: m.exact,
      splitDepth: head.splitDepth,
      files: g.map(({ path }) => path),
    },
  };
}
