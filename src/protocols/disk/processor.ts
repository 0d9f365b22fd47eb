import type { AgentBehaviour, Context, NodeId, ServerReply, Value } from '../../kernel/types.js';
import type { Block } from './block.js';
import { blockFaults, blockKey, decodeBlock, encodeBlock, initialBlock, parseBlockKey, sameBlock, showBlock } from './block.js';
import type { Decided } from './log.js';
import { CMDS, agentView, armRetry, durableCommands, majority, nextInput, withDecision } from './log.js';
import type { DiskFlags } from './mutants.js';

/**
 * Disk Paxos (Gafni & Lamport 2003), one Synod instance per slot. Processors talk only to disks:
 * passive key-value servers where processor p owns the key `${slot}/${p}` on every disk.
 */
export interface DiskConfig {
  readonly processors: number;
  /** Node ids of the disks, in disk order. */
  readonly disks: readonly NodeId[];
  readonly slots: number;
  readonly randomized: boolean;
  readonly flags: DiskFlags;
  /** Prefix of the coverage labels ('processor' for Disk Paxos, 'register' for the passive service). */
  readonly label: string;
}

/**
 * Progress of the current phase on one disk: write the own block (after learning the version
 * to fence it with, if unknown), then read every other block, then re-read the own block to be
 * sure the write is still the one there.
 */
export type Step =
  | { readonly k: 'probe'; readonly tag: number }
  /** `read`: the other blocks were already read (only the read-before-write mutant does that). */
  | { readonly k: 'put'; readonly tag: number; readonly v: number; readonly read?: boolean }
  /** The previous phase's write here is still unacknowledged: the next one waits for it. */
  | { readonly k: 'queued'; readonly tag: number; readonly v: number }
  | { readonly k: 'read'; readonly tag: number; readonly waiting: readonly number[]; readonly rereads: number; readonly first?: boolean }
  | { readonly k: 'verify'; readonly tag: number }
  /** A read met an unreadable block; the disk is read again on the next timeout. */
  | { readonly k: 'stalled' }
  | { readonly k: 'done' };

export interface Vote {
  readonly bal: number;
  readonly inp: Value;
}

interface Seen {
  readonly replies: number;
  readonly mbal: number;
  readonly bal: number;
  /** Sum of the versions read: any write to the slot's keys changes it. */
  readonly writes: number;
}

const nothingSeen: Seen = { replies: 0, mbal: 0, bal: 0, writes: 0 };

export type Mode =
  /** Phase 0 after a restart: the own block is read back from a majority of disks. */
  | { readonly k: 'recover'; readonly tag: number; readonly got: readonly (Block | null)[] }
  /**
   * Watch the slot: learn its decision, and take over a ballot nobody moves any more. Entered
   * with nothing to propose, or (`defer`) after losing to a higher ballot, which is left to finish
   * undisturbed while it makes progress — restarting at once only duels.
   */
  | { readonly k: 'poll'; readonly tag: number; readonly defer: boolean; readonly polls: number; readonly last: string | null; readonly seen: Seen }
  | { readonly k: 'ballot'; readonly phase: 1 | 2; readonly disks: readonly Step[]; readonly best: Vote | null }
  | { readonly k: 'finished' };

export interface ProcessorState {
  readonly p: number;
  readonly cmds: readonly Value[];
  readonly decided: Decided;
  /** The lowest slot this processor has not decided; the only one it works on. */
  readonly slot: number;
  /** Restarted at least once: own blocks on disk may be newer than anything in memory. */
  readonly restarted: boolean;
  readonly dblock: Block;
  /** Highest mbal seen in this slot, so the next ballot outbids it. */
  readonly maxSeen: number;
  /** Per disk, the version of the own key as last read (null: not read in this incarnation). */
  readonly known: readonly (number | null)[];
  readonly mode: Mode;
  readonly tag: number;
  /** Decisions of this processor whose done block is not yet seen on every disk. */
  readonly settle: readonly Settle[];
}

