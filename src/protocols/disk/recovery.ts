import type { Context, ServerReply, Value } from '../../kernel/types.js';
import type { Block } from './block.js';
import { blockKey, decodeBlock, initialBlock } from './block.js';
import { observed } from './disk-step.js';
import type { Proc } from './proc.js';
import type { Mode, ProcessorState } from './state.js';
import { setAt } from './state.js';

// Phase 0 (Gafni & Lamport's recovery after Fail): a restarted processor reads its own block
// back from a majority of disks, restores the one with the highest bal, and takes every mbal
// read as seen, so its next ballot is above them all.

type RecoverMode = Extract<Mode, { k: 'recover' }>;

export type RecoverOutcome =
  | { readonly k: 'ignored' }
  | { readonly k: 'state'; readonly s: ProcessorState }
  /** A block shows the slot's decision. */
  | { readonly k: 'learn'; readonly v: Value }
  /** The own block is restored from a majority: go on with the slot. */
  | { readonly k: 'restored'; readonly s: ProcessorState };

/** Reads of one disk: the own block, and the others only for a decision already written there. */
function recoveryReads(k: Proc, ctx: Context, d: number, slot: number, tag: number): void {
  k.get(ctx, d, blockKey(slot, k.p), tag);
  for (const q of k.others) k.get(ctx, d, blockKey(slot, q), tag);
}

/**
 * Phase 0, per slot after a restart: read the own block back. The other blocks are read too,
 * only for a decision already written there, which ends the slot at once.
 */
export function startRecovery(k: Proc, s: ProcessorState, ctx: Context): ProcessorState {
  const tag = s.tag + 1;
  for (let d = 0; d < k.D; d++) recoveryReads(k, ctx, d, s.slot, tag);
  k.arm(ctx);
  return { ...s, tag, mode: { k: 'recover', tag, got: k.cfg.disks.map(() => null) } };
}

/** The retry timer fired: read again the disks that have not answered. */
export function recoveryRetry(k: Proc, s: ProcessorState, mode: RecoverMode, ctx: Context): ProcessorState {
  mode.got.forEach((b, d) => {
    if (b === null) recoveryReads(k, ctx, d, s.slot, mode.tag);
  });
  k.arm(ctx);
  return s;
}

/** EndPhase0 once a majority of disks returned the own block: the highest-bal one is restored. */
export function recoveryReply(k: Proc, s: ProcessorState, d: number, reply: ServerReply, ctx: Context): RecoverOutcome {
  const mode = s.mode;
  if (mode.k !== 'recover' || reply.op !== 'get' || reply.tag !== mode.tag) return { k: 'ignored' };
  const r = decodeBlock(reply.value, reply.version);
  if (r.done !== null) return { k: 'learn', v: r.done };
  if (reply.key !== k.own(s) || mode.got[d] !== null) return { k: 'ignored' };
  if (!r.valid) {
    // The block that belongs here was overwritten by an older write: wait for another read.
    ctx.cover(k.label('recover.unreadable'));
    return { k: 'ignored' };
  }
  const got = setAt(mode.got, d, r.block);
  const s1: ProcessorState = { ...observed(s, d, reply.version), mode: { ...mode, got } };
  const blocks = got.filter((b): b is Block => b !== null);
  if (blocks.length < k.need) return { k: 'state', s: s1 };
  const restored = blocks.reduce((a, b) => (b.bal > a.bal ? b : a), initialBlock);
  const maxSeen = Math.max(s.maxSeen, ...blocks.map((b) => b.mbal));
  ctx.cover(k.label(restored.bal > 0 ? 'recover.restored-vote' : 'recover.restored'));
  return { k: 'restored', s: { ...s1, dblock: restored, maxSeen } };
}
