import type { MutantInfo } from '../family.js';

/** Deliberate bugs of the passive services; each flag is read at the one place where the bug lives. */
export interface PassiveFlags {
  /** list.ts foldList: an ACCEPT never raises the promise and replaces any vote (MetaSync's replay). */
  readonly replayOverwrite: boolean;
  /** agent.ts chosenValue: servers are counted per value, across ballots (MetaSync's majority check). */
  readonly decideByValue: boolean;
  /** list.ts evaluate: a listing that does not show the own record yet is judged as if it ended with it. */
  readonly staleRead: boolean;
  /** list.ts merge: the records of a gapped listing are taken as the whole list. */
  readonly gapAsComplete: boolean;
  /** list.ts onAppend: an acknowledged ACCEPT append counts as accepted, before the list is read. */
  readonly commitBeforeMajority: boolean;
  /** cas.ts write: the record is written with an unconditional put. */
  readonly blindPut: boolean;
  /** cas.ts onWrite: a failed conditional put is taken for a successful one. */
  readonly conflictAsSuccess: boolean;
}

export const correctPassive: PassiveFlags = {
  replayOverwrite: false,
  decideByValue: false,
  staleRead: false,
  gapAsComplete: false,
  commitBeforeMajority: false,
  blindPut: false,
  conflictAsSuccess: false,
};

const catalogue: readonly { readonly name: string; readonly service: string; readonly flag: keyof PassiveFlags; readonly description: string }[] = [
  {
    name: 'replay-overwrite',
    service: 'list',
    flag: 'replayOverwrite',
    description: "agents fold a list as MetaSync's replay does: an ACCEPT never raises the promise and overwrites a higher vote",
  },
  {
    name: 'decide-by-value',
    service: 'list',
    flag: 'decideByValue',
    description: 'the majority check counts lists holding an accepted value, whatever the ballot (MetaSync)',
  },
  {
    name: 'stale-read',
    service: 'list',
    flag: 'staleRead',
    description: 'a listing that does not yet show the own PREPARE or ACCEPT counts, as if the record came last',
  },
  {
    name: 'gap-as-complete',
    service: 'list',
    flag: 'gapAsComplete',
    description: 'a listing with a missing position is folded as if it were the whole list',
  },
  {
    name: 'commit-before-majority',
    service: 'list',
    flag: 'commitBeforeMajority',
    description: 'the proposer decides and appends COMMIT once its ACCEPT appends succeed, before reading whether they were accepted',
  },
  {
    name: 'blind-put',
    service: 'cas',
    flag: 'blindPut',
    description: 'the acceptor record is written back with an unconditional put, losing concurrent updates',
  },
  {
    name: 'conflict-as-success',
    service: 'cas',
    flag: 'conflictAsSuccess',
    description: 'a conditional put that failed with a conflict (412) is treated as if it had succeeded',
  },
];

export const passiveMutants: readonly MutantInfo[] = catalogue.map((m) => ({
  name: m.name,
  protocol: 'passive',
  service: m.service,
  description: m.description,
}));

export function passiveFlagsFor(name: string | undefined, service: string): PassiveFlags {
  if (name === undefined || name === '' || name === 'none') return correctPassive;
  const m = catalogue.find((x) => x.name === name && x.service === service);
  if (!m) {
    const known = catalogue.filter((x) => x.service === service).map((x) => x.name);
    throw new Error(`unknown mutant "${name}" for protocol passive/${service} (known: ${known.join(', ') || 'none'})`);
  }
  return { ...correctPassive, [m.flag]: true };
}