/**
 * A decision being left on the disks. A delayed older write landing on top of the done block
 * would leave readers of that disk with an unreadable block and no decision to learn, long after
 * this processor moved on; so it reads its done blocks back until every disk shows them.
 */
export interface Settle {
  readonly slot: number;
  readonly block: Block;
  readonly v: Value;
  readonly tag: number;
  readonly ok: readonly boolean[];
}

/** Quick re-reads of an unreadable block before the disk waits for the next timeout. */
const MAX_REREADS = 3;
/**
 * Polls a processor that lost to a higher ballot waits before it restarts even though the rival
 * still writes: the rival may be cut off from a majority, or in its own duel.
 */
const PATIENCE = 2;

/** The smallest ballot of processor p (of P) above `above`: ballots round·P + p + 1 are disjoint. */
export function ballotAbove(above: number, p: number, processors: number): number {
  const round = Math.max(0, Math.floor((above - p - 1) / processors) + 1);
  return round * processors + p + 1;
}

export function processorAgent(p: number, cfg: DiskConfig): AgentBehaviour<ProcessorState> {
  const D = cfg.disks.length;
  const others = Array.from({ length: cfg.processors }, (_, q) => q).filter((q) => q !== p);
  const need = cfg.flags.minorityDisks ? Math.max(1, Math.floor(D / 2)) : majority(D);
  const flags = cfg.flags;
  const label = (s: string): string => `${cfg.label}.${s}`;
  const own = (s: ProcessorState): string => blockKey(s.slot, p);
  const arm = (ctx: Context): void => armRetry(ctx, cfg.randomized);
  const diskOf = (server: NodeId): number => cfg.disks.indexOf(server);
  const freshKnown = (restarted: boolean): (number | null)[] => cfg.disks.map(() => (restarted ? null : 0));

  const setAt = <T>(xs: readonly T[], i: number, x: T): T[] => xs.map((y, j) => (j === i ? x : y));
  const get = (ctx: Context, d: number, key: string, tag: number): void =>
    ctx.op(cfg.disks[d] as NodeId, { op: 'get', tag, key });

  function beginSlot(s: ProcessorState, ctx: Context): ProcessorState {
    if (s.slot >= cfg.slots) {
      if (s.settle.length === 0) ctx.cancelTimer('retry');
      return { ...s, mode: { k: 'finished' } };
    }
    if (s.restarted && !flags.noRecoveryPhase) return startRecovery(s, ctx);
    return proceed(s, ctx);
  }

  /**
   * Phase 0, per slot after a restart: read the own block back. The other blocks are read too,
   * only for a decision already written there, which ends the slot at once.
   */
  function startRecovery(s: ProcessorState, ctx: Context): ProcessorState {
    const tag = s.tag + 1;
    for (let d = 0; d < D; d++) recoveryReads(ctx, d, s.slot, tag);
    arm(ctx);
    return { ...s, tag, mode: { k: 'recover', tag, got: cfg.disks.map(() => null) } };
  }

  function recoveryReads(ctx: Context, d: number, slot: number, tag: number): void {
    get(ctx, d, blockKey(slot, p), tag);
    for (const q of others) get(ctx, d, blockKey(slot, q), tag);
  }

  /** With a command to place, begin a ballot; otherwise watch the slot. */
  function proceed(s: ProcessorState, ctx: Context): ProcessorState {
    if (nextInput(s.cmds, s.decided) !== null) return startBallot(s, ctx);
    return enterPoll(s, false, ctx);
  }

  function enterPoll(s: ProcessorState, defer: boolean, ctx: Context): ProcessorState {
    arm(ctx);
    return { ...s, mode: { k: 'poll', tag: 0, defer, polls: 0, last: null, seen: nothingSeen } };
  }

  function startBallot(s: ProcessorState, ctx: Context): ProcessorState {
    const mbal = ballotAbove(Math.max(s.maxSeen, s.dblock.mbal), p, cfg.processors);
    // G&L keep bal and inp: the vote may belong to a chosen value.
    const dblock: Block = flags.newBallotDropsVote ? { mbal, bal: 0, inp: null } : { ...s.dblock, mbal };
    ctx.cover(label('ballot.started'));
    return startPhase({ ...s, dblock, maxSeen: Math.max(s.maxSeen, mbal) }, 1, ctx);
  }

  function startPhase(s0: ProcessorState, phase: 1 | 2, ctx: Context): ProcessorState {
    let s = s0;
    const disks: Step[] = [];
    const before = s0.mode.k === 'ballot' ? s0.mode.disks : [];
    for (let d = 0; d < D; d++) {
      // Two writes in flight to one key make the later-landing one unreadable: wait for the first.
      const prev = before[d];
      if (prev && (prev.k === 'put' || prev.k === 'queued')) {
        disks.push({ k: 'queued', tag: prev.tag, v: prev.v });
        continue;
      }
      const r = startRound(s, d, ctx);
      s = r.s;
      disks.push(r.step);
    }
    arm(ctx);
    return { ...s, mode: { k: 'ballot', phase, disks, best: null } };
  }

  /** Writes the own block to disk d, fenced with the version the write will create. */
  function startRound(s: ProcessorState, d: number, ctx: Context): { s: ProcessorState; step: Step } {
    const tag = s.tag + 1;
    const known = s.known[d] ?? null;
    if (known === null) {
      get(ctx, d, own(s), tag);
      return { s: { ...s, tag }, step: { k: 'probe', tag } };
    }
    if (flags.readBeforeWrite && others.length > 0) {
      for (const q of others) get(ctx, d, blockKey(s.slot, q), tag);
      return { s: { ...s, tag }, step: { k: 'read', tag, waiting: others, rereads: 0, first: true } };
    }
    return startPut(s, d, false, ctx);
  }

  function startPut(s: ProcessorState, d: number, read: boolean, ctx: Context): { s: ProcessorState; step: Step } {
    const tag = s.tag + 1;
    const v = (s.known[d] ?? 0) + 1;
    ctx.op(cfg.disks[d] as NodeId, { op: 'put', tag, key: own(s), value: encodeBlock(s.dblock, null, v) });
    return { s: { ...s, tag }, step: read ? { k: 'put', tag, v, read } : { k: 'put', tag, v } };
  }

  /**
   * Only after the own write is acknowledged: read every other processor's block there. The own
   * block is read along with them, so that a write overtaken by an older one is repaired at once
   * rather than leaving every reader of the disk waiting.
   */
  function startReads(s: ProcessorState, d: number, ctx: Context): { s: ProcessorState; step: Step } {
    const tag = s.tag + 1;
    if (others.length === 0) return startVerify({ ...s, tag }, d, ctx);
    for (const q of others) get(ctx, d, blockKey(s.slot, q), tag);
    get(ctx, d, own(s), tag);
    return { s: { ...s, tag }, step: { k: 'read', tag, waiting: others, rereads: 0 } };
  }

  /**
   * The own block is read last, after the others: a disk then counts only if at one moment it
   * held the current block together with blocks no newer than the ones read.
   */
  function startVerify(s: ProcessorState, d: number, ctx: Context): { s: ProcessorState; step: Step } {
    const tag = s.tag + 1;
    get(ctx, d, own(s), tag);
    return { s: { ...s, tag }, step: { k: 'verify', tag } };
  }

  function resend(s: ProcessorState, d: number, step: Step, ctx: Context): { s: ProcessorState; step: Step } {
    switch (step.k) {
      case 'probe':
      case 'verify':
        get(ctx, d, own(s), step.tag);
        return { s, step };
      case 'put':
        // Ask before writing again: a second copy of a slow write would only land out of turn.
        get(ctx, d, own(s), step.tag);
        return { s, step };
      case 'queued':
        ctx.cover(label('queue.gave-up'));
        return startRound(s, d, ctx);
      case 'read':
        for (const q of step.waiting) get(ctx, d, blockKey(s.slot, q), step.tag);
        return { s, step };
      case 'stalled':
        ctx.cover(label('read.retried'));
        return startReads(s, d, ctx);
      case 'done':
        return { s, step };
    }
  }

  /**
   * Raises what is known of the own key's version on disk d: a version read, or v of an
   * acknowledged write (it landed at version v or later). Only ever a lower bound of the true
   * version and never lowered, so each write's v is at most the version it lands at, and a
   * write made earlier never carries a higher v than one made later: an older write landing late
   * always finds a version above its v, and torn writes keep an old v.
   */
  function observed(s: ProcessorState, d: number, version: number): ProcessorState {
    return { ...s, known: setAt(s.known, d, Math.max(s.known[d] ?? 0, version)) };
  }

  function abort(s: ProcessorState, seen: number, ctx: Context): ProcessorState {
    const phase = s.mode.k === 'ballot' ? s.mode.phase : 1;
    ctx.cover(label(`phase${phase}.aborted`));
    const s1 = enterPoll({ ...s, maxSeen: Math.max(s.maxSeen, seen) }, true, ctx);
    // A phase-2 vote may already be chosen: carry it into a new ballot after one period
    // unless the decision shows up first, rather than waiting out the rival.
    return phase === 2 && s1.mode.k === 'poll' ? { ...s1, mode: { ...s1.mode, polls: PATIENCE } } : s1;
  }

  function decideAndMove(s: ProcessorState, v: Value, ctx: Context): ProcessorState {
    ctx.decide(s.slot, v);
    const next: ProcessorState = {
      ...s,
      decided: withDecision(s.decided, s.slot, v),
      slot: s.slot + 1,
      dblock: initialBlock,
      maxSeen: 0,
      known: freshKnown(s.restarted),
      // The new slot's writes go to other keys: nothing of the old ballot carries over.
      mode: { k: 'finished' },
    };
    return beginSlot(next, ctx);
  }

  function learn(s: ProcessorState, v: Value, ctx: Context): ProcessorState {
    ctx.cover(label('learn.done-block'));
    return decideAndMove(s, v, ctx);
  }

  function endPhase1(s: ProcessorState, best: Vote | null, ctx: Context): ProcessorState {
    const mine: Vote | null = flags.ignoreOwnBlock || s.dblock.inp === null ? null : { bal: s.dblock.bal, inp: s.dblock.inp };
    const pick = [best, mine].reduce<Vote | null>((a, b) => (b !== null && (a === null || b.bal > a.bal) ? b : a), null);
    const inp = pick?.inp ?? nextInput(s.cmds, s.decided);
    if (inp === null) {
      ctx.cover(label('phase1.nothing-to-propose'));
      return enterPoll(s, false, ctx);
    }
    ctx.cover(label(pick === null ? 'phase1.own-value' : pick === mine ? 'phase1.kept-own-vote' : 'phase1.adopted'));
    const mbal = s.dblock.mbal;
    return startPhase({ ...s, dblock: { mbal, bal: mbal, inp } }, 2, ctx);
  }

  function endPhase2(s: ProcessorState, ctx: Context): ProcessorState {
    const v = s.dblock.inp as Value;
    ctx.cover(label('phase2.decided'));
    // Phase 3 leaves the decision on the disks: others learn it by reading, without a ballot.
    const tag = s.tag + 1;
    for (let d = 0; d < D; d++) {
      const version = (s.known[d] ?? -1) + 1;
      ctx.op(cfg.disks[d] as NodeId, { op: 'put', tag, key: own(s), value: encodeBlock(s.dblock, v, version) });
    }
    const settle: Settle = { slot: s.slot, block: s.dblock, v, tag, ok: cfg.disks.map(() => false) };
    arm(ctx);
    return decideAndMove({ ...s, tag, settle: [...s.settle, settle] }, v, ctx);
  }

  function onBallotReply(s: ProcessorState, d: number, reply: ServerReply, ctx: Context): ProcessorState {
    const mode = s.mode;
    if (mode.k !== 'ballot') return s;
    const step = mode.disks[d];
    if (!step || step.k === 'done' || step.k === 'stalled' || reply.tag !== step.tag) return s;
    const withStep = (s1: ProcessorState, st: Step): ProcessorState => {
      const m = s1.mode.k === 'ballot' ? s1.mode : mode;
      return { ...s1, mode: { ...m, disks: setAt(m.disks, d, st) } };
    };
    switch (step.k) {
      case 'probe': {
        if (reply.op !== 'get' || reply.key !== own(s)) return s;
        const r = startRound(observed(s, d, reply.version), d, ctx);
        return withStep(r.s, r.step);
      }
      case 'put': {
        if (reply.op === 'get' && reply.key === own(s)) {
          const r = decodeBlock(reply.value, reply.version);
          if (!(r.valid && r.done === null && sameBlock(r.block, s.dblock))) {
            const landedElse = reply.version !== (s.known[d] ?? 0);
            const s1 = observed(s, d, reply.version);
            ctx.cover(label(landedElse ? 'put.probe-overwritten' : 'put.probe-missing'));
            const again = landedElse ? startRound(s1, d, ctx) : { s: s1, step };
            if (!landedElse) {
              ctx.op(cfg.disks[d] as NodeId, { op: 'put', tag: step.tag, key: own(s), value: encodeBlock(s.dblock, null, step.v) });
            }
            return withStep(again.s, again.step);
          }
          ctx.cover(label('put.probe-landed'));
        } else if (reply.op !== 'put' || reply.key !== own(s)) return s;
        const r = step.read ? startVerify(observed(s, d, step.v), d, ctx) : startReads(observed(s, d, step.v), d, ctx);
        return withStep(r.s, r.step);
      }
      case 'queued': {
        if (reply.op !== 'put' || reply.key !== own(s)) return s;
        const r = startRound(observed(s, d, step.v), d, ctx);
        return withStep(r.s, r.step);
      }
      case 'read': {
        if (reply.op !== 'get') return s;
        if (reply.key === own(s)) {
          const s1 = observed(s, d, reply.version);
          const r = decodeBlock(reply.value, reply.version);
          if (r.valid && r.done === null && sameBlock(r.block, s.dblock)) return s1;
          ctx.cover(label('read.own-overwritten'));
          const again = startRound(s1, d, ctx);
          return withStep(again.s, again.step);
        }
        const owner = parseBlockKey(reply.key);
        if (!owner || owner.slot !== s.slot || !step.waiting.includes(owner.p)) return s;
        const r = decodeBlock(reply.value, reply.version);
        if (r.done !== null) return learn(s, r.done, ctx);
        // An unreadable record still bounds its owner's mbal from below.
        if (r.block.mbal > s.dblock.mbal) return abort(s, r.block.mbal, ctx);
        if (!r.valid) {
          // Its owner rewrites it when it next checks its own block: look again a few times.
          ctx.cover(label('read.unreadable'));
          if (step.rereads >= MAX_REREADS) return withStep(s, { k: 'stalled' });
          get(ctx, d, reply.key, step.tag);
          return withStep(s, { ...step, rereads: step.rereads + 1 });
        }
        const best =
          r.block.inp !== null && r.block.bal > 0 && (mode.best === null || r.block.bal > mode.best.bal)
            ? { bal: r.block.bal, inp: r.block.inp }
            : mode.best;
        const s1: ProcessorState = { ...s, maxSeen: Math.max(s.maxSeen, r.block.mbal), mode: { ...mode, best } };
        const waiting = step.waiting.filter((q) => q !== owner.p);
        if (waiting.length > 0) return withStep(s1, { ...step, waiting });
        const v = step.first ? startPut(s1, d, true, ctx) : startVerify(s1, d, ctx);
        return withStep(v.s, v.step);
      }
      case 'verify': {
        if (reply.op !== 'get' || reply.key !== own(s)) return s;
        const s1 = observed(s, d, reply.version);
        const r = decodeBlock(reply.value, reply.version);
        if (!(r.valid && r.done === null && sameBlock(r.block, s.dblock))) {
          ctx.cover(label(r.valid ? 'verify.overwritten' : 'verify.unreadable'));
          const again = startRound(s1, d, ctx);
          return withStep(again.s, again.step);
        }
        ctx.cover(label(`phase${mode.phase}.disk-done`));
        const s2 = withStep(s1, { k: 'done' });
        const m2 = s2.mode;
        if (m2.k !== 'ballot' || m2.disks.filter((x) => x.k === 'done').length < need) return s2;
        return m2.phase === 1 ? endPhase1(s2, m2.best, ctx) : endPhase2(s2, ctx);
      }
    }
  }

  function onRecoverReply(s: ProcessorState, d: number, reply: ServerReply, ctx: Context): ProcessorState {
    const mode = s.mode;
    if (mode.k !== 'recover' || reply.op !== 'get' || reply.tag !== mode.tag) return s;
    const r = decodeBlock(reply.value, reply.version);
    if (r.done !== null) return learn(s, r.done, ctx);
    if (reply.key !== own(s) || mode.got[d] !== null) return s;
    if (!r.valid) {
      // The block that belongs here was overwritten by an older write: wait for another read.
      ctx.cover(label('recover.unreadable'));
      return s;
    }
    const got = setAt(mode.got, d, r.block);
    const s1: ProcessorState = { ...observed(s, d, reply.version), mode: { ...mode, got } };
    const blocks = got.filter((b): b is Block => b !== null);
    if (blocks.length < need) return s1;
    const restored = blocks.reduce((a, b) => (b.bal > a.bal ? b : a), initialBlock);
    const maxSeen = Math.max(s.maxSeen, ...blocks.map((b) => b.mbal));
    ctx.cover(label(restored.bal > 0 ? 'recover.restored-vote' : 'recover.restored'));
    return proceed({ ...s1, dblock: restored, maxSeen }, ctx);
  }

  function onPollReply(s: ProcessorState, reply: ServerReply, ctx: Context): ProcessorState {
    const mode = s.mode;
    if (mode.k !== 'poll' || reply.op !== 'get' || reply.tag !== mode.tag) return s;
    const owner = parseBlockKey(reply.key);
    if (!owner || owner.slot !== s.slot) return s;
    const r = decodeBlock(reply.value, reply.version);
    if (r.done !== null) return learn(s, r.done, ctx);
    const seen: Seen = {
      replies: mode.seen.replies + 1,
      mbal: Math.max(mode.seen.mbal, r.block.mbal),
      bal: Math.max(mode.seen.bal, r.block.bal),
      writes: mode.seen.writes + reply.version,
    };
    return { ...s, maxSeen: Math.max(s.maxSeen, r.block.mbal), mode: { ...mode, seen } };
  }

  function onPollTimer(s: ProcessorState, ctx: Context): ProcessorState {
    const mode = s.mode;
    if (mode.k !== 'poll') return s;
    const input = nextInput(s.cmds, s.decided);
    if (input !== null && !mode.defer) return startBallot(s, ctx);
    const sig = mode.seen.replies > 0 ? `${mode.seen.replies}/${mode.seen.writes}` : null;
    // Start a ballot when nobody wrote the slot for a whole period (the ballot that beat us, or
    // the one that left a vote, is stuck) or when patience runs out.
    const patient = mode.polls < PATIENCE;
    if (sig !== null && (sig === mode.last || !patient) && (input !== null || mode.seen.bal > 0 || s.dblock.bal > 0)) {
      ctx.cover(label(mode.defer ? 'poll.stalled-rival' : 'poll.takeover'));
      return startBallot(s, ctx);
    }
    const tag = s.tag + 1;
    for (let d = 0; d < D; d++) for (const q of others) get(ctx, d, blockKey(s.slot, q), tag);
    arm(ctx);
    return { ...s, tag, mode: { ...mode, tag, polls: mode.polls + 1, last: sig, seen: nothingSeen } };
  }

  /** A read-back of a done block: confirmed, or written again over whatever landed on it. */
  function onSettleReply(s: ProcessorState, d: number, reply: ServerReply, ctx: Context): ProcessorState {
    const i = s.settle.findIndex((x) => x.tag === reply.tag && blockKey(x.slot, p) === reply.key);
    const x = s.settle[i];
    if (!x || reply.op !== 'get' || x.ok[d]) return s;
    const r = decodeBlock(reply.value, reply.version);
    if (!(r.valid && r.done === x.v)) {
      ctx.cover(label('settle.rewritten'));
      ctx.op(cfg.disks[d] as NodeId, { op: 'put', tag: x.tag, key: reply.key, value: encodeBlock(x.block, x.v, reply.version + 1) });
      return s;
    }
    const ok = setAt(x.ok, d, true);
    const settle = ok.every(Boolean) ? s.settle.filter((_, j) => j !== i) : setAt(s.settle, i, { ...x, ok });
    if (settle.length === 0 && s.mode.k === 'finished') ctx.cancelTimer('retry');
    return { ...s, settle };
  }

  function settleTimer(s: ProcessorState, ctx: Context): void {
    for (const x of s.settle) x.ok.forEach((ok, d) => ok || get(ctx, d, blockKey(x.slot, p), x.tag));
    if (s.settle.length > 0) arm(ctx);
  }

  function onBallotTimer(s0: ProcessorState, ctx: Context): ProcessorState {
    const mode = s0.mode;
    if (mode.k !== 'ballot') return s0;
    let s = s0;
    const disks: Step[] = [];
    mode.disks.forEach((step, d) => {
      const r = resend(s, d, step, ctx);
      s = r.s;
      disks.push(r.step);
    });
    ctx.cover(label('retry.resent'));
    arm(ctx);
    return { ...s, mode: { ...mode, disks } };
  }

  return {
    role: 'processor',
    init(ctx) {
      return beginSlot(
        {
          p,
          cmds: [],
          decided: {},
          slot: 0,
          restarted: false,
          dblock: initialBlock,
          maxSeen: 0,
          known: freshKnown(false),
          mode: { k: 'finished' },
          tag: ctx.incarnation * 1_000_000,
          settle: [],
        },
        ctx,
      );
    },
    onMessage: (s) => s,
    onWriteDone: (s) => s,
    onSubmit(s, value, ctx) {
      const cmds = [...s.cmds, value];
      ctx.write(CMDS, cmds);
      const s1 = { ...s, cmds };
      return s.mode.k === 'poll' && !s.mode.defer ? startBallot(s1, ctx) : s1;
    },
    onReply(s, server, reply, ctx) {
      const d = diskOf(server);
      if (d < 0) return s;
      if (s.settle.some((x) => x.tag === reply.tag)) return onSettleReply(s, d, reply, ctx);
      switch (s.mode.k) {
        case 'recover':
          return onRecoverReply(s, d, reply, ctx);
        case 'poll':
          return onPollReply(s, reply, ctx);
        case 'ballot':
          return onBallotReply(s, d, reply, ctx);
        case 'finished':
          return s;
      }
    },
    onTimer(s, name, ctx) {
      if (name !== 'retry') return s;
      settleTimer(s, ctx);
      switch (s.mode.k) {
        case 'recover': {
          const mode = s.mode;
          mode.got.forEach((b, d) => {
            if (b === null) recoveryReads(ctx, d, s.slot, mode.tag);
          });
          arm(ctx);
          return s;
        }
        case 'poll':
          return onPollTimer(s, ctx);
        case 'ballot':
          return onBallotTimer(s, ctx);
        case 'finished':
          return s;
      }
    },
    recover(durable, ctx) {
      ctx.cover(label('recover.start'));
      return beginSlot(
        {
          p,
          cmds: durableCommands(durable),
          decided: {},
          slot: 0,
          restarted: true,
          dblock: initialBlock,
          maxSeen: 0,
          known: freshKnown(true),
          mode: { k: 'finished' },
          tag: ctx.incarnation * 1_000_000,
          settle: [],
        },
        ctx,
      );
    },
    view(s) {
      return agentView(
        s.decided,
        blockFaults(s.dblock).map((f) => `p${p} slot ${s.slot} dblock ${showBlock(s.dblock)}: ${f}`),
      );
    },
  };
}
