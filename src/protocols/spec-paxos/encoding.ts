// The packed state of Lamport's Paxos consensus spec (tlaplus/Examples, specifications/PaxosHowToWinATuringAward/
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

export const PHASE1A = 0;
export const PHASE1B = 1;
export const PHASE2A = 2;
export const PHASE2B = 3;

function bitsFor(n: number): number {
  let b = 1;
  while (1 << b < n) b++;
  return b;
}

export function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** The layout of a packed spec state: constants, quorums, and accessors for every variable. */
export class PaxosEncoding {
  readonly name: string;
  /** Acceptors, values, ballots, quorums. */
  readonly NA: number;
  readonly NV: number;
  readonly NB: number;
  readonly NQ: number;
  /** Quorums as acceptor bit masks, in the order {a1,a2}, {a1,a3}, {a2,a3}. */
  readonly quorums: readonly number[];
  /** Quorum members, flattened: quorum q's members are qMembers[q·qSize .. (q+1)·qSize). */
  readonly qMembers: Int32Array;
  readonly qSize: number;
  /** Int32 words per state. */
  readonly width: number;
  /** First word of the message bitset. */
  readonly base: number;
  /** Size of the message universe. */
  readonly universe: number;
  readonly K: number;
  readonly off1b: number;
  readonly off2a: number;
  readonly off2b: number;
  readonly fb: number;
  readonly maskB: number;
  readonly maskV: number;
  readonly maskA: number;
  readonly accWord: Int32Array;
  readonly accShift: Int32Array;
  /** Per-acceptor work arrays for the invariant (one search is single-threaded). */
  readonly scratchVotes: Int32Array;
  readonly scratchMaxBal: Int32Array;

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

  }

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

  setAcceptor(t: PaxosState, a: number, maxBal: number, maxVBal: number, maxVal: number): void {
    const w = this.accWord[a] as number;
    const sh = this.accShift[a] as number;
    const f = (maxBal + 1) | ((maxVBal + 1) << this.fb) | (maxVal << (2 * this.fb));
    t[w] = ((t[w] as number) & ~(this.maskA << sh)) | (f << sh);
  }

  hasMsg(s: PaxosState, i: number): boolean {
    return (((s[this.base + (i >>> 5)] as number) >>> (i & 31)) & 1) === 1;
  }

  addMsg(t: PaxosState, i: number): void {
    const w = this.base + (i >>> 5);
    t[w] = (t[w] as number) | (1 << (i & 31));
  }

  /** `len` (≤ 30) message bits starting at universe index `start`, as an integer. */
  field(s: PaxosState, start: number, len: number): number {
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
  group1b(s: PaxosState, a: number, b: number): number {
    return this.field(s, this.off1b + (a * this.NB + b) * this.K, this.K);
  }

  /** votes[a] as a mask: bit b·NV + v for each 2b(a, b, v) in msgs. */
  votes(s: PaxosState, a: number): number {
    return this.field(s, this.off2b + a * this.NB * this.NV, this.NB * this.NV);
  }

  votedFor(s: PaxosState, a: number, b: number, v: number): boolean {
    return ((this.votes(s, a) >>> (b * this.NV + v)) & 1) === 1;
  }

  didNotVoteAt(s: PaxosState, a: number, b: number): boolean {
    return ((this.votes(s, a) >>> (b * this.NV)) & ((1 << this.NV) - 1)) === 0;
  }
}
