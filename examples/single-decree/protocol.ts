// Single-decree Paxos, written the way a user of paxcheck writes a protocol: proposers first
// (nodes 0..P-1), then acceptors. Every promise and vote is on disk before anyone hears of it.
// The `no-adopt` mutant is the classic bug: phase 2 proposes the proposer's own value even when
// a promise reported an earlier vote, so a value already chosen can be overwritten.
import { defineAgent, defineProtocol } from 'paxcheck';
import type { Context, NodeId } from 'paxcheck';

type Vote = readonly [ballot: number, value: string];
type Msg =
  | { readonly t: 'prepare'; readonly b: number }
  | { readonly t: 'promise'; readonly b: number; readonly vote: Vote | null }
  | { readonly t: 'accept'; readonly b: number; readonly v: string }
  | { readonly t: 'accepted'; readonly b: number }
  | { readonly t: 'nack'; readonly b: number; readonly promised: number };

// ---- acceptor --------------------------------------------------------------------------------

type Saved = { readonly promised: number; readonly vote: Vote | null };
interface Acceptor extends Saved {
  /** What is on disk: the only part the view may show (it must survive a crash). */
  readonly saved: Saved;
  /** One reply per write in flight; writes of one node complete in order. */
  readonly queue: readonly { readonly record: Saved; readonly to: NodeId; readonly reply: Msg }[];
}

const restore = (r: Saved): Acceptor => ({ ...r, saved: r, queue: [] });

/** Writes the new promise/vote; the reply goes out only once it is durable (onWriteDone). */
function persist(s: Acceptor, record: Saved, to: NodeId, reply: Msg, ctx: Context<Msg>): Acceptor {
  ctx.write('acceptor', record);
  return { ...s, ...record, queue: [...s.queue, { record, to, reply }] };
}

const acceptor = defineAgent<Acceptor, Msg>({
  role: 'acceptor',
  init: () => restore({ promised: 0, vote: null }),
  recover: (disk) => restore((disk.acceptor as Saved | undefined) ?? { promised: 0, vote: null }),
  onMessage: (s, from, m, ctx) => {
    if (m.t === 'prepare' && m.b >= s.promised) return persist(s, { promised: m.b, vote: s.vote }, from, { t: 'promise', b: m.b, vote: s.vote }, ctx);
    if (m.t === 'accept' && m.b >= s.promised) return persist(s, { promised: m.b, vote: [m.b, m.v] }, from, { t: 'accepted', b: m.b }, ctx);
    // A nack only helps the proposer pick a higher ballot next time; it promises nothing.
    if (m.t === 'prepare' || m.t === 'accept') ctx.send(from, { t: 'nack', b: m.b, promised: s.promised });
    return s;
  },
  onWriteDone: (s, _key, ctx) => {
    const [done, ...rest] = s.queue;
    if (!done) return s;
    ctx.send(done.to, done.reply);
    return { ...s, saved: done.record, queue: rest };
  },
  view: (s) => ({ promised: s.saved.promised, votes: s.saved.vote ? [[0, s.saved.vote[0], s.saved.vote[1]]] : [] }),
});

// ---- proposer --------------------------------------------------------------------------------

interface Proposer {
  /** Highest round on disk (or being written): ballot = round·P + self, unique per proposer. */
  readonly round: number;
  readonly ballot: number;
  readonly phase: 'idle' | 'starting' | 'preparing' | 'accepting' | 'done';
  readonly value: string | null;
  /** Highest ballot a nack told us about, so the next round outbids it. */
  readonly seen: number;
  readonly promises: Readonly<Record<number, Vote | null>>;
  readonly accepted: readonly NodeId[];
  readonly proposal: string | null;
  readonly decided: string | null;
}

const idle = (round: number): Proposer => ({ round, ballot: 0, phase: 'idle', value: null, seen: 0, promises: {}, accepted: [], proposal: null, decided: null });

