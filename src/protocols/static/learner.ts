import type { Context, DurableStore, NodeId, NodeView, Value } from '../../kernel/types.js';
import { applyCommand, kvText } from '../kv.js';
import type { KvState } from '../kv.js';
import { CATCHUP_AFTER, PROBE_AFTER } from './config.js';
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
  readonly catchupArmed: boolean;
  /** Set after a restart: ask even without a known gap, since decisions may have passed us by. */
  readonly probe: boolean;
  /** `applied` when we last asked, and how many asks in a row made no progress. */
  readonly askedAt: number;
  readonly stalled: number;
}

export function initLearner(): LearnerState {
  return { tally: {}, decided: {}, applied: 0, kv: {}, catchupArmed: false, probe: false, askedAt: -1, stalled: 0 };
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

function armCatchup(s: LearnerState, after: number, ctx: Context<Msg>): LearnerState {
  if (s.catchupArmed || (missing(s).length === 0 && !s.probe)) return s;
  ctx.setTimer(CATCHUP_TIMER, after);
  return { ...s, catchupArmed: true };
}

function on2b(s: LearnerState, from: NodeId, slot: number, b: number, v: Value, cfg: Config, ctx: Context<Msg>): LearnerState {
  if (s.decided[slot] !== undefined) {
    ctx.cover('learner.vote.late');
    return s;
  }
  // Distinct acceptors make a quorum; a 2b heard twice (network duplicate, re-sent on catch-up
  // or on a proposer's retransmission) is still one vote.
  const r = count2b(s.tally, slot, b, v, from, cfg.quorum, { flags: cfg.flags, countRepeats: cfg.flags.learnerDuplicates });
  if (r.chosen === null) {
    ctx.cover(`learner.vote.${r.outcome}`);
    return armCatchup({ ...s, tally: r.tally }, CATCHUP_AFTER, ctx);
  }
  ctx.cover('learner.decide.chosen');
  ctx.decide(slot, r.chosen);
  ctx.write(`${DECIDED_PREFIX}${slot}`, r.chosen);
  const decided = applyDecided({ ...s, tally: r.tally, decided: { ...s.decided, [slot]: r.chosen } }, ctx);
  return armCatchup(decided, CATCHUP_AFTER, ctx);
}

/**
 * Catch-up: first ask the acceptors to re-send their votes (enough after lost 2b messages); if a
 * round brings no progress, the votes may be scattered over ballots, so also ask a proposer to run
 * Paxos for the slots again, rotating over proposers in case one is down.
 */
function onCatchupTimer(s: LearnerState, cfg: Config, ctx: Context<Msg>): LearnerState {
  const slots = missing(s);
  if (slots.length === 0 && !s.probe) {
    ctx.cover('learner.catchup.idle');
    return { ...s, catchupArmed: false, stalled: 0, askedAt: -1 };
  }
  const stalled = s.askedAt === s.applied ? s.stalled + 1 : 0;
  ctx.cover(s.probe ? 'learner.catchup.probe' : 'learner.catchup.asked');
  for (const a of cfg.acceptors) ctx.send(a, { t: 'catchup', from: s.applied, slots });
  const proposer = cfg.proposers[stalled % Math.max(1, cfg.proposers.length)];
  if (stalled > 0 && slots.length > 0 && proposer !== undefined) {
    ctx.cover('learner.catchup.rerun');
    ctx.send(proposer, { t: 'rerun', slots });
  }
  ctx.setTimer(CATCHUP_TIMER, CATCHUP_AFTER);
  return { ...s, catchupArmed: true, probe: false, askedAt: s.applied, stalled };
}

export function learnerMessage(s: LearnerState, from: NodeId, msg: Msg, cfg: Config, ctx: Context<Msg>): LearnerState {
  if (msg.t !== '2b') return s;
  return on2b(s, from, msg.slot, msg.b, msg.v, cfg, ctx);
}

export function learnerTimer(s: LearnerState, name: string, cfg: Config, ctx: Context<Msg>): LearnerState {
  return name === CATCHUP_TIMER ? onCatchupTimer(s, cfg, ctx) : s;
}

/** Decisions are durable; the tally is not, so a restarted learner probes for what it missed. */
export function recoverLearner(durable: DurableStore, ctx: Context<Msg>): LearnerState {
  const decided: Record<string, Value> = {};
  for (const [slot, value] of entriesUnder(durable, DECIDED_PREFIX)) {
    if (typeof value === 'string') decided[slot] = value;
  }
  ctx.cover('learner.recover.restored');
  const s = applyDecided({ ...initLearner(), decided, probe: true }, ctx);
  return armCatchup(s, PROBE_AFTER, ctx);
}

export function learnerView(s: LearnerState): NodeView {
  const decided: Record<number, Value> = {};
  for (const key of Object.keys(s.decided)) {
    const v = s.decided[key];
    if (v !== undefined) decided[Number(key)] = v;
  }
  return { decided, replica: { applied: s.applied, state: kvText(s.kv) } };
}
