// Coverage of a bfs/dfs exploration: the run collector in graph mode, fed through the world
// model's watch. Crash points and message orders depend on the path to a state, not on the
// state itself, so each explored state carries the facts of the path it was first reached by:
// every order and crash point counted was seen along a real path from the initial state.

import type { Event } from '../kernel/events.js';
import type { Effects } from '../kernel/world.js';
import type { CoverageData, PathFacts } from './coverage.js';
import { CoverageCollector } from './coverage.js';
import type { WorldState, WorldWatch } from '../search/world-model.js';

export class GraphCoverage implements WorldWatch {
  /** Keyed by state object: a state lives only while the explorer holds it (queue, stack). */
  private readonly facts = new WeakMap<WorldState, PathFacts>();
  private root: PathFacts | null = null;
  /**
   * The successor that violates a property is the last one the search computes; what follows is
   * the engine replaying the counterexample's path, which must not count twice.
   */
  private closed = false;

  constructor(readonly collector: CoverageCollector) {}

  readonly carried = {
    get: (s: WorldState): PathFacts | undefined => this.facts.get(s),
    set: (s: WorldState, f: unknown): void => {
      if (f !== undefined) this.facts.set(s, f as PathFacts);
    },
  };

  onInitial(s: WorldState, fx: readonly Effects[]): void {
    const f = this.collector.graphStart(s.c.world, fx);
    this.root ??= f;
    this.facts.set(s, f);
  }

  onTransition(from: WorldState, e: Event, fx: Effects, to: WorldState): void {
    if (this.closed) return;
    const f = this.facts.get(from) ?? this.root;
    if (f === null) return;
    this.facts.set(to, this.collector.graphStep(f, e, fx, from.c.world, to.c.world));
    if (to.violation !== null) this.closed = true;
  }

  data(): CoverageData {
    return this.collector.data();
  }
}
