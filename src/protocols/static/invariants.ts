import type { NodeId, System, Value } from '../../kernel/types.js';
import type { World } from '../../kernel/world.js';

/**
 * Paxos.tla OneValuePerBallot: acceptors that voted in the same ballot (and slot) voted for the
 * same value. Unique ballots and one 2a per slot per ballot are what make it hold; it is the
 * invariant the rest of the safety proof leans on, so it is checked on the votes held right now.
 */
export function oneValuePerBallot(sys: System, world: World): string[] {
  const seen = new Map<string, { readonly v: Value; readonly a: NodeId }>();
  const broken: string[] = [];
  for (const a of sys.acceptors) {
    const slot = world.agents[a];
    if (!slot?.up || slot.state === null) continue;
    for (const [s, b, v] of sys.agents[a]?.view(slot.state).votes ?? []) {
      const key = `${s}|${b}`;
      const other = seen.get(key);
      if (other === undefined) seen.set(key, { v, a });
      else if (other.v !== v) {
        broken.push(`slot ${s}, ballot ${b}: n${other.a} voted "${other.v}" but n${a} voted "${v}" (OneValuePerBallot)`);
      }
    }
  }
  return broken;
}
