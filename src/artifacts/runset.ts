// One JSON file per run set (a batch of runs of one protocol under one scenario, strategy and
// seed): what `paxcheck report` renders and merges. The schema is documented in README.md
// under "## Reports"; `format` changes whenever a field changes meaning.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { CoverageData, CoverageOptions } from '../coverage/coverage.js';
import { CoverageCollector, mergeCoverage } from '../coverage/coverage.js';
import type { LivenessSummary } from '../sim/liveness.js';
import { LivenessTally, quantiles } from '../sim/liveness.js';
import type { FirstViolation, Shard } from '../sim/simulate.js';
import type { RunResult, StepObserver } from '../sim/timed.js';
import type { Event } from '../kernel/events.js';
import type { System } from '../kernel/types.js';
import type { Effects, World } from '../kernel/world.js';
import type { Topology } from '../protocols/family.js';
import { InputError } from '../errors.js';
import { topologySchema } from '../scenario/schema.js';
import { VERSION } from '../version.js';
import { writeAtomic } from './atomic.js';

export const RUNSET_FORMAT = 'paxcheck-runset/1';

const count = z.number().int().nonnegative();
const pairs = z.array(z.tuple([z.number(), count]));
const counts = z.record(z.string(), count);
const quantilesSchema = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), max: z.number().nullable() });

const coverageSchema = z.object({
  runs: count,
  distinctStates: count,
  interleavingClasses: count,
  orderClasses: count.optional(),
  labels: z.record(z.string(), counts),
  messageKinds: z.record(z.string(), z.array(z.string())),
  messageOrders: z.array(z.object({ role: z.string(), first: z.string(), second: z.string(), runs: count })),
  crashPoints: counts,
  faults: counts,
  saturation: z.object({
    bucket: z.number().int().positive(),
    points: z.array(
      z.object({
        runs: count,
        states: count,
        classes: count,
        newStatesPer1000: z.number(),
        newClassesPer1000: z.number(),
        orderClasses: count.optional(),
        newOrderClassesPer1000: z.number().optional(),
      }),
    ),
  }),
});

const livenessSummarySchema = z.object({
  runs: count,
  decided: count,
  quorumUnavailable: count,
  commandLost: count.default(0),
  livelock: count,
  latency: quantilesSchema,
  ballotsPerRun: quantilesSchema,
  messagesPerDecision: z.number().nullable(),
  storageOpsPerDecision: z.number().nullable(),
});

const timelineSchema = z.object({
  run: count,
  /** Virtual time the run ended at. */
  end: z.number().nonnegative(),
  /** Per client command: [virtual time submitted, latency to its first decision, or null: never decided]. */
  commands: z.array(z.tuple([z.number().nonnegative(), z.number().nonnegative().nullable()])),
  /** Fault windows: a crash until its restart, a server down until up, a partition until healed (null: until the end). */
  windows: z.array(z.object({ k: z.enum(['crash', 'down', 'partition']), node: z.number().int().nullable(), from: z.number().nonnegative(), to: z.number().nonnegative().nullable() })),
});

export type Timeline = z.infer<typeof timelineSchema>;

/** Runs kept per run set for the latency-over-time plot. */
export const TIMELINES = 3;

/** The latency timeline of a timed run: its commands and its fault windows (null for untimed runs). */
export function timelineOf(r: RunResult): Timeline | null {
  if (!r.commands) return null;
  const open = new Map<string, { k: Timeline['windows'][number]['k']; node: number | null; from: number }>();
  const windows: Timeline['windows'][number][] = [];
  const close = (key: string, at: number): void => {
    const w = open.get(key);
    if (!w) return;
    windows.push({ ...w, to: at });
    open.delete(key);
  };
  for (const f of r.applied ?? []) {
    const node = f.node ?? null;
    if (f.k === 'crash' || f.k === 'down' || f.k === 'partition') {
      const key = `${f.k}:${node ?? ''}`;
      if (!open.has(key)) open.set(key, { k: f.k, node, from: f.at });
    } else close(`${f.k === 'restart' ? 'crash' : f.k === 'up' ? 'down' : 'partition'}:${f.k === 'heal' ? '' : (node ?? '')}`, f.at);
  }
  for (const w of open.values()) windows.push({ ...w, to: null });
  windows.sort((a, b) => a.from - b.from || (a.node ?? -1) - (b.node ?? -1));
  const commands = r.commands.map((c): [number, number | null] => [c.at, c.decidedAt === null ? null : c.decidedAt - c.at]);
  return { run: r.run, end: r.endTime, commands, windows };
}

