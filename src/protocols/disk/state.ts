import type { NodeId, Value } from '../../kernel/types.js';
import type { Block, Vote } from './block.js';
import type { Decided } from './log.js';
import type { DiskRules } from './rules.js';

// The state of a Disk Paxos processor, shared by its phase handlers (phases.ts, disk-step.ts,
// recovery.ts, settle.ts) and the agent that wires them (processor.ts).

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
  readonly rules: DiskRules;
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

export type { Vote } from './block.js';

export interface Seen {
  readonly replies: number;
  readonly mbal: number;
  readonly bal: number;
  /** Sum of the versions read: any write to the slot's keys changes it. */
  readonly writes: number;
}

export const nothingSeen: Seen = { replies: 0, mbal: 0, bal: 0, writes: 0 };

export type Mode =
  /** Phase 0 after a restart: the own block is read back from a majority of disks. */
  | { readonly k: 'recover'; readonly tag: number; readonly got: readonly (Block | null)[] }
  /**
   * Watch the slot: learn its decision, and take over a ballot nobody moves any more. Entered
   * with nothing to propose, or (`defer`) after losing to a higher ballot, which is left to finish
   * undisturbed while it makes progress — restarting at once only duels.
   */
  | { readonly k: 'poll'; readonly tag: number; readonly defer: boolean; readonly polls: number; readonly last: string | null; readonly seen: Seen }
  | BallotMode
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
export const MAX_REREADS = 3;
/**
 * Polls a processor that lost to a higher ballot waits before it restarts even though the rival
 * still writes: the rival may be cut off from a majority, or in its own duel.
 */
export const PATIENCE = 2;

/** The smallest ballot of processor p (of P) above `above`: ballots round·P + p + 1 are disjoint. */
export function ballotAbove(above: number, p: number, processors: number): number {
  const round = Math.max(0, Math.floor((above - p - 1) / processors) + 1);
  return round * processors + p + 1;
}

/** Phases 1 and 2: per disk, how far the write-then-read of this phase got; `best`: the highest vote read. */
export interface BallotMode {
  readonly k: 'ballot';
  readonly phase: 1 | 2;
  readonly disks: readonly Step[];
  readonly best: Vote | null;
}

export const setAt = <T>(xs: readonly T[], i: number, x: T): T[] => xs.map((y, j) => (j === i ? x : y));
