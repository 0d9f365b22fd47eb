// Lamport's Paxos consensus spec (tlaplus/Examples, specifications/PaxosHowToWinATuringAward/
// Paxos.tla) transliterated for the explorer, with the constants of its TLC models (MCPaxos.tla
// with MCPaxosTiny.cfg / MCPaxosSmall.cfg):
//
//   Acceptor = {a1, a2, a3}   Value = {v1, v2}   Ballot = 0..MaxBallot
//   Quorum   = {{a1, a2}, {a1, a3}, {a2, a3}}  (the two-element sets; no symmetry set)
//
//   VARIABLES maxBal, maxVBal, maxVal, msgs
//   Init == maxBal = [a |-> -1] /\ maxVBal = [a |-> -1] /\ maxVal = [a |-> None] /\ msgs = {}
//   Next == \/ \E b \in Ballot : Phase1a(b) \/ \E v \in Value : Phase2a(b, v)
//           \/ \E a \in Acceptor : Phase1b(a) \/ Phase2b(a)
//
// State encoding (an Int32Array of `width` words):
// - acceptor words: per acceptor a bit field (maxBal+1 | maxVBal+1 | maxVal), maxVal 0 = None,
//   1..V = v1..vV; as many acceptors per word as fit;
// - then `msgs` as a bitset over an enumerated message universe (messages are never removed,
//   so a set of messages is exactly a bit mask):
//     1a(b)                 b
//     1b(a, b, mbal, mval)  off1b + (a·B + b)·K + j,  j = 0 for (-1, None),
//                                                     j = 1 + mbal·V + (mval-1) otherwise
//     2a(b, v)              off2a + b·V + v
//     2b(a, b, v)           off2b + (a·B + b)·V + v
//   (B ballots, V values, K = 1 + B·V.) A 1b message carries <<maxVBal[a], maxVal[a]>>, which
//   the spec keeps either (-1, None) or a real vote; if it ever were not, `next` throws instead
//   of silently conflating states.
// The encoding is canonical (one bit pattern per spec state), so equal states hash alike.
//
// Actions are integers (kind in the low 2 bits). `actions` lists one entry per successor TLC
// computes: every ballot for Phase1a (re-sending an existing 1a is a stuttering step TLC still
// generates), every witness message m of Phase1b / Phase2b's `\E m \in msgs`, and for Phase2a
// every quorum Q of `\E Q \in Quorum` and, inside it, every witness of the disjunct
// `\E m \in Q1bv : ...` (or one entry for the disjunct `Q1bv = {}`).

import type { Hash64 } from '../../kernel/hash.js';
import { Hasher } from '../../kernel/hash.js';
import type { Invariant, PackedTransitionSystem } from '../../kernel/model.js';

export interface SpecPaxosOptions {
  /** Ballot = 0..maxBallot. */
  readonly maxBallot: number;
  /** Number of acceptors (default 3). */
  readonly acceptors?: number;
  /** Number of values (default 2). */
  readonly values?: number;
  /**
   * Quorum = every set of this many acceptors (default ⌊acceptors/2⌋+1, the MC models' choice).
   * Smaller quorums break the spec's ASSUME that quorums intersect: a checker test.
   */
  readonly quorumSize?: number;
}

/** A packed spec state; see the file comment for the layout. */
export type PaxosState = Int32Array;
/** A packed action instance; see `describe`. */
export type PaxosAction = number;

const PHASE1A = 0;
const PHASE1B = 1;
const PHASE2A = 2;
const PHASE2B = 3;

function bitsFor(n: number): number {
  let b = 1;
  while (1 << b < n) b++;
  return b;
}

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