/** Runs with faults first, then the most commands never decided, then the slowest, then by run. */
function timelineRank(a: Timeline, b: Timeline): number {
  const undecided = (t: Timeline): number => t.commands.filter((c) => c[1] === null).length;
  const slowest = (t: Timeline): number => Math.max(0, ...t.commands.map((c) => c[1] ?? 0));
  return Number(b.windows.length > 0) - Number(a.windows.length > 0) || undecided(b) - undecided(a) || slowest(b) - slowest(a) || a.run - b.run;
}

/** The timelines a run set keeps, from any number of candidates (shards merge by the same rule). */
export function pickTimelines(ts: readonly Timeline[]): Timeline[] {
  return [...ts].sort(timelineRank).slice(0, TIMELINES);
}

export const runSetSchema = z.object({
  format: z.literal(RUNSET_FORMAT),
  version: z.string(),
  /**
   * Why the runs were made: a campaign cell, a mutant hunt, the contention sweep, the FLP
   * adversary, a plain simulate, an `explore` strategy (random, pct, swarm, bfs, dfs, fast-check).
   */
  kind: z.enum(['campaign', 'mutant', 'contention', 'flp', 'simulate', 'explore']),
  protocol: z.string(),
  service: z.string().nullable(),
  mutant: z.string().nullable(),
  strategy: z.string(),
  scenario: z.string(),
  seed: z.number().int(),
  shard: z.object({ index: count, count: z.number().int().positive() }).nullable(),
  topology: topologySchema,
  runs: count,
  events: count,
  violations: count,
  interrupted: z.boolean(),
  wallMs: z.number().nonnegative(),
  firstViolation: z
    .object({
      property: z.string(),
      message: z.string(),
      slot: z.number().int().nullable(),
      file: z.string().nullable(),
      depth: count,
      run: count,
      trace: z.string(),
    })
    .nullable(),
  liveness: z.object({
    summary: livenessSummarySchema,
    /** [virtual time to decide every slot, rounded to a whole unit, runs]. */
    latency: pairs,
    /** [ballots started in the run, runs]. */
    ballots: pairs,
  }),
  coverage: coverageSchema,
  /** bfs/dfs only: the search itself (states by the explorer's fingerprint, history included). */
  exploration: z
    .object({
      distinctStates: count,
      generated: count,
      depth: count,
      complete: z.boolean(),
      /** Why an incomplete search without a violation ended (absent in run sets written before budgets existed). */
      stopReason: z.enum(['memory', 'time', 'states', 'depth']).nullable().optional(),
      /** States found but never expanded when it ended. */
      queued: count.optional(),
      budget: z.record(z.string(), count),
      maxBallots: count.nullable(),
    })
    .optional(),
  /**
   * Timed runs only: a few runs drawn as latency over time, with the fault windows of each
   * (the slowest runs with faults first; see `TIMELINES`).
   */
  timelines: z.array(timelineSchema).optional(),
  adversary: z
    .object({
      bound: z.number().nonnegative(),
      deferrals: count,
      /** [ballots started before the first decision, runs]. */
      rounds: pairs,
    })
    .optional(),
});

export type RunSet = Omit<z.infer<typeof runSetSchema>, 'coverage'> & { readonly coverage: CoverageData };

// The zod schema and the collector's types must describe the same JSON.
const _coverageFits = (c: z.infer<typeof coverageSchema>): CoverageData => c;
const _summaryFits = (s: LivenessSummary): z.infer<typeof livenessSummarySchema> => s;
void _coverageFits;
void _summaryFits;

function histogram(xs: readonly number[]): [number, number][] {
  const m = new Map<number, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => a[0] - b[0]);
}

/**
 * Watches the runs of one run set: coverage of every step, liveness of every run. Hand it to
 * `simulate`/`campaign`/`runAdversary` as their observer.
 */
export class RunSetRecorder implements StepObserver {
  readonly coverage: CoverageCollector;
  private readonly tally = new LivenessTally();
  private events = 0;
  private violations = 0;
  private firstViolationRun: RunResult | null = null;
  private readonly rounds: number[] = [];
  private timelines: Timeline[] = [];

  constructor(
    readonly sys: System,
    coverage: CoverageOptions = {},
  ) {
    this.coverage = new CoverageCollector(sys, coverage);
  }

