// The state of the untimed kernel world as the explorer sees it, apart from the model that
// steps it (world-model.ts), so that its compact form (compact/world-codec.ts) needs only this.

import type { Event } from '../kernel/events.js';
import type { Violation } from '../properties/index.js';
import type { Checked } from '../step/checked.js';

/** A kernel world with its property history, and the violation the step into it raised. */
export interface WorldState {
  readonly c: Checked;
  readonly violation: Violation | null;
  /**
   * Timer firings so far, indexed by agent id: what `maxTimerFires` bounds. Part of the state
   * when bounded (a reduction that renames agents must permute it along).
   */
  readonly fires: readonly number[];
  /** The reply delivery (`atomicOps`) and write completions (`eagerWrites`) applied after the step into this state, in order. */
  readonly settled?: readonly Event[];
}

/** What a watch keeps per state, handed over from an encoded state to its decoded copy. */
export interface Carried {
  get(s: WorldState): unknown;
  set(s: WorldState, data: unknown): void;
}
