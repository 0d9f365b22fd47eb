import type { Context, ServerReply, Value } from '../../kernel/types.js';
import { blockKey, decodeBlock, encodeBlock, parseBlockKey, sameBlock } from './block.js';
import type { BlockRead } from './block.js';
import type { Proc } from './proc.js';
import type { BallotMode, ProcessorState, Step } from './state.js';
import { MAX_REREADS, setAt } from './state.js';

// Gafni & Lamport's Phase1or2Write and Phase1or2Read, on one disk: write the own block (fenced
// with the version the write will create), and only once that write is acknowledged read every
// other processor's block there, then read the own block back. A disk counts toward the phase
// when all of that succeeded; what a read turns up (a decision, a higher mbal) is reported to
// the phase (phases.ts), which decides what follows.

/** A step of the per-disk machine and the state it leaves. */
export interface Stepped {
  readonly s: ProcessorState;
  readonly step: Step;
}

/** What a reply on one disk means for the phase. */
export type DiskOutcome =
  /** Not for the current step: nothing changes. */
  | { readonly k: 'ignored' }
  /** The state changed; the disk's step did not. */
  | { readonly k: 'state'; readonly s: ProcessorState }
  /** The disk moved to `step` (`done`: written and fully read). */
  | ({ readonly k: 'step' } & Stepped)
  /** A block shows the slot's decision. */
  | { readonly k: 'learn'; readonly v: Value }
  /** A block with an mbal above ours: the ballot is lost. */
  | { readonly k: 'abort'; readonly seen: number };

const stepped = (r: Stepped): DiskOutcome => ({ k: 'step', s: r.s, step: r.step });

/** The own block as this phase wrote it, and nothing written over it since. */
const isCurrent = (r: BlockRead, s: ProcessorState): boolean => r.valid && r.done === null && sameBlock(r.block, s.dblock);

/**
 * Raises what is known of the own key's version on disk d: a version read, or v of an
 * acknowledged write (it landed at version v or later). Only ever a lower bound of the true
 * version and never lowered, so each write's v is at most the version it lands at, and a
 * write made earlier never carries a higher v than one made later: an older write landing late
 * always finds a version above its v, and torn writes keep an old v.
 */
export function observed(s: ProcessorState, d: number, version: number): ProcessorState {
  return { ...s, known: setAt(s.known, d, Math.max(s.known[d] ?? 0, version)) };
}

/** Begins the phase on disk d: write the own block, after learning the version to fence it with if unknown. */
export function startRound(k: Proc, s: ProcessorState, d: number, ctx: Context): Stepped {
  const tag = s.tag + 1;
  const known = s.known[d] ?? null;
  if (known === null) {
    k.get(ctx, d, k.own(s), tag);
    return { s: { ...s, tag }, step: { k: 'probe', tag } };
  }
  if (k.rules.order === 'read-then-write' && k.others.length > 0) {
    for (const q of k.others) k.get(ctx, d, blockKey(s.slot, q), tag);
    return { s: { ...s, tag }, step: { k: 'read', tag, waiting: k.others, rereads: 0, first: true } };
  }
  return startPut(k, s, d, false, ctx);
}

/** Phase1or2Write: the own block to disk d, fenced with the version the write will create. */
export function startPut(k: Proc, s: ProcessorState, d: number, read: boolean, ctx: Context): Stepped {
  const tag = s.tag + 1;
  const v = (s.known[d] ?? 0) + 1;
  k.put(ctx, d, tag, k.own(s), encodeBlock(s.dblock, null, v));
  return { s: { ...s, tag }, step: read ? { k: 'put', tag, v, read } : { k: 'put', tag, v } };
}

/**
 * Phase1or2Read, only after the own write is acknowledged: read every other processor's block
 * there. The own block is read along with them, so that a write overtaken by an older one is
 * repaired at once rather than leaving every reader of the disk waiting.
 */
