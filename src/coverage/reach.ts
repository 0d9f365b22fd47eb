// Counts, for each `sometimes` of a system, the steps whose world satisfies it, from whichever
// strategy runs: a StepObserver for runs and walks, a WorldWatch for bfs/dfs.

import type { System } from '../kernel/types.js';
import type { World } from '../kernel/world.js';
import type { Reachability } from '../properties/index.js';
import { reachabilityOf, snapshot } from '../properties/index.js';
import type { WorldWatch } from '../search/world-model.js';
import type { StepObserver } from '../sim/timed.js';

export interface Reached {
  readonly name: string;
  readonly reached: number;
}

export class ReachCounter {
  readonly counts = new Map<string, number>();
  private checks: readonly Reachability[] = [];

  /** Builds the watchers for `sys` (called by the strategy once it has built its system). */
  step = (sys: System): StepObserver => {
    this.bind(sys);
    return { onStart: (w) => this.see(sys, w), onStep: (_e, _fx, _prev, next) => this.see(sys, next) };
  };

  graph = (sys: System): WorldWatch => {
    this.bind(sys);
    return { onInitial: (s) => this.see(sys, s.c.world), onTransition: (_f, _e, _fx, to) => this.see(sys, to.c.world) };
  };

  private bind(sys: System): void {
    this.checks = reachabilityOf(sys);
    for (const c of this.checks) if (!this.counts.has(c.name)) this.counts.set(c.name, 0);
  }

  private see(sys: System, w: World): void {
    if (this.checks.length === 0) return;
    const s = snapshot(sys, w);
    for (const c of this.checks) if (c.reached(s)) this.bump(c.name, 1);
  }

  /** Counts taken elsewhere (a worker thread's attempt), added to these. */
  add(counts: readonly Reached[]): void {
    for (const c of counts) this.bump(c.name, c.reached);
  }

  private bump(name: string, n: number): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }

  report(): Reached[] {
    return [...this.counts].map(([name, reached]) => ({ name, reached })).sort((a, b) => a.name.localeCompare(b.name));
  }
}
