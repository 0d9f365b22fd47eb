import type { Context, DurableStore, NodeId, NodeView, Value } from '../../kernel/types.js';
import { applyCommand, kvText } from '../kv.js';
import type { KvState } from '../kv.js';
import { CATCHUP_AFTER, POLL_MAX, PROBE_AFTER } from './config.js';
import type { Config } from './config.js';
import { entriesUnder } from './durable.js';
import type { Msg } from './messages.js';
import { count2b } from './quorum.js';
import type { Tally } from './quorum.js';

const DECIDED_PREFIX = 'learner/decided/';
export const CATCHUP_TIMER = 'catchup';

/** A replica: learns decisions from 2b quorums and applies the decided log, in slot order, once. */
export interface LearnerState {
  readonly tally: Tally;
  readonly decided: Readonly<Record<string, Value>>;
  /** Slots 0..applied-1 are applied to `kv`. */
  readonly applied: number;
  readonly kv: KvState;
  /** When the catch-up timer (always running) fires next: short while something is missing. */
  readonly pollAfter: number;
  /** `applied` when we last asked about a gap, and how many asks in a row made no progress. */
  readonly askedAt: number;
  readonly stalled: number;
  /** Quiet polls so far, modulo the acceptors: each asks the next acceptor in turn. */
  readonly polled: number;
}

export function initLearner(ctx: Context<Msg>): LearnerState {
  ctx.setTimer(CATCHUP_TIMER, CATCHUP_AFTER);
  return { tally: {}, decided: {}, applied: 0, kv: {}, pollAfter: CATCHUP_AFTER, askedAt: -1, stalled: 0, polled: 0 };
}

function applyDecided(s: LearnerState, ctx: Context<Msg>): LearnerState {
  let { applied, kv } = s;
  for (let v = s.decided[applied]; v !== undefined; v = s.decided[applied]) {
    kv = applyCommand(kv, v);
    applied++;
    ctx.cover('learner.apply.next');
  }
  return applied === s.applied ? s : { ...s, applied, kv };
}

/** Slots we know exist but cannot apply yet: gaps below a decision, or slots with some votes. */
function missing(s: LearnerState): number[] {
  const decided = Object.keys(s.decided).map(Number);
  const top = decided.length > 0 ? Math.max(...decided) : -1;
  const out = new Set<number>();
  for (let slot = s.applied; slot < top; slot++) if (s.decided[slot] === undefined) out.add(slot);
  for (const key of Object.keys(s.tally)) {
    const slot = Number(key);
    if (s.decided[slot] === undefined) out.add(slot);
  }
  return [...out].sort((a, b) => a - b);
}

/** News (a vote or a decision) ends a quiet spell: look for gaps soon again. */
function hurry(s: LearnerState, ctx: Context<Msg>): LearnerState {
  if (s.pollAfter <= CATCHUP_AFTER) return s;
  ctx.setTimer(CATCHUP_TIMER, CATCHUP_AFTER);
  return { ...s, pollAfter: CATCHUP_AFTER };
}

function on2b(s: LearnerState, from: NodeId, slot: number, b: number, v: Value, cfg: Config, ctx: Context<Msg>): LearnerState {
  if (s.decided[slot] !== undefined) {
    ctx.cover('learner.vote.late');
    return s;
  }
  // Distinct acceptors make a quorum; a 2b heard twice (network duplicate, re-sent on catch-up
  // or on a proposer's retransmission) is still one vote.
  const r = count2b(s.tally, slot, b, v, from, cfg.quorum, { rules: cfg.rules, counts: cfg.rules.learnerCounts });
  if (r.chosen === null) {
    ctx.cover(`learner.vote.${r.outcome}`);
    return hurry({ ...s, tally: r.tally }, ctx);
  }
  ctx.cover('learner.decide.chosen');
  ctx.decide(slot, r.chosen);
  ctx.write(`${DECIDED_PREFIX}${slot}`, r.chosen);
  const decided = applyDecided({ ...s, tally: r.tally, decided: { ...s.decided, [slot]: r.chosen } }, ctx);
  return hurry(decided, ctx);
}

/**
 * Catch-up: first ask the acceptors to re-send their votes (enough after lost 2b messages); if a
 * round brings no progress, the votes may be scattered over ballots, so also ask a proposer to run
 * Paxos for the slots again, rotating over proposers in case one is down. With no known gap, poll
 * the acceptors for anything from `applied` on, less and less often while nothing turns up.
 */
function onCatchupTimer(s: LearnerState, cfg: Config, ctx: Context<Msg>): LearnerState {
  const slots = missing(s);
  if (slots.length === 0) {
    // One acceptor per poll is enough to find out that a slot exists: a chosen value is held by
    // a majority, so two polls in a row cannot both miss it. Its votes then open a gap to ask about.
    ctx.cover('learner.catchup.poll');
    const target = cfg.acceptors[s.polled % Math.max(1, cfg.acceptors.length)];
    if (target !== undefined) ctx.send(target, { t: 'catchup', from: s.applied, slots });
    const pollAfter = Math.min(POLL_MAX, s.pollAfter * 2);
    ctx.setTimer(CATCHUP_TIMER, pollAfter);
    return { ...s, pollAfter, askedAt: -1, stalled: 0, polled: (s.polled + 1) % Math.max(1, cfg.acceptors.length) };
  }
  const stalled = s.askedAt === s.applied ? s.stalled + 1 : 0;
  ctx.cover('learner.catchup.asked');
  for (const a of cfg.acceptors) ctx.send(a, { t: 'catchup', from: s.applied, slots });
  const proposer = cfg.proposers[stalled % Math.max(1, cfg.proposers.length)];
  if (stalled > 0 && proposer !== undefined) {
    ctx.cover('learner.catchup.rerun');
    ctx.send(proposer, { t: 'rerun', slots });
  }
  ctx.setTimer(CATCHUP_TIMER, CATCHUP_AFTER);
  return { ...s, pollAfter: CATCHUP_AFTER, askedAt: s.applied, stalled };
}

export function learnerMessage(s: LearnerState, from: NodeId, msg: Msg, cfg: Config, ctx: Context<Msg>): LearnerState {
  if (msg.t !== '2b') return s;
  return on2b(s, from, msg.slot, msg.b, msg.v, cfg, ctx);
}

export function learnerTimer(s: LearnerState, name: string, cfg: Config, ctx: Context<Msg>): LearnerState {
  return name === CATCHUP_TIMER ? onCatchupTimer(s, cfg, ctx) : s;
}

/** Decisions are durable; the tally is not, so a restarted learner asks soon for what it missed. */
export function recoverLearner(durable: DurableStore, ctx: Context<Msg>): LearnerState {
  const decided: Record<string, Value> = {};
  for (const [slot, value] of entriesUnder(durable, DECIDED_PREFIX)) {
    if (typeof value === 'string') decided[slot] = value;
  }
  ctx.cover('learner.recover.restored');
  ctx.setTimer(CATCHUP_TIMER, PROBE_AFTER);
  // The next quiet poll doubles this to CATCHUP_AFTER.
  const s: LearnerState = { tally: {}, decided, applied: 0, kv: {}, pollAfter: CATCHUP_AFTER / 2, askedAt: -1, stalled: 0, polled: 0 };
  return applyDecided(s, ctx);
}

export function learnerView(s: LearnerState): NodeView {
  const decided: Record<number, Value> = {};
  for (const key of Object.keys(s.decided)) {
    const v = s.decided[key];
    if (v !== undefined) decided[Number(key)] = v;
  }
  return { decided, replica: { applied: s.applied, state: kvText(s.kv) } };
}