export class SpecPaxos implements PackedTransitionSystem<PaxosAction> {
  readonly name: string;
  /** Acceptors, values, ballots, quorums. */
  readonly NA: number;
  readonly NV: number;
  readonly NB: number;
  readonly NQ: number;
  /** Quorums as acceptor bit masks, in the order {a1,a2}, {a1,a3}, {a2,a3}. */
  readonly quorums: readonly number[];
  /** Quorum members, flattened: quorum q's members are qMembers[q·qSize .. (q+1)·qSize). */
  private readonly qMembers: Int32Array;
  private readonly qSize: number;
  /** Int32 words per state. */
  readonly width: number;
  /** First word of the message bitset. */
  private readonly base: number;
  /** Size of the message universe. */
  readonly universe: number;
  private readonly K: number;
  private readonly off1b: number;
  private readonly off2a: number;
  private readonly off2b: number;
  private readonly fb: number;
  private readonly maskB: number;
  private readonly maskV: number;
  private readonly maskA: number;
  private readonly accWord: Int32Array;
  private readonly accShift: Int32Array;
  readonly invariants: readonly Invariant<PaxosState>[];
  private readonly scratchVotes: Int32Array;
  private readonly scratchMaxBal: Int32Array;

  constructor(opts: SpecPaxosOptions) {
    const NA = opts.acceptors ?? 3;
    const NV = opts.values ?? 2;
    const NB = opts.maxBallot + 1;
    if (!Number.isInteger(opts.maxBallot) || opts.maxBallot < 0) throw new Error('maxBallot must be a natural number');
    if (!Number.isInteger(NA) || NA < 1 || NA > 16) throw new Error('acceptors must be 1..16');
    if (!Number.isInteger(NV) || NV < 1) throw new Error('values must be ≥ 1');
    this.NA = NA;
    this.NV = NV;
    this.NB = NB;
    this.name = `spec-paxos(MaxBallot=${opts.maxBallot}, acceptors=${NA}, values=${NV}${opts.quorumSize === undefined ? '' : `, quorumSize=${opts.quorumSize}`})`;

    // Quorum: every set of qSize acceptors, ordered by their sorted members.
    const qSize = opts.quorumSize ?? Math.floor(NA / 2) + 1;
    if (!Number.isInteger(qSize) || qSize < 1 || qSize > NA) throw new Error('quorumSize must be 1..acceptors');
    const quorums: number[] = [];
    const pick = (from: number, mask: number, left: number): void => {
      if (left === 0) {
        quorums.push(mask);
        return;
      }
      for (let a = from; a < NA; a++) pick(a + 1, mask | (1 << a), left - 1);
    };
    pick(0, 0, qSize);
    this.quorums = quorums;
    this.NQ = quorums.length;
    this.qSize = qSize;
    this.qMembers = new Int32Array(quorums.length * qSize);
    quorums.forEach((q, i) => {
      let k = 0;
      for (let a = 0; a < NA; a++) if (q & (1 << a)) this.qMembers[i * qSize + k++] = a;
    });

    this.fb = bitsFor(NB + 1);
    const fv = bitsFor(NV + 1);
    const fa = 2 * this.fb + fv;
    if (fa > 32) throw new Error('ballot/value fields too wide');
    this.maskB = (1 << this.fb) - 1;
    this.maskV = (1 << fv) - 1;
    this.maskA = fa === 32 ? -1 : (1 << fa) - 1;
    const perWord = Math.floor(32 / fa);
    const accWords = Math.ceil(NA / perWord);
    this.accWord = new Int32Array(NA);
    this.accShift = new Int32Array(NA);
    for (let a = 0; a < NA; a++) {
      this.accWord[a] = Math.floor(a / perWord);
      this.accShift[a] = (a % perWord) * fa;
    }

    this.K = 1 + NB * NV;
    if (this.K > 30 || NB * NV > 30) throw new Error('too many ballots × values for the packed 1b/2b groups');
    this.off1b = NB;
    this.off2a = this.off1b + NA * NB * this.K;
    this.off2b = this.off2a + NB * NV;
    this.universe = this.off2b + NA * NB * NV;
    this.base = accWords;
    this.width = accWords + Math.ceil(this.universe / 32);
    if (4 * (NB * NV * this.NQ * (this.universe + 1)) >= 2 ** 31) throw new Error('action codes overflow');

    this.scratchVotes = new Int32Array(NA);
    this.scratchMaxBal = new Int32Array(NA);
    this.invariants = [
      { name: 'TypeOK', holds: (s) => this.typeOK(s) },
      { name: 'Inv', holds: (s) => this.inv(s) },
      { name: 'Consistency', holds: (s) => this.consistency(s) },
    ];
  }

