// The default bound ladder: what `explore --strategy bfs|dfs` (and `check` from the API) search
// when the user gives no bounds. A user whose bug is not in any catalogue has no hand-cut bounds,
// so the ladder tries small worlds first and grows them: one fault kind at a time, servers or
// acceptors 1 → 3, then a timer firing, each first under the bug-hunting restrictions (writes
// complete at once, a storage op and its reply one step: both only remove interleavings, so a
// violation found under them is real) and then without. Each attempt caps the rung's states; a
// rung that hits its cap is tried again later under a larger one (ladderSchedule), and the last
// attempts have no cap but the memory and time budgets. The ladder stops at the first
// violation, when every rung is complete, or when a budget is spent.

import type { FaultBudget } from '../kernel/events.js';
import type { Steps } from '../step/drive.js';
import type { StopFlag } from '../step/drive.js';
import type { Bounds } from './bounds.js';
import type { SystematicSummary } from './systematic.js';
import type { ContentionReach } from './contention.js';

/** The fault kinds a rung may spend one of, cheapest first. */
const FAULTS: readonly FaultBudget[] = [{}, { dups: 1 }, { crashes: 1 }, { storage: 1 }, { drops: 1 }];

/**
 * The state caps a rung is tried under, smallest first; after the last, a rung runs uncapped.
 * A capped attempt is run again from the start under the next cap, so the growth factor is the
 * ladder's overhead: ×10 repeats about 11% of the work, ×√10 (the first ladder) 46%. Measured
 * on the whole mutant catalogue (docs/benchmarks.md), ×10 found the slowest mutants in half the
 * time and none later than 60 s.
 */
export const LADDER_CAPS: readonly number[] = [1_000, 10_000, 100_000, 1_000_000];

/** Two proposers racing with a command each, over `nodes` acceptors or servers. */
const race = (nodes: number): Bounds['topology'] => ({ proposers: 2, acceptors: nodes, servers: nodes, learners: 1, commands: 2 });

function rungsOf(): Bounds[] {
  const rungs: Bounds[] = [];
  for (const timers of [0, 1])
    for (const nodes of [1, 2, 3])
      for (const budget of FAULTS)
        for (const restricted of [true, false])
          rungs.push({
            topology: race(nodes),
            budget,
            // A timer firing starts a further ballot: one more distinct ballot to allow.
            ballots: 3 + timers,
            timers,
            ...(restricted ? { eagerWrites: true, atomicOps: true, quietTimers: timers > 0 } : {}),
          });
  return rungs;
}

/** The rungs, in the order they are tried. */
export const ladderRungs: readonly Bounds[] = rungsOf();

export type RungVerdict = 'violation' | 'complete' | 'capped' | 'stopped' | 'skipped';

/** One attempt at a rung, as printed and as reported in the summary's `ladder.rungs`. */
export interface RungReport {
  /** 1-based, in `ladderRungs` order. */
  readonly rung: number;
  /** 1-based position in `ladderSchedule()`. */
  readonly attempt: number;
  readonly bounds: Bounds;
  readonly maxStates: number | null;
  readonly distinctStates: number;
  readonly wallMs: number;
  readonly verdict: RungVerdict;
  /** Which contention checks (search/contention.ts) the attempt reached; a complete rung that missed one proved little about agreement. */
  readonly contention?: ContentionReach;
}

export interface LadderReport {
  readonly rungs: readonly RungReport[];
  /** Every rung closed: the whole ladder was searched. */
  readonly complete: boolean;
}

export interface LadderOptions {
  /**
   * The budgets and Ctrl-C. The rung searches read it (the caller passes it on): a search started
   * after it came up ends at once as `stopped`, with the flag's reason, and the ladder with it.
   */
  readonly stop?: StopFlag;
  readonly onRung?: (r: RungReport) => void;
  /** Rungs the target cannot tell from a smaller one (a fault it cannot suffer): never run. */
  readonly skip?: (bounds: Bounds) => boolean;
}

/** A bounded search's summary, with what it reached of contention when the caller watched for it. */
export type RungSummary = SystematicSummary & { readonly contention?: ContentionReach };

