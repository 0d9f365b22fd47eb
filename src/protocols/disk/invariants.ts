import type { System } from '../../kernel/types.js';
import type { World } from '../../kernel/world.js';
import { blockKey, decodeBlock, sameBlock, showBlock } from './block.js';
import type { ProcessorState } from './processor.js';

function isProcessorState(x: unknown): x is ProcessorState {
  return typeof x === 'object' && x !== null && 'dblock' in x && 'mode' in x && 'slot' in x;
}

/**
 * Gafni & Lamport's HInv: a disk in disksWritten holds exactly the current dblock. A processor
 * cannot see the disks, so this looks at both. A record that later landed out of turn is allowed:
 * it is unreadable (fenced), not a different block, and its owner rewrites it.
 */
export function diskInvariants(sys: System, world: World): string[] {
  const out: string[] = [];
  world.agents.forEach((a, p) => {
    if (!a.up || !isProcessorState(a.state)) return;
    const s = a.state;
    if (s.mode.k !== 'ballot') return;
    const key = blockKey(s.slot, p);
    s.mode.disks.forEach((step, d) => {
      if (step.k !== 'done') return;
      const data = world.servers[d]?.data;
      if (!data) return;
      const read = decodeBlock(data.store[key] ?? null, data.versions[key] ?? 0);
      if (read.valid && (read.done !== null || !sameBlock(read.block, s.dblock))) {
        const node = sys.agents.length + d;
        out.push(`p${p} slot ${s.slot}: disk n${node} counts as written but holds ${showBlock(read.block)}, not the dblock ${showBlock(s.dblock)}`);
      }
    });
  });
  return out;
}
