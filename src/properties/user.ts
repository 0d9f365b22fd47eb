// Properties a user states about their own protocol: `always` (an invariant, checked after every
// step like the built-in ones) and `sometimes` (a state the checker must reach at least once, or
// report as never reached — Stateright's `sometimes`, a guard against vacuous checks).

import type { NodeId, NodeView, System } from '../kernel/types.js';
import type { World } from '../kernel/world.js';
import { viewOf } from './history.js';
import type { Property, StepFacts, Violation } from './property.js';

/** A world as a predicate sees it: the raw kernel world and every node's current view. */
export interface Snapshot {
  readonly system: System;
  readonly world: World;
  /** Agents and servers, in id order. */
  readonly nodes: readonly NodeId[];
  /** The view of `node`, or null while it is down. */
  view(node: NodeId): NodeView | null;
  /** Every decide output so far per slot, from every node that is up. */
  decided(slot: number): readonly string[];
}

export function snapshot(system: System, world: World): Snapshot {
  const nodes = [...system.agents.keys(), ...system.servers.map((_, i) => system.agents.length + i)];
  const view = (n: NodeId) => viewOf(system, world, n);
  return {
    system,
    world,
    nodes,
    view,
    decided: (slot) => nodes.flatMap((n) => {
      const v = view(n)?.decided?.[slot];
      return v === undefined ? [] : [v];
    }),
  };
}

/** True when it holds; a string says why it does not. */
export type Predicate = (s: Snapshot) => boolean | string;

export function always(name: string, holds: Predicate, description = `always: ${name}`): Property {
  return {
    name,
    description,
    check({ sys, next }: StepFacts): Violation | null {
      const r = holds(snapshot(sys, next));
      if (r === true) return null;
      return { property: name, message: typeof r === 'string' ? r : `${name} does not hold` };
    },
  };
}

/** A state to reach: never a violation; the checker counts the steps that reach it. */
export interface Reachability {
  readonly kind: 'sometimes';
  readonly name: string;
  readonly description: string;
  reached(s: Snapshot): boolean;
}

export function sometimes(name: string, reached: (s: Snapshot) => boolean, description = `sometimes: ${name}`): Reachability {
  return { kind: 'sometimes', name, description, reached };
}

/** What a protocol is checked against: safety properties and states it must reach. */
export type Check = Property | Reachability;

export const isReachability = (c: Check): c is Reachability => (c as Reachability).kind === 'sometimes';
