// Paxos.tla's invariants (TypeOK, Inv) and Voting's Consistency over a packed state: the fast
// mask forms the explorer checks, and the literal transliterations the tests compare them with.

import type { PaxosEncoding, PaxosState } from './encoding.js';
import { popcount } from './encoding.js';

/** TypeOK: every field in range and msgs within the message universe. */
export function typeOK(e: PaxosEncoding, s: PaxosState): boolean {
  if (s.length !== e.width) return false;
  for (let a = 0; a < e.NA; a++) {
    const mb = e.maxBal(s, a);
    const mvb = e.maxVBal(s, a);
    const mv = e.maxVal(s, a);
    if (mb < -1 || mb >= e.NB || mvb < -1 || mvb >= e.NB || mv < 0 || mv > e.NV) return false;
  }
  const bits = (e.width - e.base) * 32;
  for (let i = e.universe; i < bits; i++) if (e.hasMsg(s, i)) return false;
  return true;
}

/**
 * Voting's ShowsSafeAt(Q, b, v) ==
 *   /\ \A a \in Q : maxBal[a] >= b
 *   /\ \E c \in -1..(b-1) : /\ (c /= -1) => \E a \in Q : VotedFor(a, c, v)
 *                           /\ \A d \in (c+1)..(b-1), a \in Q : DidNotVoteAt(a, d)
 */
export function showsSafeAt(e: PaxosEncoding, s: PaxosState, q: number, b: number, v: number): boolean {
  const qSize = e.qSize;
  for (let k = 0; k < qSize; k++) if (e.maxBal(s, e.qMembers[q * qSize + k] as number) < b) return false;
  for (let c = -1; c < b; c++) {
    if (c !== -1) {
      let some = false;
      for (let k = 0; k < qSize && !some; k++) some = e.votedFor(s, e.qMembers[q * qSize + k] as number, c, v);
      if (!some) continue;
    }
    let none = true;
    for (let d = c + 1; d < b && none; d++) {
      for (let k = 0; k < qSize && none; k++) none = e.didNotVoteAt(s, e.qMembers[q * qSize + k] as number, d);
    }
    if (none) return true;
  }
  return false;
}

/**
 * Paxos.tla's Inv (the conjuncts after TypeOK), computed on bit masks. The 1b groups, the
 * votes and the 2a messages share one layout (bit b·NV + v), so "every reported vote is a
 * vote", "every vote has its 2a" are mask inclusions, and ShowsSafeAt(Q, b, v) reduces to:
 * every a in Q has maxBal[a] >= b, and c = the highest ballot below b in which Q voted is -1
 * or some a in Q voted for v in c (any other c fails one of its two conjuncts). `invReference`
 * is the literal transliteration; the tests check both agree on every reachable state.
 */
export function inv(e: PaxosEncoding, s: PaxosState): boolean {
  const NA = e.NA;
  const NB = e.NB;
  const NV = e.NV;
  const vmask = (1 << NV) - 1;
  const votes = e.scratchVotes;
  const maxBal = e.scratchMaxBal;
  const all2a = e.field(s, e.off2a, NB * NV);
  for (let a = 0; a < NA; a++) {
    const mb = e.maxBal(s, a);
    const mvb = e.maxVBal(s, a);
    const mv = e.maxVal(s, a);
    const vs = e.votes(s, a);
    votes[a] = vs;
    maxBal[a] = mb;
    if (!(mb >= mvb)) return false;
    if (mvb === -1) {
      if (mv !== 0) return false;
    } else if (mv === 0 || ((vs >>> (mvb * NV + mv - 1)) & 1) === 0) return false;
    // 2b: maxVBal[a] >= m.bal and the 2a message exists.
    if (vs !== 0) {
      if (Math.floor((31 - Math.clz32(vs)) / NV) > mvb || (vs & ~all2a) !== 0) return false;
    }
    // 1b: maxBal[a] >= m.bal and <<m.mbal, m.mval>> \in votes[a].
    for (let b = 0; b < NB; b++) {
      const g = e.group1b(s, a, b);
      if (g === 0) continue;
      if (!(mb >= b) || ((g >>> 1) & ~vs) !== 0) return false;
    }
  }
  // 2a: one value per ballot, and \E Q : ShowsSafeAt(Q, m.bal, m.val).
  const qSize = e.qSize;
  for (let b = 0; b < NB; b++) {
    const sent = (all2a >>> (b * NV)) & vmask;
    if (sent === 0) continue;
    if ((sent & (sent - 1)) !== 0) return false;
    const v = 31 - Math.clz32(sent);
    const below = b * NV >= 31 ? -1 : (1 << (b * NV)) - 1;
    let safe = false;
    for (let q = 0; q < e.NQ && !safe; q++) {
      let union = 0;
      let promised = true;
      for (let k = 0; k < qSize; k++) {
        const a = e.qMembers[q * qSize + k] as number;
        if ((maxBal[a] as number) < b) promised = false;
        union |= votes[a] as number;
      }
      if (!promised) continue;
      const earlier = union & below;
      safe = earlier === 0 || ((earlier >>> (Math.floor((31 - Math.clz32(earlier)) / NV) * NV + v)) & 1) === 1;
    }
    if (!safe) return false;
  }
  return true;
}

