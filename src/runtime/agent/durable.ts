import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { DurableStore, Json, Value } from '../../kernel/types.js';

// An agent's own durable storage in its data directory: one file per key, replaced atomically
// (write a temporary file, fsync it, rename it over the old one, fsync the directory), so a
// kill at any instant leaves either the old or the new value, never a torn one. Beside it the
// runtime keeps what the agent code does not: its incarnation counter and its decision log.

const KEY_PREFIX = 'key-';
const INCARNATION = 'incarnation';
export const DECISIONS = 'decisions.jsonl';

const fileOf = (key: string): string => KEY_PREFIX + encodeURIComponent(key);

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Everything `write` made durable; what a restarted agent's `recover` receives. */
export function readDurable(dir: string): DurableStore {
  const out: Record<string, Json> = {};
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(KEY_PREFIX)) continue;
    out[decodeURIComponent(name.slice(KEY_PREFIX.length))] = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Json;
  }
  return out;
}

/** Durable write of one key: resolves only once the new value survives a kill of the process. */
export async function writeDurable(dir: string, key: string, value: Json, seq: number): Promise<void> {
  const tmp = join(dir, `.tmp-${process.pid}-${seq}`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify(value));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, fileOf(key)));
  fsyncDir(dir);
}

/**
 * The incarnation of the process starting now: one more than the last. Ballots and request tags
 * embed it, so it must be durable before the agent does anything (a reused incarnation could
 * reuse a ballot whose appends are still in flight). -1 before the first start.
 */
export function nextIncarnation(dir: string): { inc: number; fresh: boolean } {
  mkdirSync(dir, { recursive: true });
  let last = -1;
  try {
    last = Number(readFileSync(join(dir, INCARNATION), 'utf8'));
  } catch {
    // first start: no file yet
  }
  const inc = Number.isInteger(last) ? last + 1 : 0;
  const tmp = join(dir, `.tmp-incarnation-${process.pid}`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, String(inc));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, INCARNATION));
  fsyncDir(dir);
  return { inc, fresh: inc === 0 };
}

export interface DecisionRecord {
  readonly slot: number;
  readonly value: Value;
  readonly inc: number;
}

/**
 * Appends a decision to the agent's decision log and fsyncs it before returning: a client is
 * acknowledged only after this, so an acknowledged command is on disk at the agent that said so.
 */
export function appendDecision(dir: string, rec: DecisionRecord): void {
  const fd = openSync(join(dir, DECISIONS), 'a');
  try {
    writeSync(fd, JSON.stringify(rec) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Every decision the agent logged, over all its incarnations; a torn last line is skipped. */
export function readDecisions(dir: string): DecisionRecord[] {
  let text = '';
  try {
    text = readFileSync(join(dir, DECISIONS), 'utf8');
  } catch {
    return [];
  }
  const out: DecisionRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const r = JSON.parse(line) as DecisionRecord;
      if (typeof r.slot === 'number' && typeof r.value === 'string') out.push(r);
    } catch {
      // a kill in the middle of an append leaves a partial line; it was never acknowledged
    }
  }
  return out;
}
