import type { NodeId, Value } from '../../kernel/types.js';

/** An acceptor's vote as Paxos.tla names it: in `slot`, maxVBal = `ballot`, maxVal = `value`. */
export type Vote = readonly [slot: number, ballot: number, value: Value];

/** The wire format. Every message names its kind in `t`, the Paxos.tla message type. */
export type Msg =
  /** Phase 1a: one prepare covers every slot (the stable-leader optimisation). */
  | { readonly t: '1a'; readonly b: number }
  /** Phase 1b: the promise for `b` with the acceptor's votes in every slot. */
  | { readonly t: '1b'; readonly b: number; readonly votes: readonly Vote[] }
  | { readonly t: '2a'; readonly b: number; readonly slot: number; readonly v: Value }
  | { readonly t: '2b'; readonly b: number; readonly slot: number; readonly v: Value }
  /** A rejection of ballot `b`, carrying the promise that beat it so the proposer can outbid it. */
  | { readonly t: 'nack'; readonly b: number; readonly maxBal: number }
  /** Learner to acceptors: re-send your votes for `slots` and for every slot from `from` on. */
  | { readonly t: 'catchup'; readonly from: number; readonly slots: readonly number[] }
  /** Learner to a proposer: votes alone did not settle `slots`; run Paxos for them again. */
  | { readonly t: 'rerun'; readonly slots: readonly number[] };

/** A message waiting to be sent, e.g. until the write it depends on is durable. */
export type Outgoing = readonly [to: NodeId, msg: Msg];
