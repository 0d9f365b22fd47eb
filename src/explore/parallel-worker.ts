// A worker thread of the multi-threaded BFS (see parallel.ts): owns the states whose fingerprint
// maps to it, expands its share of each level in rank order, routes successors to their owners,
// and orders the new states it owns by (parent rank, successor position).

import type { MessagePort } from 'node:worker_threads';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { FpTable } from './fp-table.js';
import type { Invariant, PackedTransitionSystem } from './model.js';
import { isPacked } from './model.js';
import type { Batch, FromWorker, PeerMessage, ToWorker, WorkerSetup } from './parallel-protocol.js';
import { packKey } from './parallel-protocol.js';
import { buildTarget } from './target.js';

/** A growable Int32 list. */
class Ints {
  buf: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Int32Array(Math.max(16, capacity));
  }

  push(x: number): void {
    if (this.length === this.buf.length) this.reserve(this.length + 1);
    this.buf[this.length++] = x;
  }

  reserve(n: number): void {
    if (n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < n) cap *= 2;
    const bigger = new Int32Array(cap);
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
  }
}

const BATCH = 4096;

const setup = workerData as WorkerSetup;
const port = parentPort as MessagePort;
const ts = buildTarget(setup.target);
const packed = isPacked(ts) ? (ts as unknown as PackedTransitionSystem<unknown>) : null;
const W = packed ? packed.width : 0;
const N = setup.workers;
const ME = setup.id;
const invariants: readonly Invariant<unknown>[] = setup.checkInvariants ? (ts.invariants ?? []) : [];
const ownerOf = (lo: number): number => (lo >>> 0) % N;

let peers: readonly (MessagePort | null)[] = [];

// Every state this worker owns, by local index: fingerprint → index, and how BFS first reached it.
const table = new FpTable(1 << 16);
const parentOwner = new Ints(1 << 16);
const parentLocal = new Ints(1 << 16);
const parentAction = new Ints(1 << 16);
let total = 0;

/** The level being expanded, in rank order. */
/** A level in rank order: the i-th state is slot order[i] of `words` / `states`. */
interface Level {
  readonly order: Int32Array;
  readonly local: Int32Array;
  readonly ranks: Int32Array;
  readonly words: Int32Array;
  readonly states: unknown[];
  readonly outdeg: Int32Array;
  cursor: number;
}
let cur: Level = { order: new Int32Array(0), local: new Int32Array(0), ranks: new Int32Array(0), words: new Int32Array(0), states: [], outdeg: new Int32Array(0), cursor: 0 };

/** The level being discovered: states by (index − base). */
let base = 0;
let nextWords = new Ints();
let nextStates: unknown[] = [];
let keyRank = new Ints();
let keyPos = new Ints();
let bestSource = new Ints();
let lists: Ints[] = [];
let violating: number[] = [];
let violatingNames: string[] = [];
let order: Int32Array = new Int32Array(0);

let round = -1;
let bound = false;
let selfDone = false;
let generated = 0;
let minBeyond = -1;
const pending = new Map<number, Batch[]>();
const ends = new Map<number, number>();

function reply(m: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
}

function failing(s: unknown): string | null {
  for (const inv of invariants) if (!inv.holds(s)) return inv.name;
  return null;
}

