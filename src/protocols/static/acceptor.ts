import type { Context, DurableStore, NodeId, NodeView, Value } from '../../kernel/types.js';
import type { Config } from './config.js';
import { asBallotValue, asNumber, entriesUnder, persist, writeDone } from './durable.js';
import type { WriteQueue } from './durable.js';
import type { Msg, Outgoing, Vote } from './messages.js';

const MAXBAL_KEY = 'acceptor/maxBal';
const VOTE_PREFIX = 'acceptor/vote/';

/** slot -> [maxVBal, maxVal]. */
type Votes = Readonly<Record<string, readonly [number, Value]>>;

export interface AcceptorState {
  /** The promise this acceptor acts on; may be ahead of storage while its write is in flight. */
  readonly maxBal: number;
  readonly votes: Votes;
  /** What storage holds: the view shows only this, since only this survives a crash. */
  readonly stored: { readonly maxBal: number; readonly votes: Votes };
  readonly writes: WriteQueue;
}

const empty: AcceptorState = { maxBal: -1, votes: {}, stored: { maxBal: -1, votes: {} }, writes: [] };

export function initAcceptor(): AcceptorState {
  return empty;
}

// Views are read after every step, and a step changes at most one acceptor's votes: the list
// of an unchanged (immutable) votes object is kept by identity.
const voteLists = new WeakMap<Votes, readonly Vote[]>();

function voteList(votes: Votes): readonly Vote[] {
  let list = voteLists.get(votes);
  if (list === undefined) {
    list = Object.keys(votes)
      .map(Number)
      .sort((a, b) => a - b)
      .flatMap((slot) => {
        const v = votes[slot];
        return v ? [[slot, v[0], v[1]] as const] : [];
      });
    voteLists.set(votes, list);
  }
  return list;
}

/** Replies that reveal a promise or a vote: they leave once it is durable (rules.ts `reply`). */
function reply(s: AcceptorState, msgs: readonly Outgoing[], cfg: Config, ctx: Context<Msg>): AcceptorState {
  return { ...s, writes: cfg.rules.reply(s.writes, msgs, ctx) };
}

/** Paxos.tla Phase1b. */
function phase1b(s: AcceptorState, from: NodeId, b: number, cfg: Config, ctx: Context<Msg>): AcceptorState {
  if (b < s.maxBal) {
    ctx.cover('acceptor.prepare.rejected');
    ctx.send(from, { t: 'nack', b, maxBal: s.maxBal });
    return s;
  }
  const promise: Outgoing = [from, { t: '1b', b, votes: voteList(s.votes) }];
  if (b === s.maxBal) {
    // Ballots are unique per proposer, so this is the owner asking again (a retransmitted or
    // duplicated 1a): the promise already stands.
    ctx.cover('acceptor.prepare.repeated');
    return reply(s, [promise], cfg, ctx);
  }
  ctx.cover('acceptor.prepare.promised');
  const promised: AcceptorState = { ...s, maxBal: b, writes: persist(s.writes, MAXBAL_KEY, b, ctx) };
  return reply(promised, [promise], cfg, ctx);
}

/** Paxos.tla Phase2b. */
function phase2b(
  s: AcceptorState,
  from: NodeId,
  slot: number,
  b: number,
  v: Value,
  cfg: Config,
  ctx: Context<Msg>,
): AcceptorState {
  if (b < s.maxBal) {
    ctx.cover('acceptor.accept.rejected');
    ctx.send(from, { t: 'nack', b, maxBal: s.maxBal });
    return s;
  }
  let next = s;
  // Voting in b is promising b: without this a later 2a of a lower ballot would still pass the
  // test above and overwrite this vote.
  const promise = cfg.rules.promiseAfterVote(next.maxBal, b);
  if (promise > next.maxBal) {
    next = { ...next, maxBal: promise, writes: persist(next.writes, MAXBAL_KEY, promise, ctx) };
  }
  const current = next.votes[slot];
  if (current && current[0] === b && current[1] === v) {
    ctx.cover('acceptor.accept.repeated');
  } else {
    ctx.cover(current ? 'acceptor.accept.overwrote' : 'acceptor.accept.voted');
    next = {
      ...next,
      votes: { ...next.votes, [slot]: [b, v] },
      writes: persist(next.writes, `${VOTE_PREFIX}${slot}`, [b, v], ctx),
    };
  }
  const msg: Msg = { t: '2b', b, slot, v };
  return reply(
    next,
    cfg.hear2b.map((to) => [to, msg] as const),
    cfg,
    ctx,
  );
}

