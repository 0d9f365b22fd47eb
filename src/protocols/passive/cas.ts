import type { Json, NodeView, ServerData, Value } from '../../kernel/types.js';
import type { Access, Io, Outcome, Replied, Vote } from './agent.js';
import type { PassiveRules } from './rules.js';

// CASPaxos (D. Rystsov) across servers: each server keeps the acceptor record of a slot in a
// versioned register. An agent reads it, applies the acceptor rule, and writes the result back
// conditionally on the version it read, so no concurrent change is ever overwritten.

export interface CasRecord {
  readonly promise: number;
  readonly ballot: number;
  readonly value: Value | null;
}

const empty: CasRecord = { promise: 0, ballot: 0, value: null };

export function parseCasRecord(x: Json): CasRecord {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return empty;
  const r = x as { readonly [k: string]: Json };
  return {
    promise: typeof r.promise === 'number' ? r.promise : 0,
    ballot: typeof r.ballot === 'number' ? r.ballot : 0,
    value: typeof r.value === 'string' ? r.value : null,
  };
}

const voteOf = (r: CasRecord): Vote | null => (r.ballot > 0 && r.value !== null ? [r.ballot, r.value] : null);

export interface CasState {
  readonly step: 'get' | 'write' | 'done';
  /** Phase 1: the vote the record held when we wrote our promise over it. */
  readonly vote: Vote | null;
  /** Votes seen in the record at this server in this slot. */
  readonly seen: readonly Vote[];
  readonly version: number;
}

function withSeen(a: CasState, v: Vote | null): CasState {
  if (v === null || a.seen.some(([b, x]) => b === v[0] && x === v[1])) return a;
  return { ...a, seen: [...a.seen, v] };
}

export function casAccess(rules: PassiveRules): Access<CasState> {
  const get = (a: CasState, io: Io): CasState => {
    io.ctx.op(io.server, { op: 'get', tag: io.tag, key: io.key });
    return { ...a, step: 'get' };
  };
  /** Writes the record back only if nobody changed it since it was read at `version` (rules.ts `writeBack`). */
  const write = (a: CasState, rec: CasRecord, version: number, io: Io): CasState => {
    const value: Json = { promise: rec.promise, ballot: rec.ballot, value: rec.value };
    io.ctx.op(io.server, rules.writeBack(io.tag, io.key, version, value));
    return { ...a, step: 'write' };
  };
  const done = (a: CasState, outcome: Outcome, io: Io, label: string): Replied<CasState> => {
    io.ctx.cover(`cas.${label}`);
    return { a: { ...a, step: 'done' }, outcome };
  };

  return {
    label: 'cas',
    fresh: () => ({ step: 'done', vote: null, seen: [], version: 0 }),
    begin: (a, _op, io) => get({ ...a, vote: null }, io),
    reply(a0, op, r, io) {
      if (r.op === 'get') {
        const rec = parseCasRecord(r.value);
        const a = withSeen({ ...a0, version: Math.max(a0.version, r.version) }, voteOf(rec));
        if (a0.step !== 'get') return { a };
        switch (op.k) {
          case 'read':
            return { a: { ...a, step: 'done' }, outcome: { k: 'read' } };
          case 'prepare':
            if (rec.promise > op.b) return done(a, { k: 'rejected', promise: rec.promise }, io, 'prepare.rejected');
            // Our own promise already there: an earlier write of ours landed.
            if (rec.promise === op.b) return done(a, { k: 'promised', vote: voteOf(rec) }, io, 'prepare.promised');
            return { a: write({ ...a, vote: voteOf(rec) }, { ...rec, promise: op.b }, r.version, io) };
          case 'accept':
            if (rec.promise > op.b) return done(a, { k: 'rejected', promise: rec.promise }, io, 'accept.rejected');
            if (rec.ballot === op.b && rec.value === op.v) return done(a, { k: 'accepted' }, io, 'accept.accepted');
            return { a: write(a, { promise: op.b, ballot: op.b, value: op.v }, r.version, io) };
        }
      }
      if ((r.op !== 'cas' && r.op !== 'put') || a0.step !== 'write') return { a: a0 };
      const ok = rules.writeTookEffect(r);
      if (!ok) {
        // 412: the record changed since we read it (or the put was refused): read it again.
        io.ctx.cover('cas.conflict');
        return { a: get(a0, io) };
      }
      if (op.k === 'prepare') return done(a0, { k: 'promised', vote: a0.vote }, io, 'prepare.promised');
      if (op.k === 'accept') return done(withSeen(a0, [op.b, op.v]), { k: 'accepted' }, io, 'accept.accepted');
      return { a: a0 };
    },
    // Whether a lost write landed or not, reading the record again tells.
    retry: (a, _op, io) => (a.step === 'done' ? a : get(a, io)),
    votes: (a) => a.seen,
    progress: (a) => a.version,
  };
}

/** A CAS server seen as an acceptor: the record of each slot. */
export function casServerView(data: ServerData): NodeView {
  const votes: (readonly [number, number, Value])[] = [];
  let promised: number | undefined;
  const slots = Object.keys(data.store)
    .map(Number)
    .filter((n) => Number.isInteger(n))
    .sort((a, b) => a - b);
  for (const slot of slots) {
    const rec = parseCasRecord(data.store[String(slot)] ?? null);
    // One promise per server for the properties: the highest over its records.
    promised = Math.max(promised ?? 0, rec.promise);
    if (rec.ballot > 0 && rec.value !== null) votes.push([slot, rec.ballot, rec.value]);
  }
  return promised === undefined ? { votes } : { promised, votes };
}
