import type { Json, NodeView, ServerData, ServerReply, System, Value } from '../../kernel/types.js';
import type { World } from '../../kernel/world.js';
import type { Access, AgentState, Io, Op, Outcome, Replied, Vote } from './agent.js';
import type { PassiveRules } from './rules.js';
import { correctPassiveRules } from './rules.js';

// pPaxos (MetaSync) over append-only lists, one list per server and slot. An acceptor's state is
// the fold of its list in list order, so the list itself serialises concurrent proposers: a
// record's effect depends only on the records before it, which never change.

export type ListRecord =
  | { readonly t: 'PREPARE'; readonly b: number }
  | { readonly t: 'ACCEPT'; readonly b: number; readonly v: Value }
  | { readonly t: 'COMMIT'; readonly v: Value };

export interface Fold {
  readonly promise: number;
  readonly vote: Vote | null;
  /** Every ACCEPT that was accepted where it stands. */
  readonly accepted: readonly Vote[];
}

function asRecord(x: Json): ListRecord | null {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return null;
  const r = x as { readonly [k: string]: Json };
  const b = typeof r.b === 'number' ? r.b : null;
  const v = typeof r.v === 'string' ? r.v : null;
  if (r.t === 'PREPARE' && b !== null) return { t: 'PREPARE', b };
  if (r.t === 'ACCEPT' && b !== null && v !== null) return { t: 'ACCEPT', b, v };
  if (r.t === 'COMMIT' && v !== null) return { t: 'COMMIT', v };
  return null;
}

/**
 * The acceptor rule replayed over a list: PREPARE(b) raises the promise if b > promise;
 * ACCEPT(b, v) is accepted iff b ≥ promise, and then promise := b (rules.ts `acceptedPromise`),
 * vote := (b, v).
 */
export function foldList(recs: readonly Json[], rules: Pick<PassiveRules, 'acceptedPromise'> = correctPassiveRules): Fold {
  let promise = 0;
  let vote: Vote | null = null;
  const accepted: Vote[] = [];
  for (const x of recs) {
    const r = asRecord(x);
    if (r === null || r.t === 'COMMIT') continue;
    if (r.t === 'PREPARE') {
      if (r.b > promise) promise = r.b;
      continue;
    }
    if (r.b < promise) continue;
    promise = rules.acceptedPromise(promise, r.b);
    vote = [r.b, r.v];
    accepted.push(vote);
  }
  return { promise, vote, accepted };
}

export interface ListState {
  /** The list as far as read: positions 0..next-1, without holes (for a correct reader). */
  readonly recs: readonly Json[];
  readonly next: number;
  /** The current operation's own record: not sent, in flight, or reported appended. */
  readonly append: 'none' | 'pending' | 'ok';
  readonly reading: boolean;
  readonly done: boolean;
}

const recordOf = (op: Op): ListRecord | null =>
  op.k === 'prepare' ? { t: 'PREPARE', b: op.b } : op.k === 'accept' ? { t: 'ACCEPT', b: op.b, v: op.v } : null;

function isOwn(x: Json, op: Op): boolean {
  const r = asRecord(x);
  if (r === null) return false;
  if (op.k === 'prepare') return r.t === 'PREPARE' && r.b === op.b;
  if (op.k === 'accept') return r.t === 'ACCEPT' && r.b === op.b && r.v === op.v;
  return false;
}

// Lists are short (a few records per ballot): every read fetches the whole list and keeps what
// extends the known prefix.
function readList(a: ListState, io: Io): ListState {
  io.ctx.op(io.server, { op: 'read', tag: io.tag, key: io.key, from: 0 });
  return { ...a, reading: true };
}

function appendOwn(a: ListState, op: Op, io: Io): ListState {
  const rec = recordOf(op);
  if (rec === null) return a;
  io.ctx.op(io.server, { op: 'append', tag: io.tag, key: io.key, record: rec });
  return { ...a, append: 'pending' };
}

/** A listing merged into what is known of the list (rules.ts `mergeListing`); whether it holds a COMMIT. */
function merge(rules: PassiveRules, a: ListState, entries: readonly (readonly [number, Json])[]): { a: ListState; commit: boolean } {
  const sorted = [...entries].sort((x, y) => x[0] - y[0]);
  const commit = sorted.some(([, rec]) => asRecord(rec)?.t === 'COMMIT');
  const { recs, next } = rules.mergeListing(a, sorted);
  return { a: { ...a, recs, next }, commit };
}

/** Judges the own record by the records before it; null while the listing does not show it. */
function evaluate(rules: PassiveRules, a: ListState, op: Op): Outcome | null {
  const own = recordOf(op);
  if (own === null) return { k: 'read' };
  const i = a.recs.findIndex((x) => isOwn(x, op));
  const before = i < 0 ? rules.beforeUnseenOwn(a.recs) : a.recs.slice(0, i);
  if (before === null) return null;
  const f = foldList(before, rules);
  if (op.k === 'prepare') {
    const after = foldList([...before, own], rules);
    return after.promise === op.b ? { k: 'promised', vote: after.vote } : { k: 'rejected', promise: after.promise };
  }
  return op.k === 'accept' && op.b >= f.promise ? { k: 'accepted' } : { k: 'rejected', promise: f.promise };
}

