// `--topology k=N,…`: the sizes each built-in family reads, within the scenario schema's bounds.

import { topologySchema } from '../../scenario/schema.js';
import type { PairBounds } from './fields.js';

export type TopologyKey = 'proposers' | 'acceptors' | 'learners' | 'servers' | 'commands';

/** The bounds a scenario file may give each size; the protocols need at least one of each. */
function boundsOf(key: TopologyKey): { min: number; max: number } {
  const s = topologySchema.shape[key];
  return { min: s.minValue ?? 1, max: s.maxValue ?? Number.MAX_SAFE_INTEGER };
}

export const topologyBounds: PairBounds<TopologyKey> = {
  proposers: boundsOf('proposers'),
  acceptors: boundsOf('acceptors'),
  learners: boundsOf('learners'),
  servers: boundsOf('servers'),
  commands: boundsOf('commands'),
};

/** What each built-in family reads; a size it does not read is refused, not ignored. */
const readBy: Readonly<Record<string, readonly TopologyKey[]>> = {
  static: ['proposers', 'acceptors', 'learners', 'commands'],
  disk: ['proposers', 'servers', 'commands'],
  passive: ['proposers', 'servers', 'commands'],
};

/**
 * A refusal if `topology` sets a size the protocol has no use for. Only the built-in names are
 * known here (a module cannot take a built-in name); a user protocol may read any size.
 */
export function checkTopologyKeys(protocol: string, topology: Partial<Record<TopologyKey, number>>): string | null {
  const keys = readBy[protocol];
  if (!keys) return null;
  const unused = (Object.keys(topology) as TopologyKey[]).find((k) => !keys.includes(k));
  return unused ? `--topology ${unused}=${topology[unused]}: ${protocol} has no ${unused} (it reads ${keys.join(', ')})` : null;
}
