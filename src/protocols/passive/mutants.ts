import type { MutantInfo } from '../family.js';
import { correctPassiveRules } from './rules.js';
import type { PassiveRules } from './rules.js';

/** Deliberate bugs of the passive services; each overrides one rule of `correctPassiveRules` (rules.ts). */
const catalogue: readonly { readonly name: string; readonly service: string; readonly rules: Partial<PassiveRules>; readonly description: string }[] = [
  {
    name: 'replay-overwrite',
    service: 'list',
    // MetaSync's replay: the promise stays where it was.
    rules: { acceptedPromise: (promise) => promise },
    description: "agents fold a list as MetaSync's replay does: an ACCEPT never raises the promise and overwrites a higher vote",
  },
  {
    name: 'decide-by-value',
    service: 'list',
    rules: { voteKey: (_b, v) => JSON.stringify([v]) },
    description: 'the majority check counts lists holding an accepted value, whatever the ballot (MetaSync)',
  },
  {
    name: 'stale-read',
    service: 'list',
    rules: { beforeUnseenOwn: (recs) => recs },
    description: 'a listing that does not yet show the own PREPARE or ACCEPT counts, as if the record came last',
  },
  {
    name: 'gap-as-complete',
    service: 'list',
    rules: {
      mergeListing: (known, entries) => {
        const recs = entries.map(([, rec]) => rec);
        return recs.length >= known.recs.length ? { recs, next: recs.length } : known;
      },
    },
    description: 'a listing with a missing position is folded as if it were the whole list',
  },
  {
    name: 'commit-before-majority',
    service: 'list',
    rules: { onAppendAcked: (record) => (record === 'accept' ? 'accepted' : 'read') },
    description: 'the proposer decides and appends COMMIT once its ACCEPT appends succeed, before reading whether they were accepted',
  },
  {
    name: 'blind-put',
    service: 'cas',
    rules: { writeBack: (tag, key, _version, value) => ({ op: 'put', tag, key, value }) },
    description: 'the acceptor record is written back with an unconditional put, losing concurrent updates',
  },
  {
    name: 'conflict-as-success',
    service: 'cas',
    rules: { writeTookEffect: () => true },
    description: 'a conditional put that failed with a conflict (412) is treated as if it had succeeded',
  },
];

export const passiveMutants: readonly MutantInfo[] = catalogue.map((m) => ({
  name: m.name,
  protocol: 'passive',
  service: m.service,
  description: m.description,
}));

export function passiveRulesFor(name: string | undefined, service: string): PassiveRules {
  if (name === undefined || name === '' || name === 'none') return correctPassiveRules;
  const m = catalogue.find((x) => x.name === name && x.service === service);
  if (!m) {
    const known = catalogue.filter((x) => x.service === service).map((x) => x.name);
    throw new Error(`unknown mutant "${name}" for protocol passive/${service} (known: ${known.join(', ') || 'none'})`);
  }
  return { ...correctPassiveRules, ...m.rules };
}