  // ---- state access ------------------------------------------------------------------------

  maxBal(s: PaxosState, a: number): number {
    return (((s[this.accWord[a] as number] as number) >>> (this.accShift[a] as number)) & this.maskB) - 1;
  }

  maxVBal(s: PaxosState, a: number): number {
    return (((s[this.accWord[a] as number] as number) >>> ((this.accShift[a] as number) + this.fb)) & this.maskB) - 1;
  }

  /** 0 = None, 1..NV = v1..vNV. */
  maxVal(s: PaxosState, a: number): number {
    return ((s[this.accWord[a] as number] as number) >>> ((this.accShift[a] as number) + 2 * this.fb)) & this.maskV;
  }

  private setAcceptor(t: PaxosState, a: number, maxBal: number, maxVBal: number, maxVal: number): void {
    const w = this.accWord[a] as number;
    const sh = this.accShift[a] as number;
    const f = (maxBal + 1) | ((maxVBal + 1) << this.fb) | (maxVal << (2 * this.fb));
    t[w] = ((t[w] as number) & ~(this.maskA << sh)) | (f << sh);
  }

  hasMsg(s: PaxosState, i: number): boolean {
    return (((s[this.base + (i >>> 5)] as number) >>> (i & 31)) & 1) === 1;
  }

  private addMsg(t: PaxosState, i: number): void {
    const w = this.base + (i >>> 5);
    t[w] = (t[w] as number) | (1 << (i & 31));
  }

  /** `len` (≤ 30) message bits starting at universe index `start`, as an integer. */
  private field(s: PaxosState, start: number, len: number): number {
    const w = this.base + (start >>> 5);
    const o = start & 31;
    let x = (s[w] as number) >>> o;
    if (o + len > 32) x |= (s[w + 1] as number) << (32 - o);
    return x & ((1 << len) - 1);
  }

  msg1a(b: number): number {
    return b;
  }

  /** mval: 0 = None, 1..NV. Throws on a pair no acceptor can hold. */
  msg1b(a: number, b: number, mbal: number, mval: number): number {
    let j: number;
    if (mbal === -1 && mval === 0) j = 0;
    else if (mbal >= 0 && mval >= 1) j = 1 + mbal * this.NV + (mval - 1);
    else throw new Error(`1b message with <<mbal, mval>> = <<${mbal}, ${mval}>> is outside the encoded universe`);
    return this.off1b + (a * this.NB + b) * this.K + j;
  }

  /** v: 0-based value index. */
  msg2a(b: number, v: number): number {
    return this.off2a + b * this.NV + v;
  }

  msg2b(a: number, b: number, v: number): number {
    return this.off2b + (a * this.NB + b) * this.NV + v;
  }

  /** The 1b messages of acceptor a at ballot b: bit j as in the layout. */
  private group1b(s: PaxosState, a: number, b: number): number {
    return this.field(s, this.off1b + (a * this.NB + b) * this.K, this.K);
  }

  /** votes[a] as a mask: bit b·NV + v for each 2b(a, b, v) in msgs. */
  votes(s: PaxosState, a: number): number {
    return this.field(s, this.off2b + a * this.NB * this.NV, this.NB * this.NV);
  }

  // ---- the transition system ---------------------------------------------------------------

  initial(): readonly PaxosState[] {
    const s = new Int32Array(this.width);
    for (let a = 0; a < this.NA; a++) this.setAcceptor(s, a, -1, -1, 0);
    return [s];
  }

