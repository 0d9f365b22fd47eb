import type { Context, ServerReply, Value } from '../../kernel/types.js';
import type { Block, Vote } from './block.js';
import { blockKey, decodeBlock, encodeBlock, initialBlock, parseBlockKey } from './block.js';
import type { Stepped } from './disk-step.js';
import { diskReply, resend, startRound } from './disk-step.js';
import { nextInput, withDecision } from './log.js';
import type { Proc } from './proc.js';
import { recoveryReply, startRecovery } from './recovery.js';
import type { BallotMode, ProcessorState, Seen, Settle, Step } from './state.js';
import { PATIENCE, ballotAbove, nothingSeen, setAt } from './state.js';

// The phases of one slot, as Gafni & Lamport name them (docs/protocols.md, disk):
//   beginSlot    — after a restart phase 0 first (recovery.ts), then a ballot or a watch
//   StartBallot  — an mbal above every one seen, bal and inp kept; phase 1
//   phase 1 or 2 — per disk, write the own block then read the others (disk-step.ts)
//   EndPhase1    — bal := mbal; inp := the highest-bal vote read or own, else the own input; phase 2
//   EndPhase2    — output inp; phase 3 leaves the decision on the disks (settle.ts)
//   abort        — a block with a higher mbal: watch the slot, then start a new ballot
// A processor with nothing to propose, or beaten, polls the slot (`poll`) to learn its decision.

/** The next slot: phase 0 after a restart, then a ballot or a watch; nothing left: finished. */
export function beginSlot(k: Proc, s: ProcessorState, ctx: Context): ProcessorState {
  if (s.slot >= k.cfg.slots) {
    if (s.settle.length === 0) ctx.cancelTimer('retry');
    return { ...s, mode: { k: 'finished' } };
  }
  if (s.restarted && k.rules.phase0AfterRestart) return startRecovery(k, s, ctx);
  return proceed(k, s, ctx);
}

/** With a command to place, begin a ballot; otherwise watch the slot. */
export function proceed(k: Proc, s: ProcessorState, ctx: Context): ProcessorState {
  if (nextInput(s.cmds, s.decided) !== null) return startBallot(k, s, ctx);
  return enterPoll(k, s, false, ctx);
}

function enterPoll(k: Proc, s: ProcessorState, defer: boolean, ctx: Context): ProcessorState {
  k.arm(ctx);
  return { ...s, mode: { k: 'poll', tag: 0, defer, polls: 0, last: null, seen: nothingSeen } };
}

/** StartBallot: a ballot of ours above every mbal seen; the new block keeps the vote. */
export function startBallot(k: Proc, s: ProcessorState, ctx: Context): ProcessorState {
  const mbal = ballotAbove(Math.max(s.maxSeen, s.dblock.mbal), k.p, k.cfg.processors);
  const dblock: Block = k.rules.newBallotBlock(s.dblock, mbal);
  ctx.cover(k.label('ballot.started'));
  return startPhase(k, { ...s, dblock, maxSeen: Math.max(s.maxSeen, mbal) }, 1, ctx);
}

/** Phase 1 or 2 begins on every disk, except where the previous phase's write is still in flight. */
function startPhase(k: Proc, s0: ProcessorState, phase: 1 | 2, ctx: Context): ProcessorState {
  let s = s0;
  const disks: Step[] = [];
  const before = s0.mode.k === 'ballot' ? s0.mode.disks : [];
  for (let d = 0; d < k.D; d++) {
    // Two writes in flight to one key make the later-landing one unreadable: wait for the first.
    const prev = before[d];
    if (prev && (prev.k === 'put' || prev.k === 'queued')) {
      disks.push({ k: 'queued', tag: prev.tag, v: prev.v });
      continue;
    }
    const r = startRound(k, s, d, ctx);
    s = r.s;
    disks.push(r.step);
  }
  k.arm(ctx);
  return { ...s, mode: { k: 'ballot', phase, disks, best: null } };
}