export function startReads(k: Proc, s: ProcessorState, d: number, ctx: Context): Stepped {
  const tag = s.tag + 1;
  if (k.others.length === 0) return startVerify(k, { ...s, tag }, d, ctx);
  for (const q of k.others) k.get(ctx, d, blockKey(s.slot, q), tag);
  k.get(ctx, d, k.own(s), tag);
  return { s: { ...s, tag }, step: { k: 'read', tag, waiting: k.others, rereads: 0 } };
}

/**
 * The own block is read last, after the others: a disk then counts only if at one moment it
 * held the current block together with blocks no newer than the ones read.
 */
export function startVerify(k: Proc, s: ProcessorState, d: number, ctx: Context): Stepped {
  const tag = s.tag + 1;
  k.get(ctx, d, k.own(s), tag);
  return { s: { ...s, tag }, step: { k: 'verify', tag } };
}

/** The retry timer fired: ask again for what disk d has not answered. */
export function resend(k: Proc, s: ProcessorState, d: number, step: Step, ctx: Context): Stepped {
  switch (step.k) {
    case 'probe':
    case 'verify':
      k.get(ctx, d, k.own(s), step.tag);
      return { s, step };
    case 'put':
      // Ask before writing again: a second copy of a slow write would only land out of turn.
      k.get(ctx, d, k.own(s), step.tag);
      return { s, step };
    case 'queued':
      ctx.cover(k.label('queue.gave-up'));
      return startRound(k, s, d, ctx);
    case 'read':
      for (const q of step.waiting) k.get(ctx, d, blockKey(s.slot, q), step.tag);
      return { s, step };
    case 'stalled':
      ctx.cover(k.label('read.retried'));
      return startReads(k, s, d, ctx);
    case 'done':
      return { s, step };
  }
}

/** The version of the own key is known now: start the write. */
function onProbeReply(k: Proc, s: ProcessorState, d: number, reply: ServerReply, ctx: Context): DiskOutcome {
  if (reply.op !== 'get' || reply.key !== k.own(s)) return { k: 'ignored' };
  return stepped(startRound(k, observed(s, d, reply.version), d, ctx));
}

/**
 * The write was acknowledged (or, after a retry, the own key read back): go on to the reads. A
 * read-back that does not show the write says whether it landed elsewhere (start over above the
 * version seen) or not yet (write it again).
 */
function onPutReply(k: Proc, s: ProcessorState, d: number, step: Extract<Step, { k: 'put' }>, reply: ServerReply, ctx: Context): DiskOutcome {
  if (reply.op === 'get' && reply.key === k.own(s)) {
    const r = decodeBlock(reply.value, reply.version);
    if (!isCurrent(r, s)) {
      const landedElse = reply.version !== (s.known[d] ?? 0);
      const s1 = observed(s, d, reply.version);
      ctx.cover(k.label(landedElse ? 'put.probe-overwritten' : 'put.probe-missing'));
      const again = landedElse ? startRound(k, s1, d, ctx) : { s: s1, step };
      if (!landedElse) k.put(ctx, d, step.tag, k.own(s), encodeBlock(s.dblock, null, step.v));
      return stepped(again);
    }
    ctx.cover(k.label('put.probe-landed'));
  } else if (reply.op !== 'put' || reply.key !== k.own(s)) return { k: 'ignored' };
  const s1 = observed(s, d, step.v);
  return stepped(step.read ? startVerify(k, s1, d, ctx) : startReads(k, s1, d, ctx));
}

/** The previous phase's write here is acknowledged: this phase's round can start. */
function onQueuedReply(k: Proc, s: ProcessorState, d: number, step: Extract<Step, { k: 'queued' }>, reply: ServerReply, ctx: Context): DiskOutcome {
  if (reply.op !== 'put' || reply.key !== k.own(s)) return { k: 'ignored' };
  return stepped(startRound(k, observed(s, d, step.v), d, ctx));
}