/** Paxos.tla's Inv (the conjuncts after TypeOK), literally. */
export function invReference(e: PaxosEncoding, s: PaxosState): boolean {
  const NA = e.NA;
  const NB = e.NB;
  const NV = e.NV;
  for (let a = 0; a < NA; a++) {
    const mb = e.maxBal(s, a);
    const mvb = e.maxVBal(s, a);
    const mv = e.maxVal(s, a);
    if (!(mb >= mvb)) return false;
    if (mvb === -1) {
      if (mv !== 0) return false;
    } else if (mv === 0 || !e.votedFor(s, a, mvb, mv - 1)) return false;
  }
  // 1b messages
  for (let a = 0; a < NA; a++) {
    for (let b = 0; b < NB; b++) {
      const g = e.group1b(s, a, b);
      if (g === 0) continue;
      if (!(e.maxBal(s, a) >= b)) return false;
      for (let j = 1; j < e.K; j++) {
        if (((g >>> j) & 1) === 0) continue;
        const mbal = Math.floor((j - 1) / NV);
        const mval = (j - 1) % NV;
        if (!e.votedFor(s, a, mbal, mval)) return false;
      }
    }
  }
  // 2a messages
  for (let b = 0; b < NB; b++) {
    const sent = e.field(s, e.off2a + b * NV, NV);
    if (sent === 0) continue;
    if (popcount(sent) > 1) return false;
    const v = 31 - Math.clz32(sent);
    let safe = false;
    for (let q = 0; q < e.NQ && !safe; q++) safe = showsSafeAt(e, s, q, b, v);
    if (!safe) return false;
  }
  // 2b messages
  for (let a = 0; a < NA; a++) {
    const vs = e.votes(s, a);
    if (vs === 0) continue;
    for (let b = 0; b < NB; b++) {
      for (let v = 0; v < NV; v++) {
        if (((vs >>> (b * NV + v)) & 1) === 0) continue;
        if (!(e.maxVBal(s, a) >= b) || !e.hasMsg(s, e.msg2a(b, v))) return false;
      }
    }
  }
  return true;
}

/** Bit v set for each v in Voting's `chosen`: some quorum all voted for v in one ballot. */
export function chosen(e: PaxosEncoding, s: PaxosState): number {
  const qSize = e.qSize;
  let ballots = 0;
  for (let q = 0; q < e.NQ; q++) {
    let all = -1;
    for (let k = 0; k < qSize; k++) all &= e.votes(s, e.qMembers[q * qSize + k] as number);
    ballots |= all;
  }
  let mask = 0;
  const vmask = (1 << e.NV) - 1;
  for (let b = 0; b < e.NB; b++) mask |= (ballots >>> (b * e.NV)) & vmask;
  return mask;
}

/** Voting's `chosen`, literally: {v \in Value : \E b \in Ballot : \E Q \in Quorum : \A a \in Q : VotedFor(a, b, v)}. */
export function chosenReference(e: PaxosEncoding, s: PaxosState): number {
  let mask = 0;
  const qSize = e.qSize;
  for (let b = 0; b < e.NB; b++) {
    for (let v = 0; v < e.NV; v++) {
      for (let q = 0; q < e.NQ; q++) {
        let all = true;
        for (let k = 0; k < qSize && all; k++) all = e.votedFor(s, e.qMembers[q * qSize + k] as number, b, v);
        if (all) mask |= 1 << v;
      }
    }
  }
  return mask;
}

/** Consensus: at most one value is chosen. */
export function consistency(e: PaxosEncoding, s: PaxosState): boolean {
  return popcount(chosen(e, s)) <= 1;
}