/** The own record's append answered: append again if it failed, else read the list to judge it. */
function onAppendReply(rules: PassiveRules, a: ListState, op: Op, r: Extract<ServerReply, { op: 'append' }>, io: Io): Replied<ListState> {
  if (a.done || op.k === 'read' || a.append !== 'pending') return { a };
  if (!r.ok) {
    // Lost, or applied and reported lost: append again; a second copy folds harmlessly.
    io.ctx.cover('list.append.failed');
    return { a: appendOwn(a, op, io) };
  }
  const a1: ListState = { ...a, append: 'ok' };
  if (rules.onAppendAcked(op.k) === 'accepted') return { a: { ...a1, done: true }, outcome: { k: 'accepted' } };
  return { a: a1.reading ? a1 : readList(a1, io) };
}

/** A listing: the own record judged once it shows, else read again (after the append is acknowledged). */
function onListing(rules: PassiveRules, a: ListState, op: Op, r: Extract<ServerReply, { op: 'read' }>, io: Io): Replied<ListState> {
  const m = merge(rules, { ...a, reading: false }, r.entries);
  if (m.a.done) return { a: m.a, hint: m.commit };
  const outcome = evaluate(rules, m.a, op);
  if (outcome !== null) {
    io.ctx.cover(`list.${op.k}.${outcome.k}`);
    return { a: { ...m.a, done: true }, outcome, hint: m.commit };
  }
  // The listing does not show the own record yet (stale, gapped, or the append is slow).
  io.ctx.cover('list.read.without-own');
  return { a: m.a.append === 'ok' ? readList(m.a, io) : m.a, hint: m.commit };
}

export function listAccess(rules: PassiveRules): Access<ListState> {
  return {
    label: 'list',
    fresh: () => ({ recs: [], next: 0, append: 'none', reading: false, done: false }),
    begin(a0, op, io) {
      const a = { ...a0, append: 'none' as const, done: false };
      // The read goes out with the append: if it overtakes it, the list is simply read again.
      return readList(appendOwn(a, op, io), io);
    },
    reply(a, op, r, io): Replied<ListState> {
      if (r.op === 'append') return onAppendReply(rules, a, op, r, io);
      if (r.op !== 'read') return { a };
      return onListing(rules, a, op, r, io);
    },
    retry(a, op, io) {
      const a1 = op.k !== 'read' && a.append !== 'ok' ? appendOwn(a, op, io) : a;
      return readList(a1, io);
    },
    votes: (a) => foldList(a.recs, rules).accepted,
    progress: (a) => a.next,
    decided(_a, v, io) {
      // A hint that the slot is decided; nobody decides from it alone.
      io.ctx.op(io.server, { op: 'append', tag: io.tag, key: io.key, record: { t: 'COMMIT', v } });
    },
    broken(a) {
      // The replayed acceptor never holds a vote above its promise (maxVBal ≤ maxBal).
      const f = foldList(a.recs, rules);
      return f.vote !== null && f.vote[0] > f.promise ? [`replayed acceptor voted in ballot ${f.vote[0]} above its promise ${f.promise}`] : [];
    },
  };
}

function isListAgent(x: unknown): x is AgentState<ListState> {
  return typeof x === 'object' && x !== null && 'servers' in x && 'slot' in x && Array.isArray((x as { servers: unknown }).servers);
}

/**
 * What a reader knows of a list is a prefix of it: positions are never reordered or removed, so
 * a view that is not a prefix was assembled from an incomplete listing.
 */
export function listInvariants(sys: System, world: World): string[] {
  const out: string[] = [];
  world.agents.forEach((ag, p) => {
    if (!ag.up || !isListAgent(ag.state)) return;
    const s = ag.state;
    s.servers.forEach((x, i) => {
      const stored = world.servers[i]?.data.store[String(s.slot)];
      const list: readonly Json[] = Array.isArray(stored) ? (stored as readonly Json[]) : [];
      const known = x.a.recs;
      const prefix = known.length <= list.length && known.every((r, j) => JSON.stringify(r) === JSON.stringify(list[j]));
      if (!prefix) out.push(`agent ${p} holds ${known.length} records of the slot ${s.slot} list at n${sys.agents.length + i} that are not a prefix of its ${list.length}`);
    });
  });
  return out;
}

/** A list server seen as an acceptor: its promise and vote per slot, by the correct fold. */
export function listServerView(data: ServerData): NodeView {
  const votes: (readonly [number, number, Value])[] = [];
  let promised: number | undefined;
  const slots = Object.keys(data.store)
    .map(Number)
    .filter((n) => Number.isInteger(n))
    .sort((a, b) => a - b);
  for (const slot of slots) {
    const recs = data.store[String(slot)];
    if (!Array.isArray(recs)) continue;
    const f = foldList(recs as readonly Json[]);
    // One promise per server for the properties: the highest over its lists never goes down.
    promised = Math.max(promised ?? 0, f.promise);
    if (f.vote) votes.push([slot, f.vote[0], f.vote[1]]);
  }
  return promised === undefined ? { votes } : { promised, votes };
}