/** A higher mbal was read: the ballot is lost; watch the slot before trying again. */
function abort(k: Proc, s: ProcessorState, seen: number, ctx: Context): ProcessorState {
  const phase = s.mode.k === 'ballot' ? s.mode.phase : 1;
  ctx.cover(k.label(`phase${phase}.aborted`));
  const s1 = enterPoll(k, { ...s, maxSeen: Math.max(s.maxSeen, seen) }, true, ctx);
  // A phase-2 vote may already be chosen: carry it into a new ballot after one period
  // unless the decision shows up first, rather than waiting out the rival.
  return phase === 2 && s1.mode.k === 'poll' ? { ...s1, mode: { ...s1.mode, polls: PATIENCE } } : s1;
}

/** Output the decision and move to the next slot, whose writes go to other keys. */
function decideAndMove(k: Proc, s: ProcessorState, v: Value, ctx: Context): ProcessorState {
  ctx.decide(s.slot, v);
  const next: ProcessorState = {
    ...s,
    decided: withDecision(s.decided, s.slot, v),
    slot: s.slot + 1,
    dblock: initialBlock,
    maxSeen: 0,
    known: k.freshKnown(s.restarted),
    // The new slot's writes go to other keys: nothing of the old ballot carries over.
    mode: { k: 'finished' },
  };
  return beginSlot(k, next, ctx);
}

/** Another processor's done block: its decision is the slot's. */
export function learn(k: Proc, s: ProcessorState, v: Value, ctx: Context): ProcessorState {
  ctx.cover(k.label('learn.done-block'));
  return decideAndMove(k, s, v, ctx);
}

/**
 * EndPhase1: bal := mbal; inp := the inp of the highest-bal block among those read and the own
 * dblock, or the own input when none has a value; then phase 2.
 */
function endPhase1(k: Proc, s: ProcessorState, best: Vote | null, ctx: Context): ProcessorState {
  const mine: Vote | null = k.rules.ownVote(s.dblock);
  const pick = [best, mine].reduce<Vote | null>((a, b) => (b !== null && (a === null || b.bal > a.bal) ? b : a), null);
  const inp = pick?.inp ?? nextInput(s.cmds, s.decided);
  if (inp === null) {
    ctx.cover(k.label('phase1.nothing-to-propose'));
    return enterPoll(k, s, false, ctx);
  }
  ctx.cover(k.label(pick === null ? 'phase1.own-value' : pick === mine ? 'phase1.kept-own-vote' : 'phase1.adopted'));
  const mbal = s.dblock.mbal;
  return startPhase(k, { ...s, dblock: { mbal, bal: mbal, inp } }, 2, ctx);
}

/** EndPhase2: inp is decided. Phase 3 leaves the decision on the disks: others learn it by reading. */
function endPhase2(k: Proc, s: ProcessorState, ctx: Context): ProcessorState {
  const v = s.dblock.inp as Value;
  ctx.cover(k.label('phase2.decided'));
  const tag = s.tag + 1;
  for (let d = 0; d < k.D; d++) {
    const version = (s.known[d] ?? -1) + 1;
    k.put(ctx, d, tag, k.own(s), encodeBlock(s.dblock, v, version));
  }
  const settle: Settle = { slot: s.slot, block: s.dblock, v, tag, ok: k.cfg.disks.map(() => false) };
  k.arm(ctx);
  return decideAndMove(k, { ...s, tag, settle: [...s.settle, settle] }, v, ctx);
}

/** A reply from disk d in phase 1 or 2; a majority of disks done ends the phase. */
export function ballotReply(k: Proc, s: ProcessorState, d: number, reply: ServerReply, ctx: Context): ProcessorState {
  const mode = s.mode;
  if (mode.k !== 'ballot') return s;
  const withStep = (s1: ProcessorState, st: Step): ProcessorState => {
    const m = s1.mode.k === 'ballot' ? s1.mode : mode;
    return { ...s1, mode: { ...m, disks: setAt(m.disks, d, st) } };
  };
  const out = diskReply(k, s, d, mode, reply, ctx);
  switch (out.k) {
    case 'ignored':
      return s;
    case 'state':
      return out.s;
    case 'learn':
      return learn(k, s, out.v, ctx);
    case 'abort':
      return abort(k, s, out.seen, ctx);
    case 'step': {
      const s2 = withStep(out.s, out.step);
      return out.step.k === 'done' ? endPhaseOnMajority(k, s2, ctx) : s2;
    }
  }
}