/**
 * Phase1or2Read: another processor's block. Its decision ends the slot; an mbal above ours
 * aborts the ballot; otherwise its vote competes for the highest bal, and once every block is
 * read the own block is read back (or, reading first, written).
 */
function onReadReply(k: Proc, s: ProcessorState, d: number, step: Extract<Step, { k: 'read' }>, mode: BallotMode, reply: ServerReply, ctx: Context): DiskOutcome {
  if (reply.op !== 'get') return { k: 'ignored' };
  if (reply.key === k.own(s)) {
    const s1 = observed(s, d, reply.version);
    const r = decodeBlock(reply.value, reply.version);
    if (isCurrent(r, s)) return { k: 'state', s: s1 };
    ctx.cover(k.label('read.own-overwritten'));
    return stepped(startRound(k, s1, d, ctx));
  }
  const owner = parseBlockKey(reply.key);
  if (!owner || owner.slot !== s.slot || !step.waiting.includes(owner.p)) return { k: 'ignored' };
  const r = decodeBlock(reply.value, reply.version);
  if (r.done !== null) return { k: 'learn', v: r.done };
  // An unreadable record still bounds its owner's mbal from below.
  if (r.block.mbal > s.dblock.mbal) return { k: 'abort', seen: r.block.mbal };
  if (!r.valid) {
    // Its owner rewrites it when it next checks its own block: look again a few times.
    ctx.cover(k.label('read.unreadable'));
    if (step.rereads >= MAX_REREADS) return { k: 'step', s, step: { k: 'stalled' } };
    k.get(ctx, d, reply.key, step.tag);
    return { k: 'step', s, step: { ...step, rereads: step.rereads + 1 } };
  }
  const best =
    r.block.inp !== null && r.block.bal > 0 && (mode.best === null || r.block.bal > mode.best.bal)
      ? { bal: r.block.bal, inp: r.block.inp }
      : mode.best;
  const s1: ProcessorState = { ...s, maxSeen: Math.max(s.maxSeen, r.block.mbal), mode: { ...mode, best } };
  const waiting = step.waiting.filter((q) => q !== owner.p);
  if (waiting.length > 0) return { k: 'step', s: s1, step: { ...step, waiting } };
  return stepped(step.first ? startPut(k, s1, d, true, ctx) : startVerify(k, s1, d, ctx));
}

/** The own block read back after the others: still ours, and the disk is done; else start over. */
function onVerifyReply(k: Proc, s: ProcessorState, d: number, mode: BallotMode, reply: ServerReply, ctx: Context): DiskOutcome {
  if (reply.op !== 'get' || reply.key !== k.own(s)) return { k: 'ignored' };
  const s1 = observed(s, d, reply.version);
  const r = decodeBlock(reply.value, reply.version);
  if (!isCurrent(r, s)) {
    ctx.cover(k.label(r.valid ? 'verify.overwritten' : 'verify.unreadable'));
    return stepped(startRound(k, s1, d, ctx));
  }
  ctx.cover(k.label(`phase${mode.phase}.disk-done`));
  return { k: 'step', s: s1, step: { k: 'done' } };
}

/** A reply from disk d during phase 1 or 2. */
export function diskReply(k: Proc, s: ProcessorState, d: number, mode: BallotMode, reply: ServerReply, ctx: Context): DiskOutcome {
  const step = mode.disks[d];
  if (!step || step.k === 'done' || step.k === 'stalled' || reply.tag !== step.tag) return { k: 'ignored' };
  switch (step.k) {
    case 'probe':
      return onProbeReply(k, s, d, reply, ctx);
    case 'put':
      return onPutReply(k, s, d, step, reply, ctx);
    case 'queued':
      return onQueuedReply(k, s, d, step, reply, ctx);
    case 'read':
      return onReadReply(k, s, d, step, mode, reply, ctx);
    case 'verify':
      return onVerifyReply(k, s, d, mode, reply, ctx);
  }
}
