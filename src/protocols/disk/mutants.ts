import type { MutantInfo } from '../family.js';

/** Deliberate bugs of Disk Paxos; each flag is read at the one place where the bug lives. */
export interface DiskFlags {
  /** processor.ts startRound: the other blocks on a disk are read before the own write is acknowledged. */
  readonly readBeforeWrite: boolean;
  /** processor.ts disksNeeded: ⌊D/2⌋ disks end a phase. */
  readonly minorityDisks: boolean;
  /** processor.ts recover: no phase 0; the block and the ballots start from scratch. */
  readonly noRecoveryPhase: boolean;
  /** processor.ts startBallot: the new block clears bal and inp. */
  readonly newBallotDropsVote: boolean;
  /** processor.ts endPhase1: the own dblock is left out of the highest-bal choice. */
  readonly ignoreOwnBlock: boolean;
}

export const correctDisk: DiskFlags = {
  readBeforeWrite: false,
  minorityDisks: false,
  noRecoveryPhase: false,
  newBallotDropsVote: false,
  ignoreOwnBlock: false,
};

const catalogue: readonly { readonly name: string; readonly flag: keyof DiskFlags; readonly description: string }[] = [
  {
    name: 'read-before-write',
    flag: 'readBeforeWrite',
    description: "a processor reads the other blocks on a disk without waiting for its own write there to complete, so two ballots can miss each other",
  },
  {
    name: 'minority-disks',
    flag: 'minorityDisks',
    description: '⌊D/2⌋ disks written and read end a phase, so two processors can use disjoint sets of disks',
  },
  {
    name: 'no-recovery-phase',
    flag: 'noRecoveryPhase',
    description: 'a restarted processor skips phase 0: it forgets its block and starts its ballots from the beginning, reusing one',
  },
  {
    name: 'new-ballot-drops-vote',
    flag: 'newBallotDropsVote',
    description: "starting a new ballot clears bal and inp, so the processor's own earlier vote disappears from the disks",
  },
  {
    name: 'ignore-own-block',
    flag: 'ignoreOwnBlock',
    description: "the end of phase 1 picks the highest-bal value among the other processors' blocks only, ignoring its own dblock",
  },
];

export const diskMutants: readonly MutantInfo[] = catalogue.map((m) => ({
  name: m.name,
  protocol: 'disk',
  description: m.description,
}));

export function diskFlagsFor(name: string | undefined): DiskFlags {
  if (name === undefined || name === '' || name === 'none') return correctDisk;
  const m = catalogue.find((x) => x.name === name);
  if (!m) throw new Error(`unknown mutant "${name}" for protocol disk (known: ${catalogue.map((x) => x.name).join(', ')})`);
  return { ...correctDisk, [m.flag]: true };
}