function endPhaseOnMajority(k: Proc, s: ProcessorState, ctx: Context): ProcessorState {
  const m: BallotMode | null = s.mode.k === 'ballot' ? s.mode : null;
  if (m === null || m.disks.filter((x) => x.k === 'done').length < k.need) return s;
  return m.phase === 1 ? endPhase1(k, s, m.best, ctx) : endPhase2(k, s, ctx);
}

/** The retry timer fired in phase 1 or 2: every disk asks again for what it is missing. */
export function ballotRetry(k: Proc, s0: ProcessorState, ctx: Context): ProcessorState {
  const mode = s0.mode;
  if (mode.k !== 'ballot') return s0;
  let s = s0;
  const disks: Step[] = [];
  mode.disks.forEach((step, d) => {
    const r: Stepped = resend(k, s, d, step, ctx);
    s = r.s;
    disks.push(r.step);
  });
  ctx.cover(k.label('retry.resent'));
  k.arm(ctx);
  return { ...s, mode: { ...mode, disks } };
}

/** Phase 0's reply: a decision, progress, or the restored block to go on with. */
export function recoverReply(k: Proc, s: ProcessorState, d: number, reply: ServerReply, ctx: Context): ProcessorState {
  const out = recoveryReply(k, s, d, reply, ctx);
  switch (out.k) {
    case 'ignored':
      return s;
    case 'state':
      return out.s;
    case 'learn':
      return learn(k, s, out.v, ctx);
    case 'restored':
      return proceed(k, out.s, ctx);
  }
}

/** Watching: a block of the slot read; a decision ends the slot, anything else is noted. */
export function pollReply(k: Proc, s: ProcessorState, reply: ServerReply, ctx: Context): ProcessorState {
  const mode = s.mode;
  if (mode.k !== 'poll' || reply.op !== 'get' || reply.tag !== mode.tag) return s;
  const owner = parseBlockKey(reply.key);
  if (!owner || owner.slot !== s.slot) return s;
  const r = decodeBlock(reply.value, reply.version);
  if (r.done !== null) return learn(k, s, r.done, ctx);
  const seen: Seen = {
    replies: mode.seen.replies + 1,
    mbal: Math.max(mode.seen.mbal, r.block.mbal),
    bal: Math.max(mode.seen.bal, r.block.bal),
    writes: mode.seen.writes + reply.version,
  };
  return { ...s, maxSeen: Math.max(s.maxSeen, r.block.mbal), mode: { ...mode, seen } };
}

/** Watching, a period passed: start a ballot if it is time, else read the others' blocks again. */
export function pollRetry(k: Proc, s: ProcessorState, ctx: Context): ProcessorState {
  const mode = s.mode;
  if (mode.k !== 'poll') return s;
  const input = nextInput(s.cmds, s.decided);
  if (input !== null && !mode.defer) return startBallot(k, s, ctx);
  const sig = mode.seen.replies > 0 ? `${mode.seen.replies}/${mode.seen.writes}` : null;
  // Start a ballot when nobody wrote the slot for a whole period (the ballot that beat us, or
  // the one that left a vote, is stuck) or when patience runs out.
  const patient = mode.polls < PATIENCE;
  if (sig !== null && (sig === mode.last || !patient) && (input !== null || mode.seen.bal > 0 || s.dblock.bal > 0)) {
    ctx.cover(k.label(mode.defer ? 'poll.stalled-rival' : 'poll.takeover'));
    return startBallot(k, s, ctx);
  }
  const tag = s.tag + 1;
  for (let d = 0; d < k.D; d++) for (const q of k.others) k.get(ctx, d, blockKey(s.slot, q), tag);
  k.arm(ctx);
  return { ...s, tag, mode: { ...mode, tag, polls: mode.polls + 1, last: sig, seen: nothingSeen } };
}