/** A learner missed 2b messages: re-send the votes it asks for, once they are durable. */
function catchup(
  s: AcceptorState,
  from: NodeId,
  first: number,
  slots: readonly number[],
  cfg: Config,
  ctx: Context<Msg>,
): AcceptorState {
  const resend: Outgoing[] = voteList(s.votes)
    .filter(([slot]) => slot >= first || slots.includes(slot))
    .map(([slot, b, v]) => [from, { t: '2b', b, slot, v }] as const);
  ctx.cover(resend.length > 0 ? 'acceptor.catchup.resent' : 'acceptor.catchup.empty');
  return reply(s, resend, cfg, ctx);
}

export function acceptorMessage(s: AcceptorState, from: NodeId, msg: Msg, cfg: Config, ctx: Context<Msg>): AcceptorState {
  switch (msg.t) {
    case '1a':
      return phase1b(s, from, msg.b, cfg, ctx);
    case '2a':
      return phase2b(s, from, msg.slot, msg.b, msg.v, cfg, ctx);
    case 'catchup':
      return catchup(s, from, msg.from, msg.slots, cfg, ctx);
    default:
      return s;
  }
}

export function acceptorWriteDone(s: AcceptorState, key: string, ctx: Context<Msg>): AcceptorState {
  const { done, queue } = writeDone(s.writes, key, ctx);
  if (!done) return { ...s, writes: queue };
  let stored = s.stored;
  if (done.key === MAXBAL_KEY) stored = { ...stored, maxBal: asNumber(done.value, stored.maxBal) };
  else if (done.key.startsWith(VOTE_PREFIX)) {
    const vote = asBallotValue(done.value);
    if (vote) stored = { ...stored, votes: { ...stored.votes, [done.key.slice(VOTE_PREFIX.length)]: vote } };
  }
  return { ...s, stored, writes: queue };
}

/** After a crash only storage is left: promise and votes are exactly what was made durable. */
export function recoverAcceptor(durable: DurableStore, ctx: Context<Msg>): AcceptorState {
  const maxBal = asNumber(durable[MAXBAL_KEY], -1);
  const votes: Record<string, readonly [number, Value]> = {};
  for (const [slot, value] of entriesUnder(durable, VOTE_PREFIX)) {
    const vote = asBallotValue(value);
    if (vote) votes[slot] = vote;
  }
  ctx.cover('acceptor.recover.restored');
  const stored = { maxBal, votes };
  return { maxBal, votes, stored, writes: [] };
}

type Stored = AcceptorState['stored'];

/** Paxos.tla's acceptor invariant: a vote in ballot b is also a promise of b (maxVBal ≤ maxBal). */
function brokenInvariants(stored: Stored): string[] {
  return voteList(stored.votes)
    .filter(([, b]) => b > stored.maxBal)
    .map(([slot, b]) => `slot ${slot}: voted in ballot ${b} above its promise ${stored.maxBal} (maxVBal > maxBal)`);
}

// The view shows only what storage holds, so it is kept by identity of that (immutable) part.
const views = new WeakMap<Stored, NodeView>();

export function acceptorView(s: AcceptorState): NodeView {
  let view = views.get(s.stored);
  if (view === undefined) {
    const broken = brokenInvariants(s.stored);
    const plain: NodeView = { promised: s.stored.maxBal, votes: voteList(s.stored.votes) };
    view = broken.length > 0 ? { ...plain, broken } : plain;
    views.set(s.stored, view);
  }
  return view;
}

export function isAcceptorKey(key: string): boolean {
  return key.startsWith('acceptor/');
}
