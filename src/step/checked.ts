import type { Event } from '../kernel/events.js';
import type { System } from '../kernel/types.js';
import type { Effects, World } from '../kernel/world.js';
import { initWorld, step } from '../kernel/world.js';
import type { History, Violation } from '../properties/index.js';
import { checkStep, emptyHistory, observe } from '../properties/index.js';

/** A world together with the history the properties need: the state a strategy explores. */
export interface Checked {
  readonly world: World;
  readonly hist: History;
}

export interface Advance {
  readonly state: Checked;
  readonly fx: Effects;
  readonly violation: Violation | null;
}

const emptyWorldForInit = (sys: System): World => ({
  agents: sys.agents.map(() => ({ up: true, state: null, durable: {}, incarnation: 0 })),
  servers: [],
  net: [],
  timers: [],
  writes: [],
  partition: null,
  pending: [],
  nextSeq: 1,
  used: { crashes: 0, drops: 0, dups: 0, partitions: 0, downs: 0, storage: 0 },
});

export function start(sys: System): { state: Checked; fx: readonly Effects[]; violation: Violation | null } {
  const { world, fx } = initWorld(sys);
  let hist = emptyHistory;
  let prev = emptyWorldForInit(sys);
  for (const f of fx) {
    const before = hist;
    hist = observe(sys, hist, world, f);
    const violation = checkStep({ sys, prev, next: world, before, after: hist, fx: f });
    if (violation) return { state: { world, hist }, fx, violation };
    prev = world;
  }
  return { state: { world, hist }, fx, violation: null };
}

/** One step: apply the event, fold it into the history, check every property. */
export function advance(sys: System, c: Checked, e: Event): Advance {
  const { world, fx } = step(sys, c.world, e);
  const hist = observe(sys, c.hist, world, fx);
  const violation = checkStep({ sys, prev: c.world, next: world, before: c.hist, after: hist, fx });
  return { state: { world, hist }, fx, violation };
}
