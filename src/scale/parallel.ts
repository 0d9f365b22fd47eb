// Breadth-first search on worker threads (`explore --workers N`), reporting exactly what the
// single-threaded BFS of bfs.ts reports.
//
// Each state is owned by one worker, chosen by its fingerprint. The search goes level by level:
// every worker expands its share of the level, sends each successor to its owner, and the owner
// keeps the new ones. Splitting the frontier instead (as `--shard` must, having no channel
// between machines) would leave each worker searching most of the graph: Paxos state graphs
// re-converge, so the subgraphs below different frontier states overlap almost entirely.
//
// Exactness where the single-threaded search stops part-way (a violation, --max-states, a state
// beyond --max-depth): that search discovers the states of a level in the order of (position of
// the parent in its level, position of the successor among the parent's), so the workers carry
// that key with every successor, keep the least per state, and the coordinator ranks each level
// by merging the workers' sorted keys. The stopping point is then the least-ranked state that
// stops it, and the counts are those up to it. At the depth bound the level is expanded in
// growing chunks of ranks, so a search cut by the bound does not expand much more than the
// single-threaded one, which stops at the first state beyond.

import { MessageChannel } from 'node:worker_threads';
import type { Worker } from 'node:worker_threads';
import { startThread } from './thread.js';
import type { MessagePort } from 'node:worker_threads';
import { FpTable } from '../search/fp-table.js';
import { explorePackedParallel } from './parallel-packed.js';
import type { ParallelOptions, ParallelResult } from './parallel-options.js';
import { STOPPED, untilStopped } from './parallel-options.js';

export type { ParallelOptions, ParallelResult } from './parallel-options.js';
import type { FromWorker, ToWorker, WorkerSetup } from './parallel-protocol.js';
import { keyParent, keyPosition } from './parallel-protocol.js';
import type { ShardViolation } from './shard.js';
import type { Target } from '../search/target.js';
import { buildTarget } from '../search/target.js';


/** First chunk of ranks expanded at the depth bound; chunks double. */
const FIRST_BOUND_CHUNK = 256;

type Reply<T extends FromWorker['t']> = Extract<FromWorker, { t: T }>;

/** A worker thread and the replies it owes, in request order. */
class Peer {
  private readonly waiting: { resolve: (m: FromWorker) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | null = null;

  constructor(readonly worker: Worker) {
    worker.on('message', (m: FromWorker) => {
      if (m.t === 'error') return this.fail(new Error(`explore worker: ${m.message}`));
      this.waiting.shift()?.resolve(m);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`explore worker exited with code ${code}`)));
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.splice(0)) w.reject(e);
  }

  send(m: ToWorker, transfer: (ArrayBuffer | MessagePort)[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  ask<T extends FromWorker['t']>(m: ToWorker, t: T): Promise<Reply<T>> {
    return new Promise<Reply<T>>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiting.push({
        resolve: (r) => (r.t === t ? resolve(r as Reply<T>) : reject(new Error(`explore worker: expected ${t}, got ${r.t}`))),
        reject,
      });
      this.send(m);
    });
  }
}

/** Global ranks of sorted key lists: ranks[w][i] is the position of keys[w][i] among all. */
function mergeRanks(keys: readonly Float64Array[]): Int32Array[] {
  const ranks = keys.map((k) => new Int32Array(k.length));
  const heads = keys.map(() => 0);
  let r = 0;
  for (;;) {
    let best = -1;
    for (let w = 0; w < keys.length; w++) {
      const k = keys[w] as Float64Array;
      const h = heads[w] as number;
      if (h < k.length && (best < 0 || (k[h] as number) < ((keys[best] as Float64Array)[heads[best] as number] as number))) best = w;
    }
    if (best < 0) return ranks;
    (ranks[best] as Int32Array)[heads[best] as number] = r++;
    heads[best] = (heads[best] as number) + 1;
  }
}

/**
 * Where the single-threaded search would stop in a level: the least-ranked state that is one
 * too many (`room` states fit) or violates an invariant, the bound check first, as in bfs.ts.
 */
function stoppingPoint(replies: readonly Reply<'expanded'>[], ranks: readonly Int32Array[], room: number) {
  const size = replies.reduce((s, x) => s + x.keys.length, 0);
  let stopRank = Infinity;
  let stopBy: 'maxStates' | 'violation' | null = null;
  if (size > room) {
    stopRank = room;
    stopBy = 'maxStates';
  }
  let vio: { w: number; i: number } | null = null;
  replies.forEach((x, w) => {
    for (let i = 0; i < x.violating.length; i++) {
      const rk = (ranks[w] as Int32Array)[x.violating[i] as number] as number;
      if (rk < stopRank) {
        stopRank = rk;
        stopBy = 'violation';
        vio = { w, i };
      }
    }
  });
  let at: { w: number; pos: number } | null = null;
  if (stopBy !== null) {
    replies.forEach((_x, w) => {
      const rs = ranks[w] as Int32Array;
      for (let pos = 0; pos < rs.length; pos++) if (rs[pos] === stopRank) at = { w, pos };
    });
  }
  return { stopRank, stopBy: stopBy as 'maxStates' | 'violation' | null, vio: vio as { w: number; i: number } | null, at: at as { w: number; pos: number } | null };
}

