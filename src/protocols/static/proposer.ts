import type { NodeView } from '../../kernel/types.js';
import type { Context, DurableStore, NodeId, Value } from '../../kernel/types.js';
import { NOOP } from '../kv.js';
import { ballotOf, roundAbove } from './ballot.js';
import { BACKOFF_BASE, MAX_BACKOFF_ATTEMPT, RETRY_AFTER } from './config.js';
import type { Config } from './config.js';
import { asNumber, asStrings, persist, sendWhenDurable, writeDone } from './durable.js';
import type { WriteQueue } from './durable.js';
import type { Msg, Vote } from './messages.js';
import { count2b } from './quorum.js';
import { distinctVoter } from './rules.js';
import type { Tally } from './quorum.js';

const ROUND_KEY = 'proposer/round';
const COMMANDS_KEY = 'proposer/commands';
export const RETRY_TIMER = 'retry';

/**
 * idle: nothing to do; backoff: preempted, waiting before a new ballot; prepare: phase 1 of
 * `ballot`; accept: leader of `ballot`, proposing in phase 2 only (the stable-leader optimisation).
 */
export type Phase = 'idle' | 'backoff' | 'prepare' | 'accept';

/** The latest 1b an acceptor sent this proposer. */
export interface PromiseReply {
  readonly b: number;
  readonly votes: readonly Vote[];
}

export interface ProposerState {
  readonly index: number;
  /** The last round started; durable before its 1a is sent. */
  readonly round: number;
  /** ballotOf(round); 0 before the first ballot. */
  readonly ballot: number;
  readonly phase: Phase;
  /** The highest ballot seen anywhere, so the next ballot can beat it. */
  readonly highestSeen: number;
  readonly promises: Readonly<Record<string, PromiseReply>>;
  /** slot -> the one value this proposer proposes there in `ballot`. */
  readonly proposals: Readonly<Record<string, Value>>;
  /** Every command submitted here (durable); each is pursued until seen decided in some slot. */
  readonly commands: readonly Value[];
  /** Decisions this proposer has seen from 2b quorums. */
  readonly decided: Readonly<Record<string, Value>>;
  readonly tally: Tally;
  /** Slots a learner asked to be settled again, for the next phase 2. */
  readonly wanted: readonly number[];
  /** Consecutive preemptions, scaling the back-off. */
  readonly attempt: number;
  readonly writes: WriteQueue;
}

export function initProposer(index: number): ProposerState {
  return {
    index,
    round: -1,
    ballot: 0,
    phase: 'idle',
    highestSeen: 0,
    promises: {},
    proposals: {},
    commands: [],
    decided: {},
    tally: {},
    wanted: [],
    attempt: 0,
    writes: [],
  };
}

const slotsOf = (r: Readonly<Record<string, unknown>>): number[] =>
  Object.keys(r)
    .map(Number)
    .sort((a, b) => a - b);

function isDecidedValue(s: ProposerState, v: Value): boolean {
  return Object.values(s.decided).includes(v);
}

/** Commands not decided and not riding on an undecided proposal of the current ballot. */
function unassigned(s: ProposerState): Value[] {
  const inFlight = new Set<Value>();
  for (const slot of openProposals(s)) {
    const v = s.proposals[slot];
    if (v !== undefined) inFlight.add(v);
  }
  return s.commands.filter((c) => !isDecidedValue(s, c) && !inFlight.has(c));
}

function openProposals(s: ProposerState): number[] {
  return slotsOf(s.proposals).filter((slot) => s.decided[slot] === undefined);
}

function hasWork(s: ProposerState): boolean {
  if (s.wanted.length > 0) return true;
  if (s.commands.some((c) => !isDecidedValue(s, c))) return true;
  return s.phase === 'accept' && openProposals(s).length > 0;
}

function lowestFree(s: ProposerState, from: number): number {
  let slot = from;
  while (s.proposals[slot] !== undefined || s.decided[slot] !== undefined) slot++;
  return slot;
}

function send2a(s: ProposerState, slots: readonly number[], cfg: Config, ctx: Context<Msg>): void {
  for (const slot of slots) {
    const v = s.proposals[slot];
    if (v === undefined) continue;
    for (const a of cfg.acceptors) ctx.send(a, { t: '2a', b: s.ballot, slot, v });
  }
}

/** New commands take the lowest free slots, in phase 2 only: this ballot's promise covers them. */
function proposeCommands(s: ProposerState, cfg: Config, ctx: Context<Msg>): ProposerState {
  let proposals = s.proposals;
  const fresh: number[] = [];
  let slot = 0;
  for (const c of unassigned(s)) {
    slot = lowestFree({ ...s, proposals }, slot);
    proposals = { ...proposals, [slot]: c };
    fresh.push(slot);
    ctx.cover('proposer.phase2.command');
  }
  if (fresh.length === 0) return s;
  const next = { ...s, proposals };
  send2a(next, fresh, cfg, ctx);
  return next;
}

/**
 * Keeps a retry timer running exactly while there is undecided work. A leader restarts it on
 * progress; in the other phases the running timer is a back-off or phase-1 timeout, left alone.
 */
