// A worker thread of the shared-table parallel BFS (see parallel-packed.ts): takes chunks of the
// current level from a shared cursor, expands them, and appends the successors it is first to
// insert into the shared table to its own segments of the next level.

import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { specPaxos } from '../protocols/spec-paxos/index.js';
import type { LevelRequest, PackedFromWorker, PackedWorkerSetup } from './parallel-packed-protocol.js';
import { CTRL_CURSOR, CTRL_INSERTS, CTRL_LIMIT, CTRL_STOP, SEGMENT_STATES, STOP_FULL, STOP_VIOLATION } from './parallel-packed-protocol.js';
import { SharedFpTable } from './shared-fp-table.js';

/** States taken from the cursor at a time: small enough to balance, large enough to be rare. */
const CHUNK = 256;

const setup = workerData as PackedWorkerSetup;
const port = parentPort as MessagePort;
const ts = specPaxos(setup.maxBallot);
const W = ts.width;
const invariants = setup.checkInvariants ? ts.invariants : [];

let outSegments: SharedArrayBuffer[] = [];
let outCounts: number[] = [];
let outWords: Int32Array<ArrayBufferLike> = new Int32Array(0);
let outN = SEGMENT_STATES;

function append(s: Int32Array): void {
  if (outN === SEGMENT_STATES) {
    const buf = new SharedArrayBuffer(SEGMENT_STATES * W * 4);
    outSegments.push(buf);
    outCounts.push(0);
    outWords = new Int32Array(buf);
    outN = 0;
  }
  outWords.set(s, outN * W);
  outN++;
  outCounts[outCounts.length - 1] = outN;
}

function sameWords(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < W; i++) if (a[i] !== b[i]) return false;
  return true;
}

function expandLevel(m: LevelRequest): number {
  if (m.fresh) {
    outSegments = [];
    outCounts = [];
    outN = SEGMENT_STATES;
  }
  const table = new SharedFpTable(m.table);
  const ctrl = new Int32Array(m.ctrl);
  const limit = Atomics.load(ctrl, CTRL_LIMIT);
  const segs = m.segments.map((b) => new Int32Array(b));
  const starts: number[] = [0];
  for (const c of m.counts) starts.push((starts[starts.length - 1] as number) + c);
  const total = starts[starts.length - 1] as number;

  const cur = new Int32Array(W);
  let nxt = new Int32Array(W);
  let prev = new Int32Array(W);
  const out: number[] = [];
  let generated = 0;
  let seg = 0;
  for (;;) {
    if (Atomics.load(ctrl, CTRL_STOP) !== 0) return generated;
    const from = Atomics.add(ctrl, CTRL_CURSOR, CHUNK);
    if (from >= total) return generated;
    const to = Math.min(total, from + CHUNK);
    while ((starts[seg + 1] as number) <= from) seg++;
    while ((starts[seg] as number) > from) seg--;
    for (let g = from; g < to; g++) {
      while ((starts[seg + 1] as number) <= g) seg++;
      const off = (g - (starts[seg] as number)) * W;
      cur.set((segs[seg] as Int32Array).subarray(off, off + W));
      out.length = 0;
      ts.actions(cur, out);
      let hasPrev = false;
      for (let k = 0; k < out.length; k++) {
        if (!ts.nextInto(cur, out[k] as number, nxt)) continue;
        generated++;
        // Stuttering steps and repeats of the previous successor are known states (as in bfs.ts).
        if (sameWords(nxt, cur) || (hasPrev && sameWords(nxt, prev))) continue;
        const t = prev;
        prev = nxt;
        nxt = t;
        hasPrev = true;
        const fp = ts.fingerprint(prev);
        if (!table.insert(fp.hi, fp.lo)) continue;
        append(prev);
        for (const inv of invariants) {
          if (!inv.holds(prev)) Atomics.or(ctrl, CTRL_STOP, STOP_VIOLATION);
        }
        // Leaving at once (the level is redone) keeps the table from filling up: every thread
        // stops at its next insert, so the load passes the limit by at most one state per thread.
        if (Atomics.add(ctrl, CTRL_INSERTS, 1) + 1 >= limit) {
          Atomics.or(ctrl, CTRL_STOP, STOP_FULL);
          return generated;
        }
      }
    }
  }
}

port.on('message', (m: LevelRequest) => {
  let reply: PackedFromWorker;
  try {
    const generated = expandLevel(m);
    reply = { t: 'done', segments: outSegments, counts: outCounts, generated };
  } catch (e) {
    reply = { t: 'error', message: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
