// Lamport's Paxos consensus spec (tlaplus/Examples, specifications/PaxosHowToWinATuringAward/
// Paxos.tla) as a packed transition system for the explorer: Init, Next and the invariants TLC
// checks, over the state layout of encoding.ts.
//
//   Next == \/ \E b \in Ballot : Phase1a(b) \/ \E v \in Value : Phase2a(b, v)
//           \/ \E a \in Acceptor : Phase1b(a) \/ Phase2b(a)
//
// Actions are integers (kind in the low 2 bits). `actions` lists one entry per successor TLC
// computes: every ballot for Phase1a (re-sending an existing 1a is a stuttering step TLC still
// generates), every witness message m of Phase1b / Phase2b's `\E m \in msgs`, and for Phase2a
// every quorum Q of `\E Q \in Quorum` and, inside it, every witness of the disjunct
// `\E m \in Q1bv : ...` (or one entry for the disjunct `Q1bv = {}`).

import type { Hash64 } from '../../kernel/hash.js';
import { Hasher } from '../../kernel/hash.js';
import type { Invariant, PackedTransitionSystem } from '../../kernel/model.js';
import type { PaxosAction, PaxosState } from './encoding.js';
import { PaxosEncoding, PHASE1A, PHASE1B, PHASE2A, PHASE2B } from './encoding.js';
import * as invariants from './invariants.js';
import { describeAction, showState } from './render.js';

export type { PaxosAction, PaxosState, SpecPaxosOptions } from './encoding.js';

export class SpecPaxos extends PaxosEncoding implements PackedTransitionSystem<PaxosAction> {
  readonly invariants: readonly Invariant<PaxosState>[] = [
    { name: 'TypeOK', holds: (s) => this.typeOK(s) },
    { name: 'Inv', holds: (s) => this.inv(s) },
    { name: 'Consistency', holds: (s) => this.consistency(s) },
  ];

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

  typeOK(s: PaxosState): boolean {
    return invariants.typeOK(this, s);
  }

  inv(s: PaxosState): boolean {
    return invariants.inv(this, s);
  }

  invReference(s: PaxosState): boolean {
    return invariants.invReference(this, s);
  }

  showsSafeAt(s: PaxosState, q: number, b: number, v: number): boolean {
    return invariants.showsSafeAt(this, s, q, b, v);
  }

  chosen(s: PaxosState): number {
    return invariants.chosen(this, s);
  }

  chosenReference(s: PaxosState): number {
    return invariants.chosenReference(this, s);
  }

  consistency(s: PaxosState): boolean {
    return invariants.consistency(this, s);
  }

  describe(act: PaxosAction): string {
    return describeAction(this, act);
  }

  show(s: PaxosState): string {
    return showState(this, s);
  }
}
