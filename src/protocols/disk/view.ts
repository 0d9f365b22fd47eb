import type { NodeView, ServerData, Value } from '../../kernel/types.js';
import type { BlockRead } from './block.js';
import { blockFaults, decodeBlock, parseBlockKey, showBlock } from './block.js';

/**
 * A disk seen as a Paxos acceptor, for the properties. Per slot its promise is the highest mbal
 * among the blocks it holds, and a block with bal ≥ that promise is a vote: at that moment no
 * processor with a higher ballot has written the disk, so any later one that reads the disk
 * after writing it meets the vote (Gafni & Lamport's intersection argument). While some block of
 * the slot is unreadable (an older write landed on top of it) the true promise is unknown, and
 * the disk shows no vote for that slot.
 */
export function diskServerView(label: string, data: ServerData): NodeView {
  const bySlot = new Map<number, { p: number; read: BlockRead }[]>();
  for (const key of Object.keys(data.store).sort()) {
    const owner = parseBlockKey(key);
    if (!owner) continue;
    const read = decodeBlock(data.store[key] ?? null, data.versions[key] ?? 0);
    const list = bySlot.get(owner.slot) ?? [];
    list.push({ p: owner.p, read });
    bySlot.set(owner.slot, list);
  }
  const votes: (readonly [number, number, Value])[] = [];
  const broken: string[] = [];
  for (const slot of [...bySlot.keys()].sort((a, b) => a - b)) {
    const blocks = bySlot.get(slot) ?? [];
    for (const { p, read } of blocks) {
      if (!read.valid) continue;
      for (const f of blockFaults(read.block)) broken.push(`${label} slot ${slot} block of p${p} ${showBlock(read.block)}: ${f}`);
    }
    if (blocks.some((b) => !b.read.valid)) continue;
    const promise = Math.max(0, ...blocks.map((b) => b.read.block.mbal));
    for (const { read } of blocks) {
      const b = read.block;
      if (b.bal > 0 && b.inp !== null && b.bal >= promise) votes.push([slot, b.bal, b.inp]);
    }
  }
  return broken.length > 0 ? { votes, broken } : { votes };
}