  onStart(w: World, fx: readonly Effects[]): void {
    this.coverage.onStart(w, fx);
  }

  onStep(e: Event, fx: Effects, prev: World, next: World): void {
    this.coverage.onStep(e, fx, prev, next);
  }

  onEnd(r: RunResult): void {
    this.coverage.onEnd(r);
    const t = timelineOf(r);
    if (t) this.timelines = pickTimelines([...this.timelines, t]);
    this.tally.add(r);
    this.events += r.events;
    if (r.violation) {
      this.violations++;
      this.firstViolationRun ??= r;
    }
  }

  /** For adversary run sets: ballots before the first decision of the run just ended. */
  addRounds(n: number): void {
    this.rounds.push(n);
  }

  get runs(): number {
    return this.coverage.runs;
  }

  toRunSet(meta: RunSetMeta): RunSet {
    // Closes the last run, so the run count below includes it.
    const coverage = this.coverage.data();
    const fv = this.firstViolationRun;
    const fromRuns: FirstViolation | null =
      fv && fv.violation
        ? { property: fv.violation.property, message: fv.violation.message, slot: fv.violation.slot ?? null, file: null, depth: fv.events, run: fv.run, trace: '' }
        : null;
    const first = meta.firstViolation ?? fromRuns;
    return {
      format: RUNSET_FORMAT,
      version: VERSION,
      kind: meta.kind,
      protocol: meta.protocol,
      service: meta.service ?? null,
      mutant: meta.mutant ?? null,
      strategy: meta.strategy,
      scenario: meta.scenario,
      seed: meta.seed,
      shard: meta.shard ?? null,
      topology: meta.topology,
      runs: coverage.runs,
      events: this.events,
      violations: this.violations,
      interrupted: meta.interrupted,
      wallMs: meta.wallMs,
      firstViolation: first ? { ...first } : null,
      liveness: {
        summary: this.tally.summary(),
        latency: histogram(this.tally.latencies.map((x) => Math.round(x))),
        ballots: histogram(this.tally.ballots),
      },
      coverage,
      ...(this.timelines.length > 0 ? { timelines: this.timelines } : {}),
      ...(meta.adversary ? { adversary: { bound: meta.adversary.bound, deferrals: meta.adversary.deferrals, rounds: histogram(this.rounds) } } : {}),
    };
  }
}

export interface RunSetMeta {
  readonly kind: RunSet['kind'];
  readonly protocol: string;
  readonly service?: string | null;
  readonly mutant?: string | null;
  readonly strategy: string;
  readonly scenario: string;
  readonly seed: number;
  readonly shard?: Shard | null;
  readonly topology: Topology;
  readonly interrupted: boolean;
  readonly wallMs: number;
  readonly firstViolation?: FirstViolation | null;
  readonly adversary?: { readonly bound: number; readonly deferrals: number };
}

export function runSetFileName(r: Pick<RunSet, 'kind' | 'protocol' | 'service' | 'mutant' | 'scenario' | 'strategy' | 'seed' | 'shard'>): string {
  // `explore --strategy random` and a campaign cell (strategy random) must not share a file.
  const proto = `${r.kind === 'explore' ? 'explore-' : ''}${r.service ? `${r.protocol}-${r.service}` : r.protocol}`;
  const shard = r.shard ? `-shard${r.shard.index}of${r.shard.count}` : '';
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.+=-]/g, '_');
  return `${safe(proto)}-${safe(r.mutant ?? 'ok')}-${safe(r.scenario)}-${safe(r.strategy)}-${r.seed}${shard}.json`;
}

/** Writes `<dir>/runs/<name>.json` atomically; returns the path. */
export function writeRunSet(dir: string, r: RunSet): string {
  const path = join(dir, 'runs', runSetFileName(r));
  writeAtomic(path, JSON.stringify(r) + '\n');
  return path;
}

export function parseRunSet(text: string, source: string): RunSet {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InputError(`${source}: not a JSON run set`);
  }
  const parsed = runSetSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${source}: invalid run set, field "${issue?.path.join('.') || '(root)'}": ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Every run set in `<dir>/runs/`, sorted by file name; a missing folder holds none. */
