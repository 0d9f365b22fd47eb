// Messages between a sleep-set search and its helper threads (sleep-workers.ts).
//
// Jobs, flat: [ticket, |sleep|, ...sleep, ...the state's codec words]. Answers, flat, per job
// in ticket order: [ticket, enabled, steps, then per step: action, hi, lo, bad, |sleep|,
// ...sleep, ...the successor's codec words]. Words are the sender's part ids; `fresh` carries
// the parts the receiver has not been sent yet (part-link.ts). A successor the helper has sent
// before comes with bad = KNOWN and no words.

import type { KernelTarget } from '../search/target.js';

export interface HelperSetup {
  readonly target: KernelTarget;
  readonly checkInvariants: boolean;
  /**
   * Int32 cells shared with the search: [0] tickets below it are dropped (the search expanded
   * them itself), [1] the ticket being expanded, [2] answers posted (bumped and notified per post),
   * [3] jobs finished (answered or dropped), so the search knows how far behind the helper is
   * without reading its answers.
   */
  readonly control: SharedArrayBuffer;
}

export const DROP_BELOW = 0;
export const EXPANDING = 1;
export const POSTED = 2;
export const FINISHED = 3;
/** `bad` of a successor sent as its fingerprint alone: the search knows it already. */
export const KNOWN = -2;
/** Int32 cells in HelperSetup.control. */
export const CONTROL_CELLS = 4;

export interface HelperMessage {
  readonly fresh: unknown[];
  readonly data: number[];
}
