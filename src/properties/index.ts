import { agreement } from './agreement.js';
import { ballotUniqueness } from './ballots.js';
import { noDivergence } from './divergence.js';
import { protocolInvariants } from './invariants.js';
import { noException } from './no-exception.js';
import { promiseMonotonicity } from './promises.js';
import type { Property, StepFacts, Violation } from './property.js';
import type { System } from '../kernel/types.js';
import type { Check, Reachability } from './user.js';
import { isReachability } from './user.js';
import { stability } from './stability.js';
import { validity } from './validity.js';

export type { Property, StepFacts, Violation } from './property.js';
export { emptyHistory, observe, quorumSize, viewOf } from './history.js';
export type { History } from './history.js';

export const properties: readonly Property[] = [
  noException,
  agreement,
  validity,
  stability,
  noDivergence,
  promiseMonotonicity,
  ballotUniqueness,
  protocolInvariants,
];

export { always, isReachability, snapshot, sometimes } from './user.js';
export type { Check, Predicate, Reachability, Snapshot } from './user.js';

// The checks of each built system (defineProtocol binds them); systems built by hand get the
// built-in list. Kept beside the system rather than in it: the kernel knows nothing of properties.
// One table for every copy of paxcheck in the process (two installed versions, or the sources
// beside the compiled package): a protocol defined through one copy and checked by another
// keeps its own properties instead of silently falling back to the built-in list.
type Bound = WeakMap<System, { readonly safety: readonly Property[]; readonly reach: readonly Reachability[] }>;
const BOUND = Symbol.for('paxcheck.bound-properties');
const shared = globalThis as Record<symbol, unknown>;
const bound = (shared[BOUND] ??= new WeakMap()) as Bound;

export function bindProperties(sys: System, checks: readonly Check[]): System {
  bound.set(sys, { safety: checks.filter((c): c is Property => !isReachability(c)), reach: checks.filter(isReachability) });
  return sys;
}

/** The safety properties checked on `sys`. */
export function safetyOf(sys: System): readonly Property[] {
  return bound.get(sys)?.safety ?? properties;
}

/** The states `sys` must reach at least once. */
export function reachabilityOf(sys: System): readonly Reachability[] {
  return bound.get(sys)?.reach ?? [];
}

export function checkStep(facts: StepFacts): Violation | null {
  for (const p of safetyOf(facts.sys)) {
    const v = p.check(facts);
    if (v) return v;
  }
  return null;
}
