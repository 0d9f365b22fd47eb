// The result of one bfs shard on disk: `<out>/shards/<name>.json` (what the shard is and found)
// beside `<name>.bin` (its state records, little-endian Int32 rows, see shard-records.ts).
// The binary file is written first, each atomically, so a JSON file that exists names a
// complete binary one. `paxcheck report --in` merges them (explore/merge.ts).

import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { hashValue, hex64 } from '../kernel/hash.js';
import type { ShardPart } from '../scale/merge.js';
import type { ShardOutcome } from '../scale/shard.js';
import { BEYOND_FIELDS, STATE_FIELDS } from '../scale/shard-records.js';
import type { Target } from '../search/target.js';
import { targetKey } from '../search/target.js';
import { topologySchema } from '../scenario/schema.js';
import { VERSION } from '../version.js';
import { writeAtomic } from './atomic.js';
import { jsonFilesIn } from './report-dir.js';

export const SHARD_FORMAT = 'paxcheck-bfs-shard/1';

const count = z.number().int().nonnegative();

const targetSchema = z.union([
  z.object({ kind: z.literal('spec-paxos'), maxBallot: count }).strict(),
  z
    .object({
      kind: z.literal('kernel'),
      protocol: z.string(),
      service: z.string().nullable(),
      mutant: z.string().nullable(),
      topology: topologySchema,
      budget: z.record(z.string(), count),
      maxBallots: count,
      maxTimerFires: count.nullable(),
      symmetry: z.boolean(),
      module: z.object({ path: z.string(), hash: z.string() }).strict().nullable().optional(),
    })
    .strict(),
]);

/** What the replay of a kernel counterexample found, and the failure file written for it. */
const detailSchema = z.object({ property: z.string(), message: z.string(), slot: z.number().int().nullable(), file: z.string().nullable() });
export type ViolationDetail = z.infer<typeof detailSchema>;

const shardFileSchema = z.object({
  format: z.literal(SHARD_FORMAT),
  version: z.string(),
  target: targetSchema,
  maxDepth: count.nullable(),
  shard: z.object({ index: count, count: z.number().int().positive() }),
  splitDepth: count,
  frontier: count,
  initialStates: count,
  states: count,
  beyond: count,
  data: z.string(),
  violation: z.object({ name: z.string(), initialIndex: count, choices: z.array(count), detail: detailSchema.nullable() }).nullable(),
  wallMs: z.number().nonnegative(),
  /** Stopped by Ctrl-C before it finished (absent in older files: finished). */
  interrupted: z.boolean().optional(),
});

export type ShardFile = z.infer<typeof shardFileSchema>;

/** Shards of one search share this: same target, same bound, same split. */
export function searchKey(f: Pick<ShardFile, 'target' | 'maxDepth' | 'shard'>): string {
  return `${targetKey(f.target as Target)}|${f.maxDepth ?? ''}|${f.shard.count}`;
}

function fileBase(target: Target, maxDepth: number | null, index: number, n: number): string {
  const what = target.kind === 'spec-paxos' ? `spec-paxos-mb${target.maxBallot}` : `${target.protocol}${target.service ? `-${target.service}` : ''}-${target.mutant ?? 'ok'}`;
  const id = hex64(hashValue(`${targetKey(target)}|${maxDepth ?? ''}`)).slice(0, 8);
  return `${what.replace(/[^A-Za-z0-9_.+=-]/g, '_')}-bfs-${id}-shard${index}of${n}`;
}

/** Writes the shard's records and summary under `<dir>/shards/`; returns the JSON path. */
export function writeShard(dir: string, target: Target, maxDepth: number | null, o: ShardOutcome, detail: ViolationDetail | null): string {
  const base = fileBase(target, maxDepth, o.shard.index, o.shard.count);
  const { states, beyond } = o.records;
  const bytes = new Uint8Array(states.byteLength + beyond.byteLength);
  bytes.set(new Uint8Array(states.buffer, states.byteOffset, states.byteLength), 0);
  bytes.set(new Uint8Array(beyond.buffer, beyond.byteOffset, beyond.byteLength), states.byteLength);
  writeAtomic(join(dir, 'shards', `${base}.bin`), bytes);
  const file: ShardFile = {
    format: SHARD_FORMAT,
    version: VERSION,
    target: target as ShardFile['target'],
    maxDepth,
    shard: o.shard,
    splitDepth: o.splitDepth,
    frontier: o.frontier,
    initialStates: o.initialStates,
    states: states.length / STATE_FIELDS,
    beyond: beyond.length / BEYOND_FIELDS,
    data: `${base}.bin`,
    violation: o.violation ? { name: o.violation.name, initialIndex: o.violation.initialIndex, choices: [...o.violation.choices], detail } : null,
    wallMs: Math.round(o.wallMs),
    ...(o.interrupted ? { interrupted: true } : {}),
  };
  const path = join(dir, 'shards', `${base}.json`);
  writeAtomic(path, JSON.stringify(file) + '\n');
  return path;
}

export function readShardFile(path: string): ShardFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new InputError(`${path}: not a JSON shard file`);
  }
  const parsed = shardFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${path}: invalid shard file, field "${issue?.path.join('.') || '(root)'}": ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Loads the records a shard file names, checking their size. */
export function loadShard(path: string, f: ShardFile): ShardPart {
  const bin = join(dirname(path), basename(f.data));
  const want = (f.states * STATE_FIELDS + f.beyond * BEYOND_FIELDS) * 4;
  let size: number;
  try {
    size = statSync(bin).size;
  } catch {
    throw new InputError(`${path}: its records ${bin} are missing`);
  }
  if (size !== want) throw new InputError(`${path}: ${bin} holds ${size} bytes, expected ${want}`);
  const buf = readFileSync(bin);
  const words = new Int32Array(want / 4);
  new Uint8Array(words.buffer).set(buf);
  const n = f.states * STATE_FIELDS;
  const v = f.violation;
  return {
    shard: f.shard,
    splitDepth: f.splitDepth,
    initialStates: f.initialStates,
    records: { states: words.subarray(0, n), beyond: words.subarray(n) },
    violation: v ? { name: v.name, initialIndex: v.initialIndex, choices: v.choices } : null,
    interrupted: f.interrupted === true,
  };
}

/** Every shard file under `<dir>/shards/`, sorted by name. */
export function shardFilesIn(dir: string): string[] {
  return jsonFilesIn(dir, 'shards');
}
