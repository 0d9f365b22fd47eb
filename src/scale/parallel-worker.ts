// A worker thread of the multi-threaded BFS (see parallel.ts): owns the states whose fingerprint
// maps to it, expands its share of each level in rank order, routes successors to their owners,
// and orders the new states it owns by (parent rank, successor position).

import type { MessagePort } from 'node:worker_threads';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { FpTable } from '../search/fp-table.js';
import type { Invariant, PackedTransitionSystem } from '../kernel/model.js';
import { firstFailing, isPacked } from '../kernel/model.js';
import type { Batch, FromWorker, PeerMessage, ToWorker, WorkerSetup } from './parallel-protocol.js';
import { packKey } from './parallel-protocol.js';
import type { AnySystem } from '../search/target.js';

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
// A user protocol lives in a module the main thread loaded; this thread must load it too.
if (setup.target.kind === 'kernel' && setup.target.module) {
  await (await import('../loader/module.js')).loadProtocolModule(setup.target.module.path, setup.target.protocol);
}
const port = parentPort as MessagePort;
// Loading only what the target needs: the spec does not need the kernel and its protocols.
const ts: AnySystem =
  setup.target.kind === 'spec-paxos'
    ? ((await import('../protocols/spec-paxos/index.js')).specPaxos(setup.target.maxBallot) as unknown as AnySystem)
    : (await import('../search/target.js')).buildTarget(setup.target);
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

// The level being discovered, by slot j = local index − base: the state (or, for a state a peer
// holds, the index of its held successor), the least key so far and where it came from, and per
// source the slots whose least key it provided, in the (ascending) order it provided them.
let base = 0;
let nextWords = new Ints();
let nextStates: unknown[] = [];
let nextRef = new Ints();
let keyRank = new Ints();
let keyPos = new Ints();
let bestSource = new Ints();
let lists: Ints[] = [];
let violating: number[] = [];
let violatingNames: string[] = [];
let order: Int32Array = new Int32Array(0);
/** Successors sent to each peer this round, held until the peer asks for the new ones. */
let held: unknown[][] = [];

let round = -1;
let bound = false;
let selfDone = false;
let haves = 0;
let generated = 0;
let minBeyond = -1;
const pending = new Map<number, { m: PeerMessage; source: number }[]>();
const ends = new Map<number, number>();

function reply(m: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
}

const failing = (s: unknown): number => firstFailing(invariants, s);

/**
 * Offers a successor for the level being discovered and keeps the least key per state. The
 * state comes as words (packed), as an object (generated here), or as `ref`, the index of a
 * successor peer `source` holds, with `bad` its invariant verdict.
 */
function offer(hi: number, lo: number, rank: number, pos: number, source: number, pOwner: number, pLocal: number, action: number, words: Int32Array | null, wordsAt: number, state: unknown, ref: number, bad: number): void {
  const had = table.putIfAbsent(hi, lo, total);
  if (had < 0) {
    const idx = total++;
    parentOwner.push(pOwner);
    parentLocal.push(pLocal);
    parentAction.push(action);
    let verdict = bad;
    if (words) {
      const o = nextWords.length;
      nextWords.reserve(o + W);
      nextWords.buf.set(words.subarray(wordsAt, wordsAt + W), o);
      nextWords.length = o + W;
      verdict = failing(nextWords.buf.subarray(o, o + W));
    } else {
      nextStates.push(ref < 0 ? state : null);
      nextRef.push(ref);
      if (ref < 0) verdict = failing(state);
    }
    keyRank.push(rank);
    keyPos.push(pos);
    bestSource.push(source);
    (lists[source] as Ints).push(idx - base);
    if (verdict >= 0) {
      violating.push(idx);
      violatingNames.push((invariants[verdict] as Invariant<unknown>).name);
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
  if (!packed) {
    nextStates[j] = ref < 0 ? state : null;
    nextRef.buf[j] = ref;
  }
  (lists[source] as Ints).push(j);
}

/** Outgoing successors for one peer. */
class Outbox {
  private n = 0;
  private first = 0;
  private fps = new Int32Array(2 * BATCH);
  private keys = new Int32Array(2 * BATCH);
  private parents = new Int32Array(2 * BATCH);
  private words = new Int32Array(BATCH * W);
  private bad = new Int32Array(BATCH);

  constructor(
    private readonly to: MessagePort,
    private readonly keep: unknown[],
  ) {
    this.first = keep.length;
  }

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
      else {
        this.keep.push(s);
        this.bad[i] = failing(s) + 1;
      }
    }
    if (this.n === BATCH) this.flush();
  }

  /** Sends the batch, handing its arrays over to the peer (no copy), and starts new ones. */
  flush(): void {
    if (this.n === 0) return;
    const n = this.n;
    const { fps, keys, parents, words, bad } = this;
    const transfer: ArrayBuffer[] = [fps.buffer, keys.buffer];
    let b: Batch;
    if (bound) b = { t: 'batch', round, n, fps, keys };
    else if (packed) {
      transfer.push(parents.buffer, words.buffer);
      b = { t: 'batch', round, n, fps, keys, parents, words };
    } else {
      transfer.push(parents.buffer, bad.buffer);
      b = { t: 'batch', round, n, fps, keys, parents, first: this.first, bad };
    }
    this.to.postMessage(b satisfies PeerMessage, transfer);
    this.fps = new Int32Array(2 * BATCH);
    this.keys = new Int32Array(2 * BATCH);
    if (!bound) {
      this.parents = new Int32Array(2 * BATCH);
      if (packed) this.words = new Int32Array(BATCH * W);
      else this.bad = new Int32Array(BATCH);
    }
    this.n = 0;
    this.first = this.keep.length;
  }
}

