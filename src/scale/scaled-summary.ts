// The summary of a bfs run on worker threads or merged from shards: the fields of the explore
// JSON contract (DESIGN §5), and the counterexample turned into what `replay` needs.

import type { FailureSink } from '../step/counterexample.js';
import type { SearchSummary, SummaryViolation } from '../step/summary.js';
import { perSecond } from '../step/summary.js';
import { replayChoices } from '../step/replay.js';
import type { ShardViolation } from './shard.js';
import type { Target } from '../search/target.js';
import { buildKernelSystem, buildTarget, resolvePath } from '../search/target.js';
import { worldModel } from '../search/world-model.js';

export type ScaledViolation = SummaryViolation;

export interface ScaledCounts {
  readonly distinctStates: number;
  readonly generated: number;
  readonly depth: number;
  readonly complete: boolean;
}

export interface ScaledSummary extends SearchSummary<'bfs', ScaledViolation> {
  readonly seed: 0;
  readonly runs: 1;
  /** Kernel protocols: whether states were identified up to symmetry. */
  readonly symmetry?: boolean;
  /** Kernel protocols on worker threads: whether the search used sleep sets (partial-order reduction). */
  readonly por?: boolean;
}

/** Replays a counterexample found as action indices; for kernel protocols writes its failure file. */
export function describeViolation(target: Target, v: ShardViolation, record: FailureSink | null): ScaledViolation {
  const depth = v.choices.length;
  if (target.kind === 'spec-paxos') {
    const { steps } = resolvePath(buildTarget(target), v);
    return { property: v.name, message: steps.join('; ') || 'an initial state', slot: null, file: null, depth };
  }
  const sys = buildKernelSystem(target);
  const model = worldModel(sys, { budget: target.budget, maxBallots: target.maxBallots, maxTimerFires: target.maxTimerFires ?? undefined });
  const { path } = resolvePath(model, v);
  const rep = replayChoices(sys, path, null, '');
  const found = rep.violation;
  if (!found) throw new Error('explore: the counterexample did not reproduce on replay');
  const file = record
    ? record({
        protocol: target.protocol,
        service: target.service,
        mutant: target.mutant,
        strategy: 'bfs',
        scenario: null,
        topology: target.topology,
        seed: 0,
        run: 0,
        choices: [...path],
        violation: { ...found, step: rep.violationStep ?? path.length },
        trace: rep.trace,
      })
    : null;
  return { property: found.property, message: found.message, slot: found.slot ?? null, file, depth };
}

export function scaledSummary(target: Target, r: ScaledCounts, first: ScaledViolation | null, wallMs: number): ScaledSummary {
  const ms = Math.round(wallMs);
  return {
    protocol: target.kind === 'spec-paxos' ? 'spec-paxos' : target.protocol,
    service: target.kind === 'spec-paxos' ? null : target.service,
    mutant: target.kind === 'spec-paxos' ? null : target.mutant,
    strategy: 'bfs',
    seed: 0,
    runs: 1,
    events: r.generated,
    violations: first ? 1 : 0,
    firstViolation: first,
    wallMs: ms,
    eventsPerSec: perSecond(r.generated, ms),
    distinctStates: r.distinctStates,
    statesPerSec: perSecond(r.distinctStates, ms),
    generated: r.generated,
    depth: r.depth,
    complete: r.complete,
    interrupted: false,
    ...(target.kind === 'spec-paxos' ? { maxBallot: target.maxBallot } : { symmetry: target.symmetry }),
  };
}