/** Offers a successor of the level being discovered (from `source`); keeps the least key. */
function offer(hi: number, lo: number, rank: number, pos: number, source: number, pOwner: number, pLocal: number, action: number, words: Int32Array | null, wordsAt: number, state: unknown): void {
  const had = table.putIfAbsent(hi, lo, total);
  if (had < 0) {
    const idx = total++;
    parentOwner.push(pOwner);
    parentLocal.push(pLocal);
    parentAction.push(action);
    let s: unknown = state;
    if (words) {
      const o = nextWords.length;
      nextWords.reserve(o + W);
      nextWords.buf.set(words.subarray(wordsAt, wordsAt + W), o);
      nextWords.length = o + W;
      s = nextWords.buf.subarray(o, o + W);
    } else nextStates.push(state);
    keyRank.push(rank);
    keyPos.push(pos);
    bestSource.push(source);
    (lists[source] as Ints).push(idx - base);
    const bad = failing(s);
    if (bad !== null) {
      violating.push(idx);
      violatingNames.push(bad);
    }
    return;
  }
  if (had < base) return;
  const j = had - base;
  const kr = keyRank.buf[j] as number;
  if (rank > kr || (rank === kr && pos >= (keyPos.buf[j] as number))) return;
  keyRank.buf[j] = rank;
  keyPos.buf[j] = pos;
  bestSource.buf[j] = source;
  parentOwner.buf[had] = pOwner;
  parentLocal.buf[had] = pLocal;
  parentAction.buf[had] = action;
  (lists[source] as Ints).push(j);
}

/** Outgoing successors for one peer. */
class Outbox {
  private n = 0;
  private fps = new Int32Array(2 * BATCH);
  private keys = new Int32Array(2 * BATCH);
  private parents = new Int32Array(2 * BATCH);
  private words = new Int32Array(BATCH * W);
  private states: unknown[] = [];

  constructor(private readonly to: MessagePort) {}

  add(hi: number, lo: number, rank: number, pos: number, pLocal: number, action: number, s: unknown): void {
    const i = this.n++;
    this.fps[2 * i] = hi;
    this.fps[2 * i + 1] = lo;
    this.keys[2 * i] = rank;
    this.keys[2 * i + 1] = pos;
    if (!bound) {
      this.parents[2 * i] = pLocal;
      this.parents[2 * i + 1] = action;
      if (packed) this.words.set(s as Int32Array, i * W);
      else this.states.push(s);
    }
    if (this.n === BATCH) this.flush();
  }

  flush(): void {
    if (this.n === 0) return;
    const n = this.n;
    const fps = this.fps.slice(0, 2 * n);
    const keys = this.keys.slice(0, 2 * n);
    let b: Batch;
    if (bound) b = { t: 'batch', round, n, fps, keys };
    else if (packed) b = { t: 'batch', round, n, fps, keys, parents: this.parents.slice(0, 2 * n), words: this.words.slice(0, n * W) };
    else b = { t: 'batch', round, n, fps, keys, parents: this.parents.slice(0, 2 * n), states: this.states };
    const transfer: ArrayBuffer[] = [fps.buffer, keys.buffer];
    if (b.parents) transfer.push(b.parents.buffer as ArrayBuffer);
    if (b.words) transfer.push(b.words.buffer as ArrayBuffer);
    this.to.postMessage(b, transfer);
    this.n = 0;
    this.states = [];
  }
}

function receive(b: Batch, source: number): void {
  const { fps, keys } = b;
  if (bound) {
    for (let i = 0; i < b.n; i++) {
      if (table.get(fps[2 * i] as number, fps[2 * i + 1] as number) >= 0) continue;
      const k = packKey(keys[2 * i] as number, keys[2 * i + 1] as number);
      if (minBeyond < 0 || k < minBeyond) minBeyond = k;
    }
    return;
  }
  const parents = b.parents as Int32Array;
  for (let i = 0; i < b.n; i++) {
    offer(
      fps[2 * i] as number,
      fps[2 * i + 1] as number,
      keys[2 * i] as number,
      keys[2 * i + 1] as number,
      source,
      source,
      parents[2 * i] as number,
      parents[2 * i + 1] as number,
      b.words ?? null,
      i * W,
      b.states?.[i],
    );
  }
}

