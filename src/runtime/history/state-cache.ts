// Lowe's memo of explored configurations (linearizability.ts).

import type { LinearizedSet, SetSnapshot } from './linearized-set.js';
import type { StateOps } from './operations.js';

interface CacheEntry<S> {
  readonly lo: number;
  readonly stateHash: string | undefined;
  readonly set: SetSnapshot;
  readonly state: S;
}

/** Buckets are keyed by 23 bits of the set's hash: a Map cannot hold more than 2^24 keys. */
const BUCKET_MASK = 0x7fffff;

/**
 * The memo of configurations already explored: (linearized set, state) pairs. Numeric bucket
 * keys with the rest of the hash checked in the bucket avoid building a string key per step.
 */
export class StateCache<S> {
  private readonly buckets = new Map<number, CacheEntry<S>[]>();

  constructor(private readonly model: StateOps<S>) {}

  /** Records the configuration; false when it was already there. */
  add(set: LinearizedSet, state: S): boolean {
    const lo = set.hashLo();
    const stateHash = this.model.hash?.(state);
    const key = (set.hashHi() ^ (stateHash === undefined ? 0 : stringHash(stateHash))) & BUCKET_MASK;
    const bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.buckets.set(key, [{ lo, stateHash, set: set.snapshot(), state }]);
      return true;
    }
    for (const seen of bucket) {
      if (seen.lo !== lo || seen.stateHash !== stateHash) continue;
      if (set.equals(seen.set) && this.model.equal(seen.state, state)) return false;
    }
    bucket.push({ lo, stateHash, set: set.snapshot(), state });
    return true;
  }
}

/** FNV-1a over UTF-16 code units: spreads states with the same linearized set over buckets. */
function stringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}
