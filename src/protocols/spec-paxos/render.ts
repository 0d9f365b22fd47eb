// Spec states and actions as TLC prints them (a1, v1, 1b(a1,0,-1,None), ...), for traces.

import type { PaxosAction, PaxosEncoding, PaxosState } from './encoding.js';
import { PHASE1A, PHASE1B, PHASE2A } from './encoding.js';

function acc(a: number): string {
  return `a${a + 1}`;
}

function val(v0: number): string {
  return `v${v0 + 1}`;
}

function msgName(e: PaxosEncoding, i: number): string {
  if (i < e.off1b) return `1a(${i})`;
  if (i < e.off2a) {
    const r = i - e.off1b;
    const j = r % e.K;
    const ab = Math.floor(r / e.K);
    const a = Math.floor(ab / e.NB);
    const b = ab % e.NB;
    const mv = j === 0 ? '-1,None' : `${Math.floor((j - 1) / e.NV)},${val((j - 1) % e.NV)}`;
    return `1b(${acc(a)},${b},${mv})`;
  }
  if (i < e.off2b) {
    const r = i - e.off2a;
    return `2a(${Math.floor(r / e.NV)},${val(r % e.NV)})`;
  }
  const r = i - e.off2b;
  const v = r % e.NV;
  const ab = Math.floor(r / e.NV);
  return `2b(${acc(Math.floor(ab / e.NB))},${ab % e.NB},${val(v)})`;
}

export function describeAction(e: PaxosEncoding, act: PaxosAction): string {
  const NB = e.NB;
  const NV = e.NV;
  const p = Math.floor(act / 4);
  switch (act & 3) {
    case PHASE1A:
      return `Phase1a(${p})`;
    case PHASE1B:
      return `Phase1b(${acc(Math.floor(p / NB))}) on 1a(${p % NB})`;
    case PHASE2A: {
      const w = (p % (e.universe + 1)) - 1;
      let r = Math.floor(p / (e.universe + 1));
      const q = r % e.NQ;
      r = Math.floor(r / e.NQ);
      const members: string[] = [];
      for (let a = 0; a < e.NA; a++) if ((e.quorums[q] as number) & (1 << a)) members.push(acc(a));
      const why = w < 0 ? 'Q1bv = {}' : `m = ${msgName(e, w)}`;
      return `Phase2a(${Math.floor(r / NV)}, ${val(r % NV)}) with Q = {${members.join(',')}}, ${why}`;
    }
    default: {
      const v = p % NV;
      const r = Math.floor(p / NV);
      return `Phase2b(${acc(Math.floor(r / NB))}) on 2a(${r % NB},${val(v)})`;
    }
  }
}

export function showState(e: PaxosEncoding, s: PaxosState): string {
  const mb: number[] = [];
  const mvb: number[] = [];
  const mv: string[] = [];
  for (let a = 0; a < e.NA; a++) {
    mb.push(e.maxBal(s, a));
    mvb.push(e.maxVBal(s, a));
    const x = e.maxVal(s, a);
    mv.push(x === 0 ? 'None' : val(x - 1));
  }
  const msgs: string[] = [];
  for (let i = 0; i < e.universe; i++) if (e.hasMsg(s, i)) msgs.push(msgName(e, i));
  return `maxBal=<<${mb.join(',')}>> maxVBal=<<${mvb.join(',')}>> maxVal=<<${mv.join(',')}>> msgs={${msgs.join(', ')}}`;
}
