import type { Json, ServerReply, ServerRequest, Value } from '../../kernel/types.js';

/** What a reader knows of a list: its records at positions 0..next-1. */
export interface KnownList {
  readonly recs: readonly Json[];
  readonly next: number;
}

/**
 * The decisions of passive Paxos that a mutant may get wrong, each in one place. The agents and
 * the service accesses (agent.ts, list.ts, cas.ts) ask these and nothing else;
 * `correctPassiveRules` is the algorithm as docs/protocols.md states it, and every mutant
 * (mutants.ts) overrides exactly one of them.
 */
export interface PassiveRules {
  /** agent.ts startBallot: the agent's next ballot above `above`, in incarnation `inc`. */
  ballot(above: number, p: number, agents: number, inc: number): number;
  /** list.ts foldList: the promise after an ACCEPT(b) is accepted on a list promised `promise` (≤ b). */
  acceptedPromise(promise: number, b: number): number;
  /** agent.ts chosenValue: what the servers' accepted votes are counted under, toward a majority. */
  voteKey(b: number, v: Value): string;
  /** list.ts evaluate: the records the own record is judged after while no listing shows it (null: wait). */
  beforeUnseenOwn(recs: readonly Json[]): readonly Json[] | null;
  /** list.ts merge: what is known of a list after a listing of `entries` (sorted by position). */
  mergeListing(known: KnownList, entries: readonly (readonly [number, Json])[]): KnownList;
  /** list.ts: an acknowledged append of the own record: read the list to judge it, or take an ACCEPT as accepted. */
  onAppendAcked(record: 'prepare' | 'accept'): 'read' | 'accepted';
  /** cas.ts write: the request that writes the acceptor record back, read at `version`. */
  writeBack(tag: number, key: string, version: number, value: Json): ServerRequest;
  /** cas.ts: whether the write-back took effect. */
  writeTookEffect(reply: Extract<ServerReply, { op: 'put' | 'cas' }>): boolean;
}

/** Room for this many incarnations of an agent in its ballot numbers. */
const INCARNATIONS = 1000;

/**
 * The smallest ballot of agent p (of P) in incarnation `inc` above `above`. Ballots are unique
 * per agent and per incarnation: a restarted agent cannot know which ballots its previous life
 * used, and its appends from then may still be in flight.
 */
export function passiveBallot(above: number, p: number, agents: number, inc: number): number {
  const base = (inc % INCARNATIONS) * agents + p + 1;
  const span = agents * INCARNATIONS;
  const round = Math.max(0, Math.floor((above - base) / span) + 1);
  return round * span + base;
}

export const correctPassiveRules: PassiveRules = {
  ballot: passiveBallot,
  // ACCEPT(b, v) is accepted iff b ≥ promise, and then promise := b.
  acceptedPromise: (_promise, b) => b,
  // Chosen: accepted at one ballot by a majority.
  voteKey: (b, v) => JSON.stringify([b, v]),
  // A listing that does not show the own record says nothing about it yet.
  beforeUnseenOwn: () => null,
  // Positions are stable in an append-only list: keep what extends the known prefix.
  mergeListing(known, entries) {
    const recs = [...known.recs];
    let next = known.next;
    for (const [i, rec] of entries) {
      if (i < next) continue;
      // A missing position is a record not seen yet, not an absent one: stop before it.
      if (i > next) break;
      recs.push(rec);
      next = i + 1;
    }
    return { recs, next };
  },
  // The list, not the acknowledgement, says whether the record was accepted where it stands.
  onAppendAcked: () => 'read',
  // Conditional on the version read: no concurrent change is ever overwritten.
  writeBack: (tag, key, version, value) => ({ op: 'cas', tag, key, version, value }),
  writeTookEffect: (reply) => reply.op === 'put' || reply.ok,
};