  actions(s: PaxosState, out: PaxosAction[]): void {
    const NB = this.NB;
    const NV = this.NV;
    for (let b = 0; b < NB; b++) {
      out.push(b * 4 + PHASE1A);
      for (let v = 0; v < NV; v++) this.phase2aWitnesses(s, b, v, out);
    }
    for (let a = 0; a < this.NA; a++) {
      const mb = this.maxBal(s, a);
      for (let b = mb + 1; b < NB; b++) if (this.hasMsg(s, b)) out.push((a * NB + b) * 4 + PHASE1B);
      for (let b = mb < 0 ? 0 : mb; b < NB; b++) {
        for (let v = 0; v < NV; v++) if (this.hasMsg(s, this.msg2a(b, v))) out.push(((a * NB + b) * NV + v) * 4 + PHASE2B);
      }
    }
  }

  private code2a(b: number, v: number, q: number, w: number): number {
    return (((b * this.NV + v) * this.NQ + q) * (this.universe + 1) + (w + 1)) * 4 + PHASE2A;
  }

  /**
   * Phase2a(b, v): pushes one action per (Q, disjunct witness) satisfying
   *   /\ ~ \E m \in msgs : m.type = "2a" /\ m.bal = b
   *   /\ \E Q \in Quorum : LET Q1b == {m \in msgs : m.type = "1b" /\ m.acc \in Q /\ m.bal = b}
   *                            Q1bv == {m \in Q1b : m.mbal >= 0}
   *                        IN /\ \A a \in Q : \E m \in Q1b : m.acc = a
   *                           /\ \/ Q1bv = {}
   *                              \/ \E m \in Q1bv : m.mval = v /\ \A mm \in Q1bv : m.mbal >= mm.mbal
   */
  private phase2aWitnesses(s: PaxosState, b: number, v: number, out: PaxosAction[] | null): number {
    const NV = this.NV;
    if (this.field(s, this.off2a + b * NV, NV) !== 0) return 0;
    let found = 0;
    const qSize = this.qSize;
    for (let q = 0; q < this.NQ; q++) {
      let ok = true;
      let top = -1; // highest m.mbal in Q1bv
      for (let k = 0; k < qSize; k++) {
        const a = this.qMembers[q * qSize + k] as number;
        const g = this.group1b(s, a, b);
        if (g === 0) {
          ok = false;
          break;
        }
        const voted = g >>> 1;
        if (voted !== 0) {
          const mb = Math.floor((31 - Math.clz32(voted)) / NV);
          if (mb > top) top = mb;
        }
      }
      if (!ok) continue;
      if (top < 0) {
        found++;
        out?.push(this.code2a(b, v, q, -1));
        continue;
      }
      const j = 1 + top * NV + v;
      for (let k = 0; k < qSize; k++) {
        const a = this.qMembers[q * qSize + k] as number;
        if ((this.group1b(s, a, b) >>> j) & 1) {
          found++;
          out?.push(this.code2a(b, v, q, this.off1b + (a * this.NB + b) * this.K + j));
        }
      }
    }
    return found;
  }

  /**
   * Phase2a(b, v) through quorum q and witness w (a 1b message index, or -1 for `Q1bv = {}`):
   * the same condition as `phase2aWitnesses`, for one witness.
   */
  private phase2aEnabled(s: PaxosState, b: number, v: number, q: number, w: number): boolean {
    const NV = this.NV;
    if (b >= this.NB || q >= this.NQ || this.field(s, this.off2a + b * NV, NV) !== 0) return false;
    const qSize = this.qSize;
    let top = -1;
    for (let k = 0; k < qSize; k++) {
      const g = this.group1b(s, this.qMembers[q * qSize + k] as number, b);
      if (g === 0) return false;
      const voted = g >>> 1;
      if (voted !== 0) {
        const mb = Math.floor((31 - Math.clz32(voted)) / NV);
        if (mb > top) top = mb;
      }
    }
    if (top < 0) return w === -1;
    const j = 1 + top * NV + v;
    for (let k = 0; k < qSize; k++) {
      const a = this.qMembers[q * qSize + k] as number;
      if (w === this.off1b + (a * this.NB + b) * this.K + j && ((this.group1b(s, a, b) >>> j) & 1) === 1) return true;
    }
    return false;
  }

  next(s: PaxosState, act: PaxosAction): PaxosState | null {
    const t = new Int32Array(this.width);
    return this.nextInto(s, act, t) ? t : null;
  }

