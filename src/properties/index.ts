import { agreement } from './agreement.js';
import { ballotUniqueness } from './ballots.js';
import { noDivergence } from './divergence.js';
import { protocolInvariants } from './invariants.js';
import { noException } from './no-exception.js';
import { promiseMonotonicity } from './promises.js';
import type { Property, StepFacts, Violation } from './property.js';
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

export function checkStep(facts: StepFacts): Violation | null {
  for (const p of properties) {
    const v = p.check(facts);
    if (v) return v;
  }
  return null;
}
