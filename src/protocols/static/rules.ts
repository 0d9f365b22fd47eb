import type { Context, NodeId, Value } from '../../kernel/types.js';
import { sendAll, sendWhenDurable } from './durable.js';
import type { WriteQueue } from './durable.js';
import type { Msg, Outgoing, Vote } from './messages.js';

/**
 * The decisions of classic Paxos that a mutant may get wrong, each in one place. The protocol
 * code asks these and nothing else; `correctRules` is Paxos as Lamport states it, and every
 * mutant (mutants.ts) overrides exactly one of them.
 */
export interface StaticRules {
  /** ballot.ts: the ballot of proposer `index` (of `proposers`) in `round`. */
  ballot(round: number, index: number, proposers: number): number;
  /** config.ts: how many of `acceptors` make a quorum. */
  quorum(acceptors: number): number;
  /** proposer.ts: whether a 1b for ballot `promised` counts toward the quorum of ballot `current`. */
  promiseCounts(promised: number, current: number): boolean;
  /** proposer.ts Phase2a: per slot, the vote a new leader re-proposes, from its quorum's 1b votes. */
  adopt(votes: readonly (readonly Vote[])[]): Readonly<Record<string, readonly [number, Value]>>;
  /** quorum.ts: what 2b replies for one slot are tallied under until a quorum is reached. */
  tallyKey(b: number, v: Value): string;
  /** learner.ts: whether a 2b from `from` counts, given who was already counted under its key. */
  learnerCounts(voters: readonly NodeId[], from: NodeId): boolean;
  /** acceptor.ts Phase2b: the promise after voting in ballot b, with promise `maxBal` before. */
  promiseAfterVote(maxBal: number, b: number): number;
  /** acceptor.ts: sends replies that reveal a promise or vote; returns the write queue. */
  reply(writes: WriteQueue, msgs: readonly Outgoing[], ctx: Context<Msg>): WriteQueue;
  /** proposer.ts recover: the round a restarted proposer continues above, from its durable one. */
  recoveredRound(durable: number): number;
}

/** Distinct acceptors only: a 2b heard twice is still one vote. */
export const distinctVoter = (voters: readonly NodeId[], from: NodeId): boolean => !voters.includes(from);

export const correctRules: StaticRules = {
  // round·P + index + 1: distinct proposers never share a ballot, and every ballot exceeds the
  // acceptors' initial maxBal of -1 and the proposers' "no ballot yet" of 0.
  ballot: (round, index, proposers) => round * proposers + index + 1,
  // A majority: any two intersect, which is all that safety needs from quorums.
  quorum: (acceptors) => Math.floor(acceptors / 2) + 1,
  // Only promises for this very ballot: an older one says nothing about votes cast since.
  promiseCounts: (promised, current) => promised === current,
  adopt(votes) {
    const adopted: Record<string, readonly [number, Value]> = {};
    for (const reply of votes) {
      for (const [slot, b, v] of reply) {
        const best = adopted[slot];
        if (best === undefined || b > best[0]) adopted[slot] = [b, v];
      }
    }
    return adopted;
  },
  // One value per slot and ballot (unique ballots, one 2a per slot per ballot): count per ballot.
  tallyKey: (b) => `b:${b}`,
  learnerCounts: distinctVoter,
  // Voting in b is promising b: otherwise a later lower-ballot 2a would overwrite the vote.
  promiseAfterVote: (maxBal, b) => Math.max(maxBal, b),
  // An acceptor that forgets a promise after a crash could break it: reply once it is durable.
  reply: (writes, msgs, ctx) => sendWhenDurable(writes, msgs, ctx),
  // Starting above the durable round: a ballot already used is never run twice.
  recoveredRound: (durable) => durable,
};

/** Sends at once, whatever is still in flight to storage (the reply-before-persist mutant). */
export function replyAtOnce(writes: WriteQueue, msgs: readonly Outgoing[], ctx: Context<Msg>): WriteQueue {
  sendAll(msgs, ctx);
  return writes;
}