/**
 * The initial states as bfs.ts takes them (in order, duplicates generated but skipped), each
 * owned by the worker its fingerprint names; or where they already end the search.
 */
function ownInitials(ts: ReturnType<typeof buildTarget>, n: number, maxStates: number, invariants: readonly { readonly name: string; holds(s: unknown): boolean }[]) {
  const inits = ts.initial();
  const seen = new FpTable(16);
  const owned: number[][] = Array.from({ length: n }, () => []);
  const initRanks: number[][] = Array.from({ length: n }, () => []);
  let generated = 0;
  let distinct = 0;
  let depth = 0;
  let stop: 'maxStates' | ShardViolation | null = null;
  for (let i = 0; i < inits.length; i++) {
    generated++;
    const fp = ts.fingerprint(inits[i]);
    if (seen.get(fp.hi, fp.lo) >= 0) continue;
    if (distinct >= maxStates) {
      stop = 'maxStates';
      break;
    }
    seen.putIfAbsent(fp.hi, fp.lo, i);
    distinct++;
    const bad = invariants.find((inv) => !inv.holds(inits[i]));
    if (bad) {
      stop = { name: bad.name, initialIndex: i, choices: [] };
      break;
    }
    depth = 1;
    const w = (fp.lo >>> 0) % n;
    (owned[w] as number[]).push(i);
    (initRanks[w] as number[]).push(distinct - 1);
  }
  return { generated, distinct, depth, owned, initRanks, stop };
}

/**
 * The single-threaded search's counts up to the stopping point of a level (the states before it,
 * the successors generated before it) and, when it is a violation, its path.
 */
async function stopInLevel(peers: readonly Peer[], replies: readonly Reply<'expanded'>[], p: ReturnType<typeof stoppingPoint>): Promise<{ generated: number; distinct: number; violation: ShardViolation | null }> {
  if (!p.at) throw new Error('explore workers: lost the stopping state');
  const key = (replies[p.at.w] as Reply<'expanded'>).keys[p.at.pos] as number;
  const sums = await Promise.all(peers.map((q) => q.ask({ t: 'sum', rank: keyParent(key) }, 'sum')));
  const generated = sums.reduce((s, x) => s + x.value, 0) + keyPosition(key);
  if (p.stopBy === 'maxStates') return { generated, distinct: p.stopRank, violation: null };
  const v = p.vio;
  if (!v) throw new Error('explore workers: lost the violation');
  const x = replies[v.w] as Reply<'expanded'>;
  const path = await pathTo(peers, v.w, x.violatingLocal[v.i] as number);
  return { generated, distinct: p.stopRank + 1, violation: { name: x.names[v.i] as string, ...path } };
}

