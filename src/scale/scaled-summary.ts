// The summary of a bfs run on worker threads or merged from shards: the fields of the explore
// JSON contract (DESIGN §5), and the counterexample turned into what `replay` needs.

import type { FailureSink } from '../step/counterexample.js';
import { replayChoices } from '../step/replay.js';
import type { ShardViolation } from './shard.js';
import type { Target } from '../search/target.js';
import { buildKernelSystem, buildTarget, resolvePath, targetLabel } from '../search/target.js';
import { worldModel } from '../search/world-model.js';

export interface ScaledViolation {
  readonly property: string;
  readonly message: string;
  readonly slot: number | null;
  /** The failure file `paxcheck replay` takes (kernel protocols, when an output folder is given). */
  readonly file: string | null;
  readonly depth: number;
}

export interface ScaledCounts {
  readonly distinctStates: number;
  readonly generated: number;
  readonly depth: number;
  readonly complete: boolean;
}

export interface ScaledSummary extends ScaledCounts {
  readonly protocol: string;
  readonly service: string | null;
  readonly mutant: string | null;
  readonly strategy: 'bfs';
  readonly seed: 0;
  readonly runs: 1;
  readonly events: number;
  readonly violations: number;
  readonly firstViolation: ScaledViolation | null;
  readonly wallMs: number;
  readonly eventsPerSec: number;
  readonly statesPerSec: number;
  readonly maxBallot?: number;
  /** Kernel protocols: whether states were identified up to symmetry (partial-order reduction is never used here). */
  readonly symmetry?: boolean;
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
    eventsPerSec: ms > 0 ? Math.round((r.generated * 1000) / ms) : r.generated,
    distinctStates: r.distinctStates,
    statesPerSec: ms > 0 ? Math.round((r.distinctStates * 1000) / ms) : r.distinctStates,
    generated: r.generated,
    depth: r.depth,
    complete: r.complete,
    ...(target.kind === 'spec-paxos' ? { maxBallot: target.maxBallot } : { symmetry: target.symmetry }),
  };
}

/** The text lines `explore` and `report` print for such a summary. */
export function summaryLines(target: Target, s: ScaledSummary, how: string, replayCommand: (file: string) => string = (f) => `paxcheck replay ${f}`): string[] {
  const end = s.complete ? 'complete' : s.violations > 0 ? 'stopped at the first violation' : 'incomplete';
  const lines = [`${targetLabel(target)} bfs (${how}): ${s.distinctStates} distinct states, ${s.generated} generated, depth ${s.depth}, ${end}; ${s.statesPerSec} states/s`];
  const v = s.firstViolation;
  if (v) {
    lines.push(`VIOLATION ${v.property}: ${v.message} (${v.depth} steps)`);
    if (v.file) lines.push(`replay: ${replayCommand(v.file)}`);
  } else lines.push('no violation');
  return lines;
}