function rearm(s: ProposerState, ctx: Context<Msg>): ProposerState {
  if (!hasWork(s)) {
    ctx.cancelTimer(RETRY_TIMER);
    return { ...s, attempt: 0, phase: s.phase === 'accept' ? 'accept' : 'idle' };
  }
  if (s.phase === 'accept') ctx.setTimer(RETRY_TIMER, RETRY_AFTER);
  return s;
}

/** Paxos.tla Phase1a, for every slot at once. The round is durable before the 1a leaves. */
function phase1a(s: ProposerState, cfg: Config, ctx: Context<Msg>): ProposerState {
  const P = cfg.proposers.length;
  const round = Math.max(s.round + 1, roundAbove(s.highestSeen, s.index, P, cfg.rules));
  const ballot = ballotOf(round, s.index, P, cfg.rules);
  ctx.cover('proposer.phase1.started');
  let writes = persist(s.writes, ROUND_KEY, round, ctx);
  writes = sendWhenDurable(
    writes,
    cfg.acceptors.map((a) => [a, { t: '1a', b: ballot }] as const),
    ctx,
  );
  ctx.setTimer(RETRY_TIMER, RETRY_AFTER);
  return { ...s, round, ballot, phase: 'prepare', highestSeen: Math.max(s.highestSeen, ballot), proposals: {}, writes };
}

/**
 * The 1b replies that count toward this ballot's quorum: only promises for this very ballot. An
 * older promise says nothing about votes cast since, so counting it can hide a chosen value
 * (rules.ts `promiseCounts`).
 */
function countedPromises(s: ProposerState, cfg: Config): PromiseReply[] {
  return Object.values(s.promises).filter((p) => cfg.rules.promiseCounts(p.b, s.ballot));
}

/**
 * Paxos.tla Phase2a over all slots: re-propose the highest-ballot vote reported for each slot,
 * fill the holes below the highest voted slot with no-ops (so replicas can apply past them), then
 * give unassigned commands the lowest free slots.
 */
function phase2a(s: ProposerState, quorum: readonly PromiseReply[], cfg: Config, ctx: Context<Msg>): ProposerState {
  const adopted = cfg.rules.adopt(quorum.map((reply) => reply.votes));
  const top = Math.max(-1, ...slotsOf(adopted), ...s.wanted);
  const proposals: Record<string, Value> = {};
  for (let slot = 0; slot <= top; slot++) {
    const vote = adopted[slot];
    ctx.cover(vote ? 'proposer.phase2.adopted' : 'proposer.phase2.noop');
    proposals[slot] = vote ? vote[1] : NOOP;
  }
  const leader: ProposerState = { ...s, phase: 'accept', proposals, attempt: 0 };
  // Slots this proposer already saw decided need no 2a, unless a learner asked for them.
  const resend = slotsOf(proposals).filter((slot) => s.decided[slot] === undefined || s.wanted.includes(slot));
  send2a(leader, resend, cfg, ctx);
  return rearm(proposeCommands({ ...leader, wanted: [] }, cfg, ctx), ctx);
}

function preempted(s: ProposerState, seen: number, cfg: Config, ctx: Context<Msg>): ProposerState {
  const highestSeen = Math.max(s.highestSeen, seen);
  const active = s.phase === 'prepare' || s.phase === 'accept';
  if (!active || seen <= s.ballot) return { ...s, highestSeen };
  ctx.cover(`proposer.${s.phase === 'prepare' ? 'phase1' : 'phase2'}.preempted`);
  const next = { ...s, highestSeen, phase: 'backoff' as const, attempt: Math.min(s.attempt + 1, MAX_BACKOFF_ATTEMPT) };
  if (!hasWork(next)) {
    ctx.cancelTimer(RETRY_TIMER);
    return { ...next, phase: 'idle', attempt: 0 };
  }
  // Back off before outbidding: two proposers that retry at once preempt each other forever.
  ctx.setTimer(RETRY_TIMER, BACKOFF_BASE * next.attempt, cfg.randomizedBackoff ? 1 : 0);
  return next;
}

function on1b(s: ProposerState, from: NodeId, b: number, votes: readonly Vote[], cfg: Config, ctx: Context<Msg>): ProposerState {
  const next: ProposerState = { ...s, promises: { ...s.promises, [from]: { b, votes } } };
  if (s.phase !== 'prepare') {
    ctx.cover('proposer.phase1.late');
    return next;
  }
  const quorum = countedPromises(next, cfg);
  if (quorum.length < cfg.quorum) {
    ctx.cover('proposer.phase1.promised');
    return next;
  }
  ctx.cover('proposer.phase1.quorum');
  return phase2a(next, quorum, cfg, ctx);
}