export async function exploreParallel(target: Target, o: ParallelOptions): Promise<ParallelResult> {
  // A complete search of the packed spec runs on a shared visited set; it yields (null) where the
  // stopping point must follow discovery order.
  if (target.kind === 'spec-paxos' && (o.maxDepth ?? Infinity) === Infinity && (o.maxStates ?? Infinity) === Infinity) {
    const r = await explorePackedParallel(target.maxBallot, o);
    if (r) return r;
  }
  const t0 = performance.now();
  const n = o.workers;
  const maxDepth = o.maxDepth ?? Infinity;
  const maxStates = o.maxStates ?? Infinity;
  const checkInvariants = o.checkInvariants !== false;
  const ts = buildTarget(target);
  const invariants = checkInvariants ? (ts.invariants ?? []) : [];

  const init = ownInitials(ts, n, maxStates, invariants);
  let generated = init.generated;
  let distinct = init.distinct;
  let depth = init.depth;
  const finish = (complete: boolean, stoppedBy: ParallelResult['stoppedBy'], violation: ShardViolation | null): ParallelResult => {
    const wallMs = performance.now() - t0;
    return { distinctStates: distinct, generated, depth, complete, stoppedBy, violation, wallMs, statesPerSec: wallMs > 0 ? Math.round((distinct * 1000) / wallMs) : 0, workers: n };
  };

  if (init.stop === 'maxStates') return finish(false, 'maxStates', null);
  if (init.stop) return finish(false, 'violation', init.stop);
  const { owned, initRanks } = init;

  const peers = startWorkersWith(target, n, checkInvariants, owned, o.workerMemoryMiB);
  try {
    return await levels();
  } catch (e) {
    // A worker out of heap: the levels finished before it are still exact.
    if ((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') return finish(false, 'memory', null);
    throw e;
  } finally {
    await Promise.all(peers.map((p) => p.worker.terminate()));
  }

  async function levels(): Promise<ParallelResult> {
    peers.forEach((p, w) => p.send({ t: 'ranks', ranks: Int32Array.from(initRanks[w] as number[]) }));
    let level = 1;
    let levelSize = distinct;
    let round = 0;
    while (levelSize > 0) {
      if (level >= maxDepth) {
        const b = await untilStopped(boundLevel(peers, () => round++, levelSize, (g, cut) => {
          generated += g;
          return cut ? finish(false, 'maxDepth', null) : finish(true, null, null);
        }), o.stop);
        return b === STOPPED ? finish(false, 'interrupted', null) : b;
      }
      const r = round++;
      const asked = await untilStopped(Promise.all(peers.map((p) => p.ask({ t: 'expand', round: r }, 'expanded'))), o.stop);
      // Stopped mid-level: the counts are those of the levels done (the workers are terminated below).
      if (asked === STOPPED) return finish(false, 'interrupted', null);
      const replies = asked;
      const ranks = mergeRanks(replies.map((x) => x.keys));
      const size = replies.reduce((s, x) => s + x.keys.length, 0);
      const { stopRank, stopBy, vio, at } = stoppingPoint(replies, ranks, maxStates - distinct);
      if (stopBy !== null) {
        const end = await stopInLevel(peers, replies, { stopRank, stopBy, vio, at });
        generated += end.generated;
        distinct += end.distinct;
        if (stopRank > 0) depth = level + 1;
        return end.violation ? finish(false, 'violation', end.violation) : finish(false, 'maxStates', null);
      }
      generated += replies.reduce((s, x) => s + x.generated, 0);
      distinct += size;
      if (size > 0) depth = level + 1;
      peers.forEach((p, w) => p.send({ t: 'ranks', ranks: ranks[w] as Int32Array }, [(ranks[w] as Int32Array).buffer as ArrayBuffer]));
      level++;
      levelSize = size;
      o.onProgress?.({ distinctStates: distinct, generated, depth, queued: size, wallMs: performance.now() - t0 });
    }
    return finish(true, null, null);
  }
}

function startWorkersWith(target: Target, n: number, checkInvariants: boolean, owned: readonly number[][], memoryMiB?: number): Peer[] {
  const peers: Peer[] = [];
  for (let id = 0; id < n; id++) {
    const setup: WorkerSetup = { target, id, workers: n, checkInvariants };
    peers.push(new Peer(startThread(import.meta.url, './parallel-worker', { workerData: setup, ...(memoryMiB !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: memoryMiB } } : {}) })));
  }
  const ports: (MessagePort | null)[][] = peers.map(() => peers.map(() => null));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const ch = new MessageChannel();
      (ports[i] as (MessagePort | null)[])[j] = ch.port1;
      (ports[j] as (MessagePort | null)[])[i] = ch.port2;
    }
  }
  peers.forEach((p, i) => {
    const mine = ports[i] as (MessagePort | null)[];
    p.send({ t: 'init', ports: mine, initials: Int32Array.from(owned[i] as number[]) }, mine.filter((x): x is MessagePort => x !== null));
  });
  return peers;
}

/**
 * The level at the depth bound: its states are expanded in chunks of ranks until one has a
 * successor no worker holds. Calls `done` with the successors generated up to that point (all
 * of them if there is none) and whether the bound cut something off.
 */
async function boundLevel(
  peers: readonly Peer[],
  nextRound: () => number,
  size: number,
  done: (generated: number, cut: boolean) => ParallelResult,
): Promise<ParallelResult> {
  let g = 0;
  let chunk = FIRST_BOUND_CHUNK;
  for (let from = 0; from < size; from += chunk, chunk *= 2) {
    const to = Math.min(size, from + chunk);
    const r = nextRound();
    const replies = await Promise.all(peers.map((p) => p.ask({ t: 'bound', round: r, toRank: to }, 'bounded')));
    const found = replies.map((x) => x.minKey).filter((k) => k >= 0);
    if (found.length > 0) {
      const key = Math.min(...found);
      const sums = await Promise.all(peers.map((p) => p.ask({ t: 'sum', rank: keyParent(key) }, 'sum')));
      // Every state ranked below the stopping one has been expanded, in this chunk or before.
      return done(sums.reduce((s, x) => s + x.value, 0) + keyPosition(key), true);
    }
    g += replies.reduce((s, x) => s + x.generated, 0);
  }
  return done(g, false);
}

/** Follows parent links across workers back to an initial state. */
async function pathTo(peers: readonly Peer[], w: number, local: number): Promise<{ initialIndex: number; choices: number[] }> {
  const choices: number[] = [];
  let owner = w;
  let at = local;
  for (;;) {
    const p = await (peers[owner] as Peer).ask({ t: 'parent', local: at }, 'parent');
    if (p.owner < 0) return { initialIndex: p.action, choices: choices.reverse() };
    choices.push(p.action);
    owner = p.owner;
    at = p.local;
  }
}

