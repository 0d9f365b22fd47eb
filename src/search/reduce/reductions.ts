// Partial-order and symmetry reduction for the kernel world model (explore --strategy bfs|dfs).
//
// Symmetry replaces the fingerprint by the canonical one (src/search/reduce/symmetry.ts): fewer
// distinct states, one concrete representative expanded per orbit. Partial-order reduction runs
// the search with sleep sets (src/search/reduce/sleep.ts): the same distinct states, fewer generated.
// Neither changes a verdict: every orbit (symmetry) and every state (sleep sets) is still
// reached, and violations are properties of states, invariant under renaming.

import type { Event } from '../../kernel/events.js';
import type { Hash64 } from '../../kernel/hash.js';
import { Hasher } from '../../kernel/hash.js';
import type { NodeId, Packet, System } from '../../kernel/types.js';
import type { ExploreOptions, ExploreResult } from '../bfs.js';
import { exploreSteps } from '../bfs.js';
import type { Steps } from '../../step/drive.js';
import { runSync } from '../../step/drive.js';
import { footprint } from './independence.js';
import type { PartialOrder, TransitionSystem } from '../../kernel/model.js';
import { exploreWithSleepSetsSteps } from './sleep.js';
import type { Canonical } from './symmetry.js';
import { Canonicalizer, eventKey } from './symmetry.js';
import type { WorldState } from '../world-model.js';

export interface Reductions {
  readonly por: boolean;
  readonly symmetry: boolean;
}

/** What the JSON summary reports of the reductions. */
export interface ReductionReport {
  readonly por: {
    readonly enabled: boolean;
    /** Enabled transitions never executed. */
    readonly skipped: number;
    /** skipped / (skipped + executed transitions). */
    readonly ratio: number;
    /** Revisits that executed transitions a smaller sleep set woke. */
    readonly reexplored: number;
  };
  readonly symmetry: {
    readonly enabled: boolean;
    /** The interchangeable node ids; states are identified up to permutations of each group. */
    readonly groups: readonly (readonly NodeId[])[];
    readonly permutations: number;
  };
}

export interface ReducedModel {
  readonly ts: TransitionSystem<WorldState, Event>;
  readonly symmetry: Canonicalizer | null;
}

/**
 * The world model with the reductions asked for. `maxBallots` and `maxTimerFires` must be the
 * model's: a state past the ballot bound has no successors, which the sleep sets must know (see
 * sleep.ts), and an agent whose timer budget is spent has state no handler will read again.
 */
export function reduceWorldModel(
  sys: System,
  base: TransitionSystem<WorldState, Event>,
  o: Reductions & { readonly maxBallots?: number; readonly maxTimerFires?: number; readonly atomicOps?: boolean; readonly quietTimers?: boolean },
): ReducedModel {
  const canon = o.symmetry && sys.symmetry ? new Canonicalizer(sys, sys.symmetry, o.maxTimerFires) : null;
  const canonical = new WeakMap<WorldState, Canonical>();
  const canonOf = (s: WorldState, c: Canonicalizer): Canonical => {
    let x = canonical.get(s);
    if (x === undefined) {
      x = c.canon(s.c.world, s.c.hist, s.fires, s.violation?.property ?? null);
      canonical.set(s, x);
    }
    return x;
  };
  const plainPackets = new WeakMap<Packet, Hash64>();
  const packetHash = (p: Packet): Hash64 => {
    let h = plainPackets.get(p);
    if (h === undefined) {
      h = new Hasher().word(p.from).word(p.to).value(p.body).digest();
      plainPackets.set(p, h);
    }
    return h;
  };
  const feedPacket = (h: Hasher, p: Packet): void => void h.hash(packetHash(p));
  const max = o.maxBallots;
  const partialOrder: PartialOrder<WorldState, Event> = {
    footprint: (s, e) => footprint(sys, s.c.world, e, o),
    key(s, e) {
      if (canon === null) return eventKey(s.c.world, e, feedPacket);
      // Automorphisms of the state may map e to several events: name it by the least image.
      let best = Infinity;
      for (const p of canonOf(s, canon).perms) best = Math.min(best, canon.eventKey(s.c.world, s.fires, e, p));
      return best;
    },
    ...(max === undefined
      ? {}
      : {
          resets: (s: WorldState, t: WorldState) => t.c.hist.ballots.length !== s.c.hist.ballots.length,
          cut: (t: WorldState) => t.c.hist.ballots.length > max,
        }),
  };
  const ts: TransitionSystem<WorldState, Event> = {
    ...base,
    ...(canon === null ? {} : { fingerprint: (s: WorldState) => canonOf(s, canon).fp }),
    ...(o.por ? { partialOrder } : {}),
  };
  return { ts, symmetry: canon };
}

export type WorldExploreResult = ExploreResult<Event> & { readonly reductions: ReductionReport };

/**
 * Explores the world model with the reductions asked for. Partial-order reduction is left off
 * under a depth bound: reduced paths may be longer than the shortest ones, so a violation within
 * the bound could fall outside it.
 */
export function exploreWorld(sys: System, base: TransitionSystem<WorldState, Event>, o: WorldExploreOptions): WorldExploreResult {
  return runSync(exploreWorldSteps(sys, base, o));
}

export type WorldExploreOptions = ExploreOptions & Reductions & { readonly maxBallots?: number; readonly maxTimerFires?: number; readonly atomicOps?: boolean; readonly quietTimers?: boolean };

/** exploreWorld() as steps, for a driver that lets Ctrl-C in (step/drive.ts). */
export function* exploreWorldSteps(sys: System, base: TransitionSystem<WorldState, Event>, o: WorldExploreOptions): Steps<WorldExploreResult> {
  const por = o.por && o.maxDepth === undefined;
  const { ts, symmetry } = reduceWorldModel(sys, base, { por, symmetry: o.symmetry, maxBallots: o.maxBallots, maxTimerFires: o.maxTimerFires, atomicOps: o.atomicOps, quietTimers: o.quietTimers });
  const sym: ReductionReport['symmetry'] = {
    enabled: symmetry !== null,
    groups: symmetry?.symmetry.groups ?? [],
    permutations: symmetry?.perms.length ?? 1,
  };
  if (!por) {
    const r = yield* exploreSteps(ts, o);
    return { ...r, reductions: { por: { enabled: false, skipped: 0, ratio: 0, reexplored: 0 }, symmetry: sym } };
  }
  const r = yield* exploreWithSleepSetsSteps(ts, o);
  const { skipped, executed, reexplored } = r.sleep;
  const ratio = skipped + executed > 0 ? Math.round((skipped / (skipped + executed)) * 1e4) / 1e4 : 0;
  return { ...r, reductions: { por: { enabled: true, skipped, ratio, reexplored }, symmetry: sym } };
}
