import type { Event } from '../kernel/events.js';
import type { Topology } from '../protocols/family.js';
import type { Scenario } from '../scenario/schema.js';

/**
 * Everything needed to re-execute a violation: the target, how it was found, and the exact
 * choice sequence. Engines produce it; `src/artifacts/failure-file.ts` stores it, so engines do
 * no file I/O of their own.
 */
export interface Counterexample {
  readonly protocol: string;
  readonly service: string | null;
  readonly mutant: string | null;
  readonly strategy: string;
  readonly scenario: Scenario | null;
  readonly topology: Topology;
  readonly seed: number;
  readonly run: number;
  readonly choices: readonly Event[];
  readonly violation: { readonly property: string; readonly message: string; readonly slot?: number; readonly node?: number; readonly step: number };
  readonly trace: string;
  readonly shrunkFrom?: number;
  /** A user protocol loaded from a module: its path and a hash of its source. */
  readonly module?: { readonly path: string; readonly hash: string };
}

/** Where engines hand a counterexample: returns the path it was stored at. */
export type FailureSink = (c: Counterexample) => string;