  nextInto(s: PaxosState, act: PaxosAction, t: PaxosState): boolean {
    const NB = this.NB;
    const NV = this.NV;
    const p = Math.floor(act / 4);
    switch (act & 3) {
      case PHASE1A: {
        const b = p;
        if (b >= NB) return false;
        t.set(s);
        this.addMsg(t, this.msg1a(b));
        return true;
      }
      case PHASE1B: {
        const a = Math.floor(p / NB);
        const b = p % NB;
        if (a >= this.NA || !this.hasMsg(s, this.msg1a(b)) || !(b > this.maxBal(s, a))) return false;
        t.set(s);
        const mvb = this.maxVBal(s, a);
        const mv = this.maxVal(s, a);
        this.setAcceptor(t, a, b, mvb, mv);
        this.addMsg(t, this.msg1b(a, b, mvb, mv));
        return true;
      }
      case PHASE2A: {
        const w = (p % (this.universe + 1)) - 1;
        let r = Math.floor(p / (this.universe + 1));
        const q = r % this.NQ;
        r = Math.floor(r / this.NQ);
        const v = r % NV;
        const b = Math.floor(r / NV);
        if (!this.phase2aEnabled(s, b, v, q, w)) return false;
        t.set(s);
        this.addMsg(t, this.msg2a(b, v));
        return true;
      }
      default: {
        const v = p % NV;
        const r = Math.floor(p / NV);
        const b = r % NB;
        const a = Math.floor(r / NB);
        if (a >= this.NA || !this.hasMsg(s, this.msg2a(b, v)) || !(b >= this.maxBal(s, a))) return false;
        t.set(s);
        this.setAcceptor(t, a, b, b, v + 1);
        this.addMsg(t, this.msg2b(a, b, v));
        return true;
      }
    }
  }

  fingerprint(s: PaxosState): Hash64 {
    const h = new Hasher();
    for (let i = 0; i < s.length; i++) h.word(s[i] as number);
    return h.digest();
  }

  // ---- invariants ----------------------------------------------------------------------------

  /** TypeOK: every field in range and msgs within the message universe. */
  typeOK(s: PaxosState): boolean {
    if (s.length !== this.width) return false;
    for (let a = 0; a < this.NA; a++) {
      const mb = this.maxBal(s, a);
      const mvb = this.maxVBal(s, a);
      const mv = this.maxVal(s, a);
      if (mb < -1 || mb >= this.NB || mvb < -1 || mvb >= this.NB || mv < 0 || mv > this.NV) return false;
    }
    const bits = (this.width - this.base) * 32;
    for (let i = this.universe; i < bits; i++) if (this.hasMsg(s, i)) return false;
    return true;
  }

  private votedFor(s: PaxosState, a: number, b: number, v: number): boolean {
    return ((this.votes(s, a) >>> (b * this.NV + v)) & 1) === 1;
  }

  private didNotVoteAt(s: PaxosState, a: number, b: number): boolean {
    return ((this.votes(s, a) >>> (b * this.NV)) & ((1 << this.NV) - 1)) === 0;
  }

