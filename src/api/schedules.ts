// `schedules(protocol, config)`: a fast-check Arbitrary of untimed schedules. fast-check draws
// an integer sequence, each integer picks one enabled event (faults within the budget); a
// failing schedule shrinks with the integers, and fast-check's seed and path replay it.

import fc from 'fast-check';
import type { FaultBudget } from '../kernel/events.js';
import type { Protocol } from '../protocols/define.js';
import type { Topology } from '../protocols/family.js';
import { buildSystem } from '../protocols/index.js';
import { exploreTopology } from '../search/systematic.js';
import { compactSteps } from '../step/compact.js';
import { replayChoices } from '../step/replay.js';
import type { Violation } from '../properties/index.js';
import type { ChoiceRun } from '../walks/fastcheck.js';
import { runChoiceSequence } from '../walks/fastcheck.js';
import { use } from './check.js';

export interface ScheduleConfig {
  readonly topology?: Partial<Topology>;
  readonly service?: string;
  readonly mutant?: string;
  readonly budget?: FaultBudget;
  /** Longest schedule drawn (events). */
  readonly maxLength?: number;
}

/** One drawn schedule, already run: its violation (or null) and its steps as `replay` prints them. */
export interface Schedule {
  readonly violation: Violation | null;
  readonly choices: ChoiceRun['choices'];
  readonly steps: readonly string[];
  toString(): string;
}

export function schedules(protocol: Protocol | string, config: ScheduleConfig = {}): fc.Arbitrary<Schedule> {
  const name = use(protocol);
  const defaults = typeof protocol === 'string' ? {} : protocol.topology;
  const topology: Topology = { ...exploreTopology, ...defaults, ...config.topology };
  const sys = buildSystem({ protocol: name, service: config.service, mutant: config.mutant, topology });
  const budget = config.budget ?? { crashes: 1, drops: 1 };
  return fc.array(fc.nat({ max: 0xffff }), { maxLength: config.maxLength ?? 200, size: 'max' }).map((ints): Schedule => {
    const r = runChoiceSequence(sys, ints, budget);
    let steps: string[] | null = null;
    const lines = (): string[] => (steps ??= compactSteps(replayChoices(sys, r.choices, null, ''), true));
    return {
      violation: r.violation,
      choices: r.choices,
      get steps() {
        return lines();
      },
      toString: () => [`schedule of ${r.choices.length} steps${r.violation ? `, violating ${r.violation.property}: ${r.violation.message}` : ''}`, ...lines()].join('\n'),
    };
  });
}
