import type { NodeId, Value } from '../../kernel/types.js';
import type { StaticRules } from './rules.js';

export interface TallyEntry {
  readonly v: Value;
  readonly from: readonly NodeId[];
}

/** 2b messages seen for undecided slots: slot -> ballot -> who voted, and for what. */
export type Tally = Readonly<Record<string, Readonly<Record<string, TallyEntry>>>>;

export type TallyOutcome = 'counted' | 'duplicate' | 'chosen';

export interface TallyResult {
  readonly tally: Tally;
  readonly outcome: TallyOutcome;
  /** The chosen value once a quorum is reached. */
  readonly chosen: Value | null;
}

/**
 * Counts 2b(slot, b, v) from acceptor `from` (Paxos.tla `Chosen`: a quorum of distinct acceptors
 * voted for v in one ballot). Counting per ballot relies on one value per slot and ballot, which
 * unique ballots and one 2a per slot per ballot guarantee (rules.ts `tallyKey`); `counts` says
 * whether a 2b from `from` counts given who was counted already (distinct acceptors, correctly).
 */
export function count2b(
  tally: Tally,
  slot: number,
  b: number,
  v: Value,
  from: NodeId,
  quorum: number,
  opts: { readonly rules: StaticRules; readonly counts: (voters: readonly NodeId[], from: NodeId) => boolean },
): TallyResult {
  const key = opts.rules.tallyKey(b, v);
  const bySlot = tally[slot] ?? {};
  const entry: TallyEntry = bySlot[key] ?? { v, from: [] };
  if (!opts.counts(entry.from, from)) return { tally, outcome: 'duplicate', chosen: null };
  const next: TallyEntry = { v: entry.v, from: [...entry.from, from] };
  const counted: Tally = { ...tally, [slot]: { ...bySlot, [key]: next } };
  if (next.from.length >= quorum) return { tally: forget(counted, slot), outcome: 'chosen', chosen: next.v };
  return { tally: counted, outcome: 'counted', chosen: null };
}

/** Drops the votes of a slot once it is decided: they can no longer change anything. */
export function forget(tally: Tally, slot: number): Tally {
  if (tally[slot] === undefined) return tally;
  const out: Record<string, Readonly<Record<string, TallyEntry>>> = { ...tally };
  delete out[slot];
  return out;
}
