import type { NodeId, NodeView, System, Value } from '../../kernel/types.js';
import type { World } from '../../kernel/world.js';

/**
 * Paxos.tla OneValuePerBallot: acceptors that voted in the same ballot (and slot) voted for the
 * same value. Unique ballots and one 2a per slot per ballot are what make it hold; it is the
 * invariant the rest of the safety proof leans on, so it is checked on the votes held right now.
 */
export function oneValuePerBallot(sys: System, world: World): readonly string[] {
  // Most steps leave every acceptor's votes as they were (views are kept per stored state), so
  // the answer of the last call is reused when each acceptor shows the very same vote list.
  const votes = sys.acceptors.map((a) => {
    const slot = world.agents[a];
    return !slot?.up || slot.state === null ? null : (sys.agents[a]?.view(slot.state).votes ?? null);
  });
  const memo = lastAnswer.get(sys);
  if (memo && memo.votes.every((v, i) => v === votes[i])) return memo.broken;
  const broken = conflicts(sys.acceptors, votes);
  lastAnswer.set(sys, { votes, broken });
  return broken;
}

type VoteList = NonNullable<NodeView['votes']>;
const lastAnswer = new WeakMap<System, { readonly votes: readonly (VoteList | null)[]; readonly broken: readonly string[] }>();

function conflicts(acceptors: readonly NodeId[], votes: readonly (VoteList | null)[]): readonly string[] {
  const seen = new Map<string, { readonly v: Value; readonly a: NodeId }>();
  const broken: string[] = [];
  acceptors.forEach((a, i) => {
    for (const [s, b, v] of votes[i] ?? []) {
      const key = `${s}|${b}`;
      const other = seen.get(key);
      if (other === undefined) seen.set(key, { v, a });
      else if (other.v !== v) {
        broken.push(`slot ${s}, ballot ${b}: n${other.a} voted "${other.v}" but n${a} voted "${v}" (OneValuePerBallot)`);
      }
    }
  });
  return broken;
}
