// The compact form of a kernel world state: the ids of its parts (agent and server slots,
// packets, timers, pending writes, the property history, …) in one interner. A frontier state
// costs a few dozen bytes instead of its object graph, and decodes to shared representatives.
//
// What a watch keeps per state (the path facts of graph coverage) is not part of the state, but
// must survive the trip through the frontier: the codec carries it as one more part.

import type { StateCodec } from '../../kernel/model.js';
import type { World } from '../../kernel/world.js';
import type { Carried, WorldState } from '../world-state.js';
import { Interner } from './intern.js';

export function worldCodec(carried?: Carried): StateCodec<WorldState> {
  const parts = new Interner();
  const list = (xs: readonly unknown[], out: number[], at: number): number => {
    out[at++] = xs.length;
    for (let i = 0; i < xs.length; i++) out[at++] = parts.id(xs[i]);
    return at;
  };
  const idsAt = (words: readonly number[], from: number, f: (at: number) => void): number => {
    let at = from;
    for (let l = 0; l < 5; l++) {
      const n = words[at++] as number;
      for (let i = 0; i < n; i++) f(at++);
    }
    f(at++); // partition
    f(at++); // pending
    at++; // nextSeq: a number, not a part
    for (let i = 0; i < (carried ? 6 : 5); i++) f(at++);
    return at;
  };
  return {
    parts: { idsAt, part: (id) => parts.part(id), id: (v) => parts.id(v) },
    encode(s, out, from) {
      const w = s.c.world;
      let at = list(w.agents, out, from);
      at = list(w.servers, out, at);
      at = list(w.net, out, at);
      at = list(w.timers, out, at);
      at = list(w.writes, out, at);
      out[at++] = parts.id(w.partition);
      out[at++] = parts.id(w.pending);
      out[at++] = w.nextSeq;
      out[at++] = parts.id(w.used);
      out[at++] = parts.id(s.c.hist);
      out[at++] = parts.id(s.violation);
      out[at++] = parts.id(s.fires);
      out[at++] = parts.id(s.settled);
      if (carried) out[at++] = parts.id(carried.get(s));
      return at;
    },
    decode(words, from) {
      let at = from;
      const next = (): number => words[at++] as number;
      const part = <T>(): T => parts.part(next()) as T;
      const list = <T>(): T[] => {
        const n = next();
        const xs = new Array<T>(n);
        for (let i = 0; i < n; i++) xs[i] = part<T>();
        return xs;
      };
      const world: World = {
        agents: list(),
        servers: list(),
        net: list(),
        timers: list(),
        writes: list(),
        partition: part(),
        pending: part(),
        nextSeq: next(),
        used: part(),
      };
      const hist = part<WorldState['c']['hist']>();
      const violation = part<WorldState['violation']>();
      const fires = part<WorldState['fires']>();
      const settled = part<WorldState['settled']>();
      const s: WorldState = settled === undefined ? { c: { world, hist }, violation, fires } : { c: { world, hist }, violation, fires, settled };
      if (carried) carried.set(s, part());
      return s;
    },
  };
}