  /**
   * Voting's ShowsSafeAt(Q, b, v) ==
   *   /\ \A a \in Q : maxBal[a] >= b
   *   /\ \E c \in -1..(b-1) : /\ (c /= -1) => \E a \in Q : VotedFor(a, c, v)
   *                           /\ \A d \in (c+1)..(b-1), a \in Q : DidNotVoteAt(a, d)
   */
  showsSafeAt(s: PaxosState, q: number, b: number, v: number): boolean {
    const qSize = this.qSize;
    for (let k = 0; k < qSize; k++) if (this.maxBal(s, this.qMembers[q * qSize + k] as number) < b) return false;
    for (let c = -1; c < b; c++) {
      if (c !== -1) {
        let some = false;
        for (let k = 0; k < qSize && !some; k++) some = this.votedFor(s, this.qMembers[q * qSize + k] as number, c, v);
        if (!some) continue;
      }
      let none = true;
      for (let d = c + 1; d < b && none; d++) {
        for (let k = 0; k < qSize && none; k++) none = this.didNotVoteAt(s, this.qMembers[q * qSize + k] as number, d);
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
  inv(s: PaxosState): boolean {
    const NA = this.NA;
    const NB = this.NB;
    const NV = this.NV;
    const vmask = (1 << NV) - 1;
    const votes = this.scratchVotes;
    const maxBal = this.scratchMaxBal;
    const all2a = this.field(s, this.off2a, NB * NV);
    for (let a = 0; a < NA; a++) {
      const mb = this.maxBal(s, a);
      const mvb = this.maxVBal(s, a);
      const mv = this.maxVal(s, a);
      const vs = this.votes(s, a);
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
        const g = this.group1b(s, a, b);
        if (g === 0) continue;
        if (!(mb >= b) || ((g >>> 1) & ~vs) !== 0) return false;
      }
    }
    // 2a: one value per ballot, and \E Q : ShowsSafeAt(Q, m.bal, m.val).
    const qSize = this.qSize;
    for (let b = 0; b < NB; b++) {
      const sent = (all2a >>> (b * NV)) & vmask;
      if (sent === 0) continue;
      if ((sent & (sent - 1)) !== 0) return false;
      const v = 31 - Math.clz32(sent);
      const below = b * NV >= 31 ? -1 : (1 << (b * NV)) - 1;
      let safe = false;
      for (let q = 0; q < this.NQ && !safe; q++) {
        let union = 0;
        let promised = true;
        for (let k = 0; k < qSize; k++) {
          const a = this.qMembers[q * qSize + k] as number;
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
  invReference(s: PaxosState): boolean {
    const NA = this.NA;
    const NB = this.NB;
    const NV = this.NV;
    for (let a = 0; a < NA; a++) {
      const mb = this.maxBal(s, a);
      const mvb = this.maxVBal(s, a);
      const mv = this.maxVal(s, a);
      if (!(mb >= mvb)) return false;
      if (mvb === -1) {
        if (mv !== 0) return false;
      } else if (mv === 0 || !this.votedFor(s, a, mvb, mv - 1)) return false;
    }
    // 1b messages
    for (let a = 0; a < NA; a++) {
      for (let b = 0; b < NB; b++) {
        const g = this.group1b(s, a, b);
        if (g === 0) continue;
        if (!(this.maxBal(s, a) >= b)) return false;
        for (let j = 1; j < this.K; j++) {
          if (((g >>> j) & 1) === 0) continue;
          const mbal = Math.floor((j - 1) / NV);
          const mval = (j - 1) % NV;
          if (!this.votedFor(s, a, mbal, mval)) return false;
        }
      }
    }
    // 2a messages
    for (let b = 0; b < NB; b++) {
      const sent = this.field(s, this.off2a + b * NV, NV);
      if (sent === 0) continue;
      if (popcount(sent) > 1) return false;
      const v = 31 - Math.clz32(sent);
      let safe = false;
      for (let q = 0; q < this.NQ && !safe; q++) safe = this.showsSafeAt(s, q, b, v);
      if (!safe) return false;
    }
    // 2b messages
    for (let a = 0; a < NA; a++) {
      const vs = this.votes(s, a);
      if (vs === 0) continue;
      for (let b = 0; b < NB; b++) {
        for (let v = 0; v < NV; v++) {
          if (((vs >>> (b * NV + v)) & 1) === 0) continue;
          if (!(this.maxVBal(s, a) >= b) || !this.hasMsg(s, this.msg2a(b, v))) return false;
        }
      }
    }
    return true;
  }

  /** Bit v set for each v in Voting's `chosen`: some quorum all voted for v in one ballot. */
  chosen(s: PaxosState): number {
    const qSize = this.qSize;
    let ballots = 0;
    for (let q = 0; q < this.NQ; q++) {
      let all = -1;
      for (let k = 0; k < qSize; k++) all &= this.votes(s, this.qMembers[q * qSize + k] as number);
      ballots |= all;
    }
    let mask = 0;
    const vmask = (1 << this.NV) - 1;
    for (let b = 0; b < this.NB; b++) mask |= (ballots >>> (b * this.NV)) & vmask;
    return mask;
  }

  /** Voting's `chosen`, literally: {v \in Value : \E b \in Ballot : \E Q \in Quorum : \A a \in Q : VotedFor(a, b, v)}. */
  chosenReference(s: PaxosState): number {
    let mask = 0;
    const qSize = this.qSize;
    for (let b = 0; b < this.NB; b++) {
      for (let v = 0; v < this.NV; v++) {
        for (let q = 0; q < this.NQ; q++) {
          let all = true;
          for (let k = 0; k < qSize && all; k++) all = this.votedFor(s, this.qMembers[q * qSize + k] as number, b, v);
          if (all) mask |= 1 << v;
        }
      }
    }
    return mask;
  }

  /** Consensus: at most one value is chosen. */
  consistency(s: PaxosState): boolean {
    return popcount(this.chosen(s)) <= 1;
  }

  // ---- rendering -----------------------------------------------------------------------------

  private acc(a: number): string {
    return `a${a + 1}`;
  }

  private val(v0: number): string {
    return `v${v0 + 1}`;
  }

  private msgName(i: number): string {
    if (i < this.off1b) return `1a(${i})`;
    if (i < this.off2a) {
      const r = i - this.off1b;
      const j = r % this.K;
      const ab = Math.floor(r / this.K);
      const a = Math.floor(ab / this.NB);
      const b = ab % this.NB;
      const mv = j === 0 ? '-1,None' : `${Math.floor((j - 1) / this.NV)},${this.val((j - 1) % this.NV)}`;
      return `1b(${this.acc(a)},${b},${mv})`;
    }
    if (i < this.off2b) {
      const r = i - this.off2a;
      return `2a(${Math.floor(r / this.NV)},${this.val(r % this.NV)})`;
    }
    const r = i - this.off2b;
    const v = r % this.NV;
    const ab = Math.floor(r / this.NV);
    return `2b(${this.acc(Math.floor(ab / this.NB))},${ab % this.NB},${this.val(v)})`;
  }

  describe(act: PaxosAction): string {
    const NB = this.NB;
    const NV = this.NV;
    const p = Math.floor(act / 4);
    switch (act & 3) {
      case PHASE1A:
        return `Phase1a(${p})`;
      case PHASE1B:
        return `Phase1b(${this.acc(Math.floor(p / NB))}) on 1a(${p % NB})`;
      case PHASE2A: {
        const w = (p % (this.universe + 1)) - 1;
        let r = Math.floor(p / (this.universe + 1));
        const q = r % this.NQ;
        r = Math.floor(r / this.NQ);
        const members: string[] = [];
        for (let a = 0; a < this.NA; a++) if ((this.quorums[q] as number) & (1 << a)) members.push(this.acc(a));
        const why = w < 0 ? 'Q1bv = {}' : `m = ${this.msgName(w)}`;
        return `Phase2a(${Math.floor(r / NV)}, ${this.val(r % NV)}) with Q = {${members.join(',')}}, ${why}`;
      }
      default: {
        const v = p % NV;
        const r = Math.floor(p / NV);
        return `Phase2b(${this.acc(Math.floor(r / NB))}) on 2a(${r % NB},${this.val(v)})`;
      }
    }
  }

  show(s: PaxosState): string {
    const mb: number[] = [];
    const mvb: number[] = [];
    const mv: string[] = [];
    for (let a = 0; a < this.NA; a++) {
      mb.push(this.maxBal(s, a));
      mvb.push(this.maxVBal(s, a));
      const x = this.maxVal(s, a);
      mv.push(x === 0 ? 'None' : this.val(x - 1));
    }
    const msgs: string[] = [];
    for (let i = 0; i < this.universe; i++) if (this.hasMsg(s, i)) msgs.push(this.msgName(i));
    return `maxBal=<<${mb.join(',')}>> maxVBal=<<${mvb.join(',')}>> maxVal=<<${mv.join(',')}>> msgs={${msgs.join(', ')}}`;
  }
}
