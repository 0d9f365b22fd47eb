import type { System } from '../kernel/types.js';
import type { Effects, World } from '../kernel/world.js';
import type { History } from './history.js';

export interface Violation {
  readonly property: string;
  readonly message: string;
  readonly slot?: number;
  readonly node?: number;
}

/** One step as the properties see it: the worlds and histories on both sides and its effects. */
export interface StepFacts {
  readonly sys: System;
  readonly prev: World;
  readonly next: World;
  readonly before: History;
  readonly after: History;
  readonly fx: Effects;
}

/** A safety property: a pure function of one step; null when it holds. */
export interface Property {
  readonly name: string;
  readonly description: string;
  check(step: StepFacts): Violation | null;
}