export function readRunSets(dir: string): RunSet[] {
  const sub = join(dir, 'runs');
  let names: string[];
  try {
    names = readdirSync(sub).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((n) => {
    const path = join(sub, n);
    return parseRunSet(readFileSync(path, 'utf8'), path);
  });
}

/** The identity of a run set without its shard: shards of one run set share it. */
export function runSetKey(r: RunSet): string {
  return [r.kind, r.protocol, r.service ?? '', r.mutant ?? '', r.strategy, r.scenario, r.seed, r.topology.proposers, r.topology.backoff].join('|');
}

function addPairs(parts: readonly (readonly (readonly [number, number])[])[]): [number, number][] {
  const m = new Map<number, number>();
  for (const p of parts) for (const [k, n] of p) m.set(k, (m.get(k) ?? 0) + n);
  return [...m.entries()].sort((a, b) => a[0] - b[0]);
}

function expand(p: readonly (readonly [number, number])[]): number[] {
  return p.flatMap(([x, n]) => new Array<number>(n).fill(x));
}

/**
 * Merges shards of one run set (or run sets of several result folders with the same identity).
 * Counts, histograms, labels, orders and crash points add up exactly; distinct states and
 * interleaving classes are summed, an upper bound of the union; latency quantiles come from the
 * whole-unit histogram.
 */
export function mergeRunSets(parts: readonly RunSet[]): RunSet {
  const first = parts[0];
  if (!first) throw new Error('nothing to merge');
  if (parts.length === 1) return first;
  // The same shard found in two folders holds the same runs: count it once.
  const byShard = new Map<number, RunSet>();
  for (const r of parts) if (!byShard.has(r.shard?.index ?? -1)) byShard.set(r.shard?.index ?? -1, r);
  const sorted = [...byShard.values()].sort((a, b) => (a.shard?.index ?? 0) - (b.shard?.index ?? 0));
  if (sorted.length === 1) return first;
  const sum = (f: (r: RunSet) => number): number => sorted.reduce((n, r) => n + f(r), 0);
  const latency = addPairs(sorted.map((r) => r.liveness.latency));
  const ballots = addPairs(sorted.map((r) => r.liveness.ballots));
  const decided = sum((r) => r.liveness.summary.decided);
  const weighted = (f: (r: RunSet) => number | null): number | null => {
    const withValue = sorted.filter((r) => f(r) !== null && r.liveness.summary.decided > 0);
    if (withValue.length === 0) return null;
    const w = withValue.reduce((n, r) => n + (f(r) ?? 0) * r.liveness.summary.decided, 0);
    return Math.round((w / withValue.reduce((n, r) => n + r.liveness.summary.decided, 0)) * 100) / 100;
  };
  const firstViolation = sorted.find((r) => r.firstViolation)?.firstViolation ?? null;
  const adv = sorted.filter((r) => r.adversary);
  const timelines = pickTimelines(sorted.flatMap((r) => r.timelines ?? []));
  return {
    ...first,
    shard: null,
    runs: sum((r) => r.runs),
    events: sum((r) => r.events),
    violations: sum((r) => r.violations),
    interrupted: sorted.some((r) => r.interrupted),
    wallMs: sum((r) => r.wallMs),
    firstViolation,
    liveness: {
      summary: {
        runs: sum((r) => r.liveness.summary.runs),
        decided,
        quorumUnavailable: sum((r) => r.liveness.summary.quorumUnavailable),
        commandLost: sum((r) => r.liveness.summary.commandLost),
        livelock: sum((r) => r.liveness.summary.livelock),
        latency: quantiles(expand(latency)),
        ballotsPerRun: quantiles(expand(ballots)),
        messagesPerDecision: weighted((r) => r.liveness.summary.messagesPerDecision),
        storageOpsPerDecision: weighted((r) => r.liveness.summary.storageOpsPerDecision),
      },
      latency,
      ballots,
    },
    coverage: mergeCoverage(sorted.map((r) => r.coverage)),
    ...(timelines.length > 0 ? { timelines } : {}),
    ...(adv.length > 0
      ? {
          adversary: {
            bound: adv[0]?.adversary?.bound ?? 0,
            deferrals: adv.reduce((n, r) => n + (r.adversary?.deferrals ?? 0), 0),
            rounds: addPairs(adv.map((r) => r.adversary?.rounds ?? [])),
          },
        }
      : {}),
  };
}

/** Groups run sets by identity and merges each group, keeping first-seen order. */
export function mergeAll(sets: readonly RunSet[]): RunSet[] {
  const groups = new Map<string, RunSet[]>();
  for (const r of sets) {
    const k = runSetKey(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.values()].map(mergeRunSets);
}