function proposer(P: number, acceptors: readonly NodeId[], adopt: boolean) {
  const majority = Math.floor(acceptors.length / 2) + 1;
  const toAll = (ctx: Context<Msg>, m: Msg) => acceptors.forEach((a) => ctx.send(a, m));
  // The round is written before its ballot is used: a restarted proposer never reuses a ballot.
  const start = (s: Proposer, ctx: Context<Msg>): Proposer => {
    const round = Math.max(s.round, Math.floor(s.seen / P)) + 1;
    ctx.write('round', round);
    return { ...s, round, phase: 'starting' };
  };
  return defineAgent<Proposer, Msg>({
    role: 'proposer',
    init: () => idle(0),
    // The client's value was volatile: a restarted proposer waits for the client to ask again.
    recover: (disk) => idle(Number(disk.round ?? 0)),
    onSubmit: (s, value, ctx) => (s.phase === 'idle' ? start({ ...s, value }, ctx) : s),
    onWriteDone: (s, _key, ctx) => {
      if (s.phase !== 'starting') return s;
      const ballot = s.round * P + ctx.self;
      toAll(ctx, { t: 'prepare', b: ballot });
      // Randomized back-off: duelling proposers would otherwise pre-empt each other forever.
      ctx.setTimer('retry', 40, 1);
      return { ...s, ballot, phase: 'preparing', promises: {}, accepted: [] };
    },
    onMessage: (s, from, m, ctx) => {
      if (m.t === 'nack') return { ...s, seen: Math.max(s.seen, m.promised) };
      if (m.b !== s.ballot) return s; // an answer to an older ballot of ours
      if (m.t === 'promise' && s.phase === 'preparing') {
        const promises = { ...s.promises, [from]: m.vote };
        const votes = Object.values(promises);
        if (votes.length < majority) return { ...s, promises };
        // Phase 2 must propose the value of the highest vote reported, if any: it may be chosen.
        const highest = votes.reduce<Vote | null>((h, v) => (v && (!h || v[0] > h[0]) ? v : h), null);
        const proposal = adopt && highest ? highest[1] : (s.value as string);
        if (highest && proposal === highest[1] && proposal !== s.value) ctx.cover('adopted');
        toAll(ctx, { t: 'accept', b: s.ballot, v: proposal });
        return { ...s, promises, phase: 'accepting', proposal };
      }
      if (m.t === 'accepted' && s.phase === 'accepting' && !s.accepted.includes(from)) {
        const accepted = [...s.accepted, from].sort((x, y) => x - y);
        if (accepted.length < majority) return { ...s, accepted };
        ctx.decide(0, s.proposal as string);
        ctx.cancelTimer('retry');
        return { ...s, accepted, phase: 'done', decided: s.proposal };
      }
      return s;
    },
    onTimer: (s, _name, ctx) => (s.phase === 'preparing' || s.phase === 'accepting' ? start(s, ctx) : s),
    view: (s) => ({ leading: s.phase === 'preparing' || s.phase === 'accepting' ? s.ballot : 0, ...(s.decided ? { decided: { 0: s.decided } } : {}) }),
  });
}

const range = (n: number, from = 0): NodeId[] => Array.from({ length: n }, (_, i) => from + i);

// Acceptors are interchangeable: the search may treat states that differ only in which acceptor
// is which as one (symmetry reduction). Only the proposer's state names acceptors.
const renameProposer = (s: Proposer, rename: (n: NodeId) => NodeId): Proposer => ({
  ...s,
  promises: Object.fromEntries(Object.entries(s.promises).map(([a, v]) => [rename(Number(a)), v])),
  accepted: s.accepted.map(rename).sort((x, y) => x - y),
});

export default defineProtocol({
  name: 'single-decree',
  description: 'single-decree Paxos: proposers and acceptors, durable promises and votes',
  mutants: [{ name: 'no-adopt', description: 'phase 2 ignores the votes reported in promises and proposes its own value' }],
  labels: ['adopted'],
  build: (t, { mutant }) => {
    const acceptors = range(t.acceptors, t.proposers);
    const p = proposer(t.proposers, acceptors, mutant !== 'no-adopt');
    return {
      agents: [...range(t.proposers).map(() => p), ...acceptors.map(() => acceptor)],
      // Each proposer's client asks for a different value: a single decree, one slot.
      workload: range(t.proposers).map((node) => ({ node, value: `v${node}` })),
      acceptors,
      slots: 1,
      symmetry: { groups: [acceptors], renameState: (node, state, rename) => (node < t.proposers ? renameProposer(state as Proposer, rename) : state) },
    };
  },
});
