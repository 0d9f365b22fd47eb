import type { Context, Json, NodeId } from '../../kernel/types.js';
import { blockKey } from './block.js';
import { armRetry } from './log.js';
import type { DiskRules } from './rules.js';
import type { DiskConfig, ProcessorState } from './state.js';

/**
 * One processor's fixed facts and the few effects every phase uses: which disks there are, who
 * the other processors are, how many disks end a phase, and the reads and writes of blocks.
 */
export interface Proc {
  readonly p: number;
  readonly cfg: DiskConfig;
  readonly rules: DiskRules;
  /** Number of disks. */
  readonly D: number;
  /** The other processors, whose blocks each phase reads. */
  readonly others: readonly number[];
  /** Disks written and read that end a phase. */
  readonly need: number;
  /** A coverage label under the configured prefix. */
  label(s: string): string;
  /** The key of the own block in the current slot. */
  own(s: ProcessorState): string;
  arm(ctx: Context): void;
  diskOf(server: NodeId): number;
  /** Per disk, the known version of the own key at the start of a slot (unknown after a restart). */
  freshKnown(restarted: boolean): (number | null)[];
  get(ctx: Context, d: number, key: string, tag: number): void;
  put(ctx: Context, d: number, tag: number, key: string, value: Json): void;
}

export function procOf(p: number, cfg: DiskConfig): Proc {
  const D = cfg.disks.length;
  return {
    p,
    cfg,
    rules: cfg.rules,
    D,
    others: Array.from({ length: cfg.processors }, (_, q) => q).filter((q) => q !== p),
    need: cfg.rules.disksNeeded(D),
    label: (s) => `${cfg.label}.${s}`,
    own: (s) => blockKey(s.slot, p),
    arm: (ctx) => armRetry(ctx, cfg.randomized),
    diskOf: (server) => cfg.disks.indexOf(server),
    freshKnown: (restarted) => cfg.disks.map(() => (restarted ? null : 0)),
    get: (ctx, d, key, tag) => ctx.op(cfg.disks[d] as NodeId, { op: 'get', tag, key }),
    put: (ctx, d, tag, key, value) => ctx.op(cfg.disks[d] as NodeId, { op: 'put', tag, key, value }),
  };
}
