import type { Context, ServerReply } from '../../kernel/types.js';
import { blockKey, decodeBlock, encodeBlock } from './block.js';
import type { Proc } from './proc.js';
import type { ProcessorState } from './state.js';
import { setAt } from './state.js';

// Phase 3 leaves each decision on the disks (a done block per disk). A delayed older write
// landing on top of it would leave readers of that disk with nothing to learn from, so the
// processor reads its done blocks back until every disk shows them (state.ts `Settle`).

/** Whether a reply belongs to a decision still being settled. */
export const isSettleReply = (s: ProcessorState, reply: ServerReply): boolean => s.settle.some((x) => x.tag === reply.tag);

/** A read-back of a done block: confirmed, or written again over whatever landed on it. */
export function settleReply(k: Proc, s: ProcessorState, d: number, reply: ServerReply, ctx: Context): ProcessorState {
  const i = s.settle.findIndex((x) => x.tag === reply.tag && blockKey(x.slot, k.p) === reply.key);
  const x = s.settle[i];
  if (!x || reply.op !== 'get' || x.ok[d]) return s;
  const r = decodeBlock(reply.value, reply.version);
  if (!(r.valid && r.done === x.v)) {
    ctx.cover(k.label('settle.rewritten'));
    k.put(ctx, d, x.tag, reply.key, encodeBlock(x.block, x.v, reply.version + 1));
    return s;
  }
  const ok = setAt(x.ok, d, true);
  const settle = ok.every(Boolean) ? s.settle.filter((_, j) => j !== i) : setAt(s.settle, i, { ...x, ok });
  if (settle.length === 0 && s.mode.k === 'finished') ctx.cancelTimer('retry');
  return { ...s, settle };
}

/** The retry timer fired: read back every done block not yet confirmed. */
export function settleRetry(k: Proc, s: ProcessorState, ctx: Context): void {
  for (const x of s.settle) x.ok.forEach((ok, d) => ok || k.get(ctx, d, blockKey(x.slot, k.p), x.tag));
  if (s.settle.length > 0) k.arm(ctx);
}