/** One bounded search, as the caller runs it (with its coverage, reachability, failure files). */
export type RungSearch<S extends RungSummary> = (bounds: Bounds, maxStates: number | undefined) => Steps<S>;

function verdictOf(s: SystematicSummary): RungVerdict {
  if (s.violations > 0) return 'violation';
  if (s.complete) return 'complete';
  return s.stopReason === 'states' ? 'capped' : 'stopped';
}

/**
 * The order of (rung, cap) attempts: by cap × rung position, so that a small world gets a large
 * cap before a large world gets a small one (a diagonal over rungs and caps, as iterative
 * deepening over two dimensions); the uncapped attempts come last, in rung order.
 */
export function ladderSchedule(rungs = ladderRungs.length): readonly { readonly rung: number; readonly cap: number | null }[] {
  const capped = LADDER_CAPS.flatMap((cap) => Array.from({ length: rungs }, (_, rung) => ({ rung, cap })));
  capped.sort((a, b) => a.cap * (a.rung + 1) - b.cap * (b.rung + 1) || a.rung - b.rung || a.cap - b.cap);
  return [...capped, ...Array.from({ length: rungs }, (_, rung) => ({ rung, cap: null }))];
}

/** What one position of the schedule asks for, given the attempts taken before it. */
export type LadderNeed =
  | { readonly k: 'closed' }
  | { readonly k: 'skip'; readonly rung: number; readonly bounds: Bounds; readonly cap: number | null }
  | { readonly k: 'search'; readonly rung: number; readonly bounds: Bounds; readonly cap: number | null };

/**
 * The ladder's bookkeeping, apart from how its searches run (one after another here, on worker
 * threads in artifacts/ladder-threads.ts): attempts are taken in schedule order, so the report,
 * the rung lines and where the ladder ends are the same however the searches were run.
 */
export class LadderBook<S extends RungSummary> {
  readonly schedule = ladderSchedule();
  private readonly rungs: RungReport[] = [];
  private readonly closed = new Set<number>();
  last: S | null = null;

  constructor(private readonly o: LadderOptions) {}

  need(p: number): LadderNeed {
    const at = this.schedule[p];
    const bounds = at === undefined ? undefined : ladderRungs[at.rung];
    if (at === undefined || bounds === undefined || this.closed.has(at.rung)) return { k: 'closed' };
    return { k: this.o.skip?.(bounds) === true ? 'skip' : 'search', rung: at.rung, bounds, cap: at.cap };
  }

  /** Takes position p's outcome (its summary, or null for a skip); true when the ladder ends there. */
  take(p: number, s: S | null): boolean {
    const n = this.need(p);
    if (n.k === 'closed') return false;
    const base = { rung: n.rung + 1, attempt: p + 1, bounds: n.bounds, maxStates: n.cap };
    if (s === null) {
      this.closed.add(n.rung);
      this.note({ ...base, distinctStates: 0, wallMs: 0, verdict: 'skipped' });
      return false;
    }
    this.last = s;
    const r: RungReport = { ...base, distinctStates: s.distinctStates, wallMs: s.wallMs, verdict: verdictOf(s), ...(s.contention ? { contention: s.contention } : {}) };
    this.note(r);
    if (r.verdict === 'complete') this.closed.add(n.rung);
    return r.verdict === 'violation' || r.verdict === 'stopped';
  }

  report(ended: boolean): LadderReport {
    return { rungs: this.rungs, complete: !ended && this.closed.size === ladderRungs.length };
  }

  private note(r: RungReport): void {
    this.rungs.push(r);
    this.o.onRung?.(r);
  }
}

/** Runs the ladder; yields the last rung's summary (the violating one, if any) and the report. */
export function* ladderSteps<S extends RungSummary>(search: RungSearch<S>, o: LadderOptions = {}): Steps<{ readonly last: S | null; readonly ladder: LadderReport }> {
  const book = new LadderBook<S>(o);
  for (let p = 0; p < book.schedule.length; p++) {
    const n = book.need(p);
    if (n.k === 'closed') continue;
    const s = n.k === 'skip' ? null : yield* search(n.bounds, n.cap ?? undefined);
    if (book.take(p, s)) return { last: book.last, ladder: book.report(true) };
  }
  return { last: book.last, ladder: book.report(false) };
}