function on2b(s: ProposerState, from: NodeId, slot: number, b: number, v: Value, cfg: Config, ctx: Context<Msg>): ProposerState {
  let next = s;
  if (s.decided[slot] === undefined) {
    const r = count2b(s.tally, slot, b, v, from, cfg.quorum, { rules: cfg.rules, counts: distinctVoter });
    next = { ...next, tally: r.tally };
    if (r.chosen !== null) {
      ctx.cover(s.proposals[slot] === undefined || s.proposals[slot] === r.chosen ? 'proposer.learn.decided' : 'proposer.learn.displaced');
      next = { ...next, decided: { ...next.decided, [slot]: r.chosen } };
    }
  }
  if (b > next.ballot) return preempted(next, b, cfg, ctx);
  // A command displaced from its slot by another ballot's value goes to a free slot again.
  if (next.phase === 'accept') next = proposeCommands(next, cfg, ctx);
  return next === s ? s : rearm(next, ctx);
}

/** A learner could not settle `slots` from votes alone: settle them again in this proposer's ballot. */
function onRerun(s: ProposerState, slots: readonly number[], cfg: Config, ctx: Context<Msg>): ProposerState {
  if (s.phase !== 'accept') {
    ctx.cover('proposer.rerun.elect');
    const next = { ...s, wanted: [...new Set([...s.wanted, ...slots])].sort((a, b) => a - b) };
    return s.phase === 'idle' ? phase1a(next, cfg, ctx) : next;
  }
  let proposals = s.proposals;
  for (const slot of slots) {
    if (proposals[slot] !== undefined) continue;
    if (s.decided[slot] !== undefined) {
      // Decided, yet not proposed in this ballot: only a new phase 1 may learn its value safely.
      ctx.cover('proposer.rerun.unknown');
      continue;
    }
    // Phase 1 of this ballot reported no vote here, so nothing was chosen: a no-op is safe.
    ctx.cover('proposer.rerun.noop');
    proposals = { ...proposals, [slot]: NOOP };
  }
  ctx.cover('proposer.rerun.resent');
  const next = { ...s, proposals };
  send2a(next, slots, cfg, ctx);
  return rearm(next, ctx);
}

export function proposerMessage(s: ProposerState, from: NodeId, msg: Msg, cfg: Config, ctx: Context<Msg>): ProposerState {
  switch (msg.t) {
    case '1b':
      return on1b(s, from, msg.b, msg.votes, cfg, ctx);
    case '2b':
      return on2b(s, from, msg.slot, msg.b, msg.v, cfg, ctx);
    case 'nack':
      return preempted(s, msg.maxBal, cfg, ctx);
    case 'rerun':
      return onRerun(s, msg.slots, cfg, ctx);
    default:
      return s;
  }
}

export function proposerSubmit(s: ProposerState, value: Value, cfg: Config, ctx: Context<Msg>): ProposerState {
  const commands = [...s.commands, value];
  const next: ProposerState = { ...s, commands, writes: persist(s.writes, COMMANDS_KEY, commands, ctx) };
  switch (next.phase) {
    case 'accept':
      ctx.cover('proposer.submit.proposed');
      return rearm(proposeCommands(next, cfg, ctx), ctx);
    case 'idle':
      ctx.cover('proposer.submit.elect');
      return phase1a(next, cfg, ctx);
    default:
      ctx.cover('proposer.submit.queued');
      return next;
  }
}

export function proposerTimer(s: ProposerState, name: string, cfg: Config, ctx: Context<Msg>): ProposerState {
  if (name !== RETRY_TIMER) return s;
  if (!hasWork(s)) {
    ctx.cover('proposer.retry.idle');
    return rearm(s, ctx);
  }
  if (s.phase === 'accept') {
    // Still leader as far as we know: 2a or 2b messages were lost, so send the open slots again.
    ctx.cover('proposer.retry.resent');
    send2a(s, openProposals(s), cfg, ctx);
    return rearm(proposeCommands(s, cfg, ctx), ctx);
  }
  ctx.cover(s.phase === 'prepare' ? 'proposer.retry.timeout' : 'proposer.retry.outbid');
  return phase1a(s, cfg, ctx);
}

export function proposerWriteDone(s: ProposerState, key: string, ctx: Context<Msg>): ProposerState {
  return { ...s, writes: writeDone(s.writes, key, ctx).queue };
}

/**
 * Only the round and the submitted commands survive. Starting above the durable round means a
 * ballot this proposer may already have used (and proposed values in) is never run twice.
 */
export function recoverProposer(index: number, durable: DurableStore, cfg: Config, ctx: Context<Msg>): ProposerState {
  const round = cfg.rules.recoveredRound(asNumber(durable[ROUND_KEY], -1));
  const commands = asStrings(durable[COMMANDS_KEY]);
  ctx.cover('proposer.recover.restored');
  const s: ProposerState = { ...initProposer(index), round, commands };
  // Which commands are decided is unknown until a phase 1 shows the votes.
  return commands.length === 0 ? s : phase1a(s, cfg, ctx);
}

export function isProposerKey(key: string): boolean {
  return key.startsWith('proposer/');
}

/**
 * The ballot being run, for the ballot-uniqueness property: only once its round is durable,
 * since before that its 1a has not left and a crash may safely forget it.
 */
export function proposerView(s: ProposerState): NodeView {
  const pending = s.writes.some((w) => w.key === ROUND_KEY && w.value === s.round);
  return s.ballot > 0 && !pending ? { leading: s.ballot } : {};
}