function sameWords(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < W; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Expands the current level's states ranked below `toRank`, from the cursor on. */
function expand(toRank: number): void {
  const outboxes = peers.map((p) => (p ? new Outbox(p) : null));
  const out: unknown[] = [];
  let nxt = new Int32Array(W);
  let prev = new Int32Array(W);
  const route = (t: unknown, rank: number, pos: number, li: number, k: number): void => {
    const fp = ts.fingerprint(t);
    const o = ownerOf(fp.lo);
    if (o === ME) {
      if (bound) {
        if (table.get(fp.hi, fp.lo) < 0) {
          const key = packKey(rank, pos);
          if (minBeyond < 0 || key < minBeyond) minBeyond = key;
        }
      } else offer(fp.hi, fp.lo, rank, pos, ME, ME, li, k, packed ? (t as Int32Array) : null, 0, t);
      return;
    }
    (outboxes[o] as Outbox).add(fp.hi, fp.lo, rank, pos, li, k, t);
  };
  const n = cur.local.length;
  let i = cur.cursor;
  for (; i < n && (cur.ranks[i] as number) < toRank; i++) {
    const rank = cur.ranks[i] as number;
    const li = cur.local[i] as number;
    const j = cur.order[i] as number;
    const s: unknown = packed ? cur.words.subarray(j * W, (j + 1) * W) : cur.states[j];
    out.length = 0;
    ts.actions(s, out);
    let g = 0;
    let hasPrev = false;
    for (let k = 0; k < out.length; k++) {
      if (packed) {
        if (!packed.nextInto(s as Int32Array, out[k], nxt)) continue;
        g++;
        // A stuttering step, or the previous successor again: both already routed.
        if (sameWords(nxt, s as Int32Array) || (hasPrev && sameWords(nxt, prev))) continue;
        const t = prev;
        prev = nxt;
        nxt = t;
        hasPrev = true;
        route(prev, rank, g, li, k);
      } else {
        const t = ts.next(s, out[k]);
        if (t === null) continue;
        g++;
        route(t, rank, g, li, k);
      }
    }
    cur.outdeg[i] = g;
    generated += g;
    if ((i & 1023) === 1023) drainPeers();
  }
  cur.cursor = i;
  for (const ob of outboxes) ob?.flush();
  for (const p of peers) p?.postMessage({ t: 'end', round } satisfies PeerMessage);
}

/** Takes in what peers have sent so far, so their successors do not pile up until the level ends. */
function drainPeers(): void {
  peers.forEach((p, source) => {
    if (!p) return;
    for (let m = receiveMessageOnPort(p); m; m = receiveMessageOnPort(p)) onPeer(source, m.message as PeerMessage);
  });
}

function startRound(r: number, isBound: boolean): void {
  round = r;
  bound = isBound;
  selfDone = false;
  generated = 0;
  minBeyond = -1;
  if (!isBound) {
    base = total;
    nextWords = new Ints(packed ? 1024 * W : 16);
    nextStates = [];
    keyRank = new Ints();
    keyPos = new Ints();
    bestSource = new Ints();
    lists = Array.from({ length: N }, () => new Ints());
    violating = [];
    violatingNames = [];
  }
  for (const { b, source } of takePending(r)) receive(b, source);
}

const pendingSource = new WeakMap<Batch, number>();

function takePending(r: number): { b: Batch; source: number }[] {
  const list = pending.get(r) ?? [];
  pending.delete(r);
  return list.map((b) => ({ b, source: pendingSource.get(b) ?? 0 }));
}

/** Merges the per-source lists (each ascending by key) into the level's order. */
function finishLevel(): void {
  const heads = lists.map(() => 0);
  const count = total - base;
  const ord = new Int32Array(count);
  const keys = new Float64Array(count);
  let m = 0;
  for (;;) {
    let best = -1;
    let bestKey = 0;
    for (let s = 0; s < N; s++) {
      const l = lists[s] as Ints;
      let h = heads[s] as number;
      while (h < l.length && bestSource.buf[l.buf[h] as number] !== s) h++;
      heads[s] = h;
      if (h === l.length) continue;
      const j = l.buf[h] as number;
      const key = packKey(keyRank.buf[j] as number, keyPos.buf[j] as number);
      if (best < 0 || key < bestKey) {
        best = s;
        bestKey = key;
      }
    }
    if (best < 0) break;
    const h = heads[best] as number;
    const j = (lists[best] as Ints).buf[h] as number;
    heads[best] = h + 1;
    // A state the same source improved twice sits in its list twice; the later entry is stale.
    bestSource.buf[j] = -1;
    ord[m] = j;
    keys[m] = bestKey;
    m++;
  }
  if (m !== count) throw new Error(`worker ${ME}: ordered ${m} of ${count} new states`);
  order = ord;
  const posOf = new Int32Array(count);
  for (let p = 0; p < count; p++) posOf[ord[p] as number] = p;
  const vPos = new Int32Array(violating.length);
  const vLocal = new Int32Array(violating.length);
  violating.forEach((idx, i) => {
    vPos[i] = posOf[idx - base] as number;
    vLocal[i] = idx;
  });
  reply({ t: 'expanded', round, keys, violating: vPos, violatingLocal: vLocal, names: violatingNames, generated }, [keys.buffer]);
}

function tryFinish(): void {
  if (!selfDone || (ends.get(round) ?? 0) < N - 1) return;
  selfDone = false;
  ends.delete(round);
  if (bound) reply({ t: 'bounded', round, minKey: minBeyond, generated });
  else finishLevel();
}

function applyRanks(ranks: Int32Array): void {
  const n = order.length;
  const local = new Int32Array(n);
  for (let i = 0; i < n; i++) local[i] = base + (order[i] as number);
  cur = { order, local, ranks, words: nextWords.buf, states: nextStates, outdeg: new Int32Array(n), cursor: 0 };
  nextWords = new Ints(16);
  nextStates = [];
}

function sumBelow(rank: number): number {
  let s = 0;
  for (let i = 0; i < cur.ranks.length && (cur.ranks[i] as number) < rank; i++) s += cur.outdeg[i] as number;
  return s;
}

function onPeer(source: number, m: PeerMessage): void {
  if (m.t === 'end') {
    ends.set(m.round, (ends.get(m.round) ?? 0) + 1);
    if (m.round === round) tryFinish();
    return;
  }
  // A faster peer may start a round before this worker has: keep its batches until then.
  if (m.round !== round) {
    pendingSource.set(m, source);
    const l = pending.get(m.round);
    if (l) l.push(m);
    else pending.set(m.round, [m]);
    return;
  }
  receive(m, source);
}

function onCoordinator(m: ToWorker): void {
  switch (m.t) {
    case 'init': {
      peers = m.ports;
      peers.forEach((p, source) => p?.on('message', (msg: PeerMessage) => guard(() => onPeer(source, msg))));
      const inits = ts.initial();
      startRound(-1, false);
      for (let i = 0; i < m.initials.length; i++) {
        const idx = m.initials[i] as number;
        const s = inits[idx];
        const fp = ts.fingerprint(s);
        offer(fp.hi, fp.lo, 0, i, ME, -1, -1, idx, packed ? (s as Int32Array) : null, 0, s);
      }
      order = Int32Array.from({ length: total }, (_, i) => i);
      return;
    }
    case 'ranks':
      applyRanks(m.ranks);
      return;
    case 'expand':
      startRound(m.round, false);
      expand(Infinity);
      selfDone = true;
      tryFinish();
      return;
    case 'bound':
      startRound(m.round, true);
      expand(m.toRank);
      selfDone = true;
      tryFinish();
      return;
    case 'sum':
      reply({ t: 'sum', value: sumBelow(m.rank) });
      return;
    case 'parent':
      reply({ t: 'parent', owner: parentOwner.buf[m.local] as number, local: parentLocal.buf[m.local] as number, action: parentAction.buf[m.local] as number });
      return;
  }
}

function guard(f: () => void): void {
  try {
    f();
  } catch (err) {
    reply({ t: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

port.on('message', (m: ToWorker) => guard(() => onCoordinator(m)));
