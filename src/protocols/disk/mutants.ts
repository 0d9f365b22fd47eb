import type { MutantInfo } from '../family.js';
import { correctDiskRules } from './rules.js';
import type { DiskRules } from './rules.js';

/** Deliberate bugs of Disk Paxos; each overrides one rule of `correctDiskRules` (rules.ts). */
const catalogue: readonly { readonly name: string; readonly rules: Partial<DiskRules>; readonly description: string }[] = [
  {
    name: 'read-before-write',
    rules: { order: 'read-then-write' },
    description: "a processor reads the other blocks on a disk without waiting for its own write there to complete, so two ballots can miss each other",
  },
  {
    name: 'minority-disks',
    rules: { disksNeeded: (disks) => Math.max(1, Math.floor(disks / 2)) },
    description: '⌊D/2⌋ disks written and read end a phase, so two processors can use disjoint sets of disks',
  },
  {
    name: 'no-recovery-phase',
    rules: { phase0AfterRestart: false },
    description: 'a restarted processor skips phase 0: it forgets its block and starts its ballots from the beginning, reusing one',
  },
  {
    name: 'new-ballot-drops-vote',
    rules: { newBallotBlock: (_dblock, mbal) => ({ mbal, bal: 0, inp: null }) },
    description: "starting a new ballot clears bal and inp, so the processor's own earlier vote disappears from the disks",
  },
  {
    name: 'ignore-own-block',
    rules: { ownVote: () => null },
    description: "the end of phase 1 picks the highest-bal value among the other processors' blocks only, ignoring its own dblock",
  },
];

export const diskMutants: readonly MutantInfo[] = catalogue.map((m) => ({
  name: m.name,
  protocol: 'disk',
  description: m.description,
}));

export function diskRulesFor(name: string | undefined): DiskRules {
  if (name === undefined || name === '' || name === 'none') return correctDiskRules;
  const m = catalogue.find((x) => x.name === name);
  if (!m) throw new Error(`unknown mutant "${name}" for protocol disk (known: ${catalogue.map((x) => x.name).join(', ')})`);
  return { ...correctDiskRules, ...m.rules };
}
