// The one summary shape every engine reports (simulation, walks, fast-check, bfs/dfs, split
// searches). Its fields are the JSON contract of `simulate --json` and `explore --json`
// (DESIGN §5): each engine's summary is this head plus what only that engine knows, and one
// formatter (src/report/summary-text.ts) prints them all.

import { targetName } from '../protocols/index.js';
import type { FailureSink } from './counterexample.js';
import type { StopFlag } from './drive.js';

/** Why an incomplete search without a violation ended. */
export type StopReason = 'memory' | 'time' | 'states' | 'depth';

export interface SummaryViolation {
  readonly property: string;
  readonly message: string;
  readonly slot: number | null;
  /** The failure file `paxcheck replay` takes, when one was written. */
  readonly file: string | null;
  /** Steps into the run (walks, simulation) or length of the counterexample (searches). */
  readonly depth: number;
  /** Which run of a run set failed (run-based strategies only). */
  readonly run?: number;
}

/** What was checked, how, and how much ran. */
export interface Summary<S extends string = string, V extends SummaryViolation = SummaryViolation> {
  readonly protocol: string;
  readonly service: string | null;
  readonly mutant: string | null;
  readonly strategy: S;
  readonly seed: number;
  readonly runs: number;
  readonly events: number;
  readonly violations: number;
  readonly firstViolation: V | null;
  readonly wallMs: number;
  readonly eventsPerSec: number;
  /** Stopped by Ctrl-C (or SIGTERM): the counts are those of the work finished before the stop. */
  readonly interrupted: boolean;
}

/** The head plus what a state-space search counts. */
export interface SearchSummary<S extends string = string, V extends SummaryViolation = SummaryViolation> extends Summary<S, V> {
  readonly distinctStates: number;
  readonly generated: number;
  readonly depth: number;
  readonly complete: boolean;
  readonly statesPerSec: number;
  /** Why an incomplete search without a violation ended (null: complete, violated or interrupted). */
  readonly stopReason?: StopReason | null;
  /** States found but never expanded when the search ended. */
  readonly queued?: number;
  /** spec-paxos only: Ballot = 0..maxBallot. */
  readonly maxBallot?: number;
}

/** "static/cas mutant=no-adopt", "spec-paxos MaxBallot=2": the target as every line names it. */
export function summaryLabel(s: Pick<SearchSummary, 'protocol' | 'service' | 'mutant' | 'maxBallot'>): string {
  if (s.protocol === 'spec-paxos' && s.maxBallot !== undefined) return `spec-paxos MaxBallot=${s.maxBallot}`;
  return `${targetName(s)}${s.mutant ? ` mutant=${s.mutant}` : ''}`;
}

/** Events (or states) per second over a wall time, as the summaries round it. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? Math.round((count * 1000) / ms) : count;
}

/** The options every engine shares: what to check, where a counterexample goes, when to stop. */
export interface EngineOptions {
  readonly protocol: string;
  readonly service?: string;
  readonly mutant?: string;
  /** Where a counterexample is stored (e.g. artifacts' failureSink(dir)); none: not stored. */
  readonly record?: FailureSink;
  /** Read between steps or runs (Ctrl-C, a budget): once up, the engine ends with a partial summary. */
  readonly stop?: StopFlag;
}