function receive(b: Batch, source: number): void {
  const { fps, keys } = b;
  if (bound) {
    for (let i = 0; i < b.n; i++) {
      if (table.has(fps[2 * i] as number, fps[2 * i + 1] as number)) continue;
      const k = packKey(keys[2 * i] as number, keys[2 * i + 1] as number);
      if (minBeyond < 0 || k < minBeyond) minBeyond = k;
    }
    return;
  }
  const parents = b.parents as Int32Array;
  const first = b.first ?? 0;
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
      null,
      b.words ? -1 : first + i,
      b.bad ? (b.bad[i] as number) - 1 : -1,
    );
  }
}

function sameWords(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < W; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Takes in what peers have sent so far, so their successors do not pile up until the level ends. */
function drainPeers(): void {
  peers.forEach((p, source) => {
    if (!p) return;
    for (let m = receiveMessageOnPort(p); m; m = receiveMessageOnPort(p)) onPeer(source, m.message as PeerMessage);
  });
}

/** Expands the current level's states ranked below `toRank`, from the cursor on. */
function expand(toRank: number): void {
  const outboxes = peers.map((p, o) => (p ? new Outbox(p, held[o] as unknown[]) : null));
  const out: unknown[] = [];
  let nxt = new Int32Array(W);
  let prev = new Int32Array(W);
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
      let t: unknown;
      if (packed) {
        if (!packed.nextInto(s as Int32Array, out[k], nxt)) continue;
        g++;
        // A stuttering step, or the previous successor again: both already routed.
        if (sameWords(nxt, s as Int32Array) || (hasPrev && sameWords(nxt, prev))) continue;
        const x = prev;
        prev = nxt;
        nxt = x;
        hasPrev = true;
        t = prev;
      } else {
        t = ts.next(s, out[k]);
        if (t === null) continue;
        g++;
      }
      const fp = ts.fingerprint(t);
      const o = ownerOf(fp.lo);
      if (o !== ME) (outboxes[o] as Outbox).add(fp.hi, fp.lo, rank, g, li, k, t);
      else if (!bound) offer(fp.hi, fp.lo, rank, g, ME, ME, li, k, packed ? (t as Int32Array) : null, 0, t, -1, -1);
      else if (!table.has(fp.hi, fp.lo)) {
        const key = packKey(rank, g);
        if (minBeyond < 0 || key < minBeyond) minBeyond = key;
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

function startRound(r: number, isBound: boolean): void {
  round = r;
  bound = isBound;
  selfDone = false;
  haves = 0;
  generated = 0;
  minBeyond = -1;
  held = peers.map(() => []);
  if (!isBound) {
    base = total;
    nextWords = new Ints(packed ? 1024 * W : 16);
    nextStates = [];
    nextRef = new Ints();
    keyRank = new Ints();
    keyPos = new Ints();
    bestSource = new Ints();
    lists = Array.from({ length: N }, () => new Ints());
    violating = [];
    violatingNames = [];
  }
  const early = pending.get(r) ?? [];
  pending.delete(r);
  for (const { m, source } of early) onPeer(source, m);
}

/** The round's successors are all in: fetch the new states peers hold, then order the level. */
function allIn(): void {
  if (bound) return reply({ t: 'bounded', round, minKey: minBeyond, generated });
  if (packed || N === 1) return finishLevel();
  const refs = peers.map(() => new Ints());
  for (let j = 0; j < total - base; j++) {
    const s = bestSource.buf[j] as number;
    if (s !== ME) (refs[s] as Ints).push(nextRef.buf[j] as number);
  }
  peers.forEach((p, s) => p?.postMessage({ t: 'want', round, refs: (refs[s] as Ints).buf.slice(0, (refs[s] as Ints).length) } satisfies PeerMessage));
}

function onHave(source: number, states: readonly unknown[]): void {
  let k = 0;
  for (let j = 0; j < total - base; j++) if (bestSource.buf[j] === source) nextStates[j] = states[k++];
  if (++haves === N - 1) finishLevel();
}

/** Merges the per-source lists (each ascending by key) into the level's order. */
function finishLevel(): void {
  const heads = lists.map(() => 0);
  const count = total - base;
  const src = bestSource.buf.slice(0, count);
  const ord = new Int32Array(count);
  const keys = new Float64Array(count);
  let m = 0;
  for (;;) {
    let best = -1;
    let bestKey = 0;
    for (let s = 0; s < N; s++) {
      const l = lists[s] as Ints;
      let h = heads[s] as number;
      // Entries whose state later got a lesser key from another source are stale.
      while (h < l.length && src[l.buf[h] as number] !== s) h++;
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
    src[j] = -1;
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
  allIn();
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
  // A faster peer may start a round before this worker has: keep what it sends until then.
  if (m.round !== round) {
    const l = pending.get(m.round);
    if (l) l.push({ m, source });
    else pending.set(m.round, [{ m, source }]);
    return;
  }
  switch (m.t) {
    case 'batch':
      receive(m, source);
      return;
    case 'end':
      ends.set(m.round, (ends.get(m.round) ?? 0) + 1);
      tryFinish();
      return;
    case 'want': {
      const keep = held[source] as unknown[];
      const states = Array.from(m.refs, (r) => keep[r]);
      held[source] = [];
      (peers[source] as MessagePort).postMessage({ t: 'have', round, states } satisfies PeerMessage);
      return;
    }
    case 'have':
      onHave(source, m.states);
      return;
  }
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
        offer(fp.hi, fp.lo, 0, i, ME, -1, -1, idx, packed ? (s as Int32Array) : null, 0, s, -1, -1);
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
