import type { Block, Vote } from './block.js';
import { majority } from './log.js';

/**
 * The decisions of Disk Paxos (Gafni & Lamport) that a mutant may get wrong, each in one place.
 * The processor asks these and nothing else; `correctDiskRules` is the algorithm as published,
 * and every mutant (mutants.ts) overrides exactly one of them.
 */
export interface DiskRules {
  /** disk-step.ts startRound: per disk, write the own block first and read the others after (or the reverse). */
  readonly order: 'write-then-read' | 'read-then-write';
  /** phases.ts: how many of `disks` written and read end a phase. */
  disksNeeded(disks: number): number;
  /** phases.ts beginSlot: a restarted processor first recovers its block from the disks (phase 0). */
  readonly phase0AfterRestart: boolean;
  /** phases.ts StartBallot: the block of the new ballot `mbal`, from the current dblock. */
  newBallotBlock(dblock: Block, mbal: number): Block;
  /** phases.ts EndPhase1: the own dblock's vote, a candidate beside the votes read. */
  ownVote(dblock: Block): Vote | null;
}

export const correctDiskRules: DiskRules = {
  // Only after the own write completed may the other blocks on that disk be read.
  order: 'write-then-read',
  // A majority of disks: any two phases meet on some disk.
  disksNeeded: (disks) => majority(disks),
  phase0AfterRestart: true,
  // G&L keep bal and inp: the vote may belong to a chosen value.
  newBallotBlock: (dblock, mbal) => ({ ...dblock, mbal }),
  ownVote: (dblock) => (dblock.inp === null ? null : { bal: dblock.bal, inp: dblock.inp }),
};
