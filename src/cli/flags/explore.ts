// `paxcheck explore`: its options (help text with defaults) and the one schema that validates
// them, including which options apply to which protocol and strategy.

import type { Options } from 'yargs';
import { z } from 'zod';
import { writableDir } from '../paths.js';
import type { Shard } from '../../sim/simulate.js';
import { strategies } from './strategies.js';
import { jsonOption, outField, outOption, seedField, seedOption, textOption } from './common.js';
import type { PairBounds } from './fields.js';
import { duration, flag, int, oneOf, pairs, parseFlags, refuse, shard, text } from './fields.js';
import type { TopologyKey } from './topology.js';
import { checkTopologyKeys, topologyBounds } from './topology.js';

export type ExploreStrategy = (typeof strategies)[number];
export type BudgetKey = 'crashes' | 'drops' | 'dups' | 'partitions' | 'downs' | 'storage' | 'ballots' | 'timers';

/** Fault budgets count faults; past a million the bound means nothing a search could reach. */
const MAX_BUDGET = 1_000_000;
const budgetBounds: PairBounds<BudgetKey> = {
  crashes: { min: 0, max: MAX_BUDGET },
  drops: { min: 0, max: MAX_BUDGET },
  dups: { min: 0, max: MAX_BUDGET },
  partitions: { min: 0, max: MAX_BUDGET },
  downs: { min: 0, max: MAX_BUDGET },
  storage: { min: 0, max: MAX_BUDGET },
  // At least one distinct ballot: a bound of 0 would prune the initial state.
  ballots: { min: 1, max: MAX_BUDGET },
  timers: { min: 0, max: MAX_BUDGET },
};

/** Paxos.tla's packed encoding holds (MaxBallot + 1) × 2 values in 30 bits of one word. */
export const MAX_SPEC_BALLOT = 14;
/** Longest path / walk / schedule accepted (states per path, steps per walk). */
export const MAX_DEPTH = 1_000_000;
/** Largest PCT bug depth (d − 1 change points over a walk). */
export const MAX_PCT_DEPTH = 100;
export const MAX_WORKERS = 64;
export const MAX_STATES = 1_000_000_000;
/** Smallest memory budget: below it the CLI's own modules fill the heap. */
export const MIN_MEMORY_MIB = 16;
export const MAX_MEMORY_MIB = 1_048_576;

export const DEFAULT_BUDGET = 'crashes=1,drops=1';
export const DEFAULT_RUNS = 1000;

const S = 'bfs|dfs|pct|random|swarm|fast-check';

export const exploreOptions: Record<string, Options> = {
  protocol: textOption('static|disk|passive|spec-paxos (paxcheck list shows them)', { demandOption: true }),
  service: textOption('passive: list|cas|register (required there)', { defaultDescription: 'none' }),
  mutant: textOption('a seeded bug to hunt (paxcheck list shows them)', { defaultDescription: 'none: the correct protocol' }),
  strategy: { ...textOption(`search strategy: ${S}`), default: 'bfs' },
  seed: { ...seedOption, describe: 'pct|random|swarm|fast-check: root seed (integer ≥ 0)' },
  runs: { requiresArg: true, describe: 'pct|random|swarm|fast-check: number of runs (integer ≥ 1)', defaultDescription: String(DEFAULT_RUNS) },
  scenario: textOption('pct|random: topology from this scenario; swarm: the base scenario (built-in name or JSON file)', { defaultDescription: 'default' }),
  depth: { requiresArg: true, describe: `pct: bug depth d, d − 1 priority change points (integer 1..${MAX_PCT_DEPTH})`, defaultDescription: '3' },
  shard: textOption('i/n: pct|random|swarm: the runs with run % n = i; bfs: every nth state of the split frontier (merge with report --in)', { defaultDescription: 'none: the whole search' }),
  workers: { requiresArg: true, describe: `bfs: worker threads: with bounds, states owned by fingerprint; with none, the ladder's attempts run side by side (integer 1..${MAX_WORKERS})`, defaultDescription: '1 (no threads)' },
  'max-depth': { requiresArg: true, describe: `bfs|dfs: most states on a path; pct|random: steps per walk; fast-check: schedule length (integer 1..${MAX_DEPTH})`, defaultDescription: 'bfs|dfs: none; pct|random: 2000; fast-check: 300' },
  'max-states': { requiresArg: true, describe: `bfs|dfs: stop (incomplete) after this many distinct states (integer 1..${MAX_STATES})`, defaultDescription: 'none' },
  'max-memory': { requiresArg: true, describe: `bfs|dfs: MiB of memory the search may hold (heap and off-heap tables); reaching it stops the search (complete: false, stopReason "memory") with its partial results (integer ${MIN_MEMORY_MIB}..${MAX_MEMORY_MIB})`, defaultDescription: '¾ of the heap node runs with, at most 1536 (beyond that: --max-memory and node --max-old-space-size)' },
  'max-time': { requiresArg: true, describe: 'bfs|dfs: wall time after which the search stops (complete: false, stopReason "time") with its partial results: 90s, 5m, 1h or seconds', defaultDescription: '10m' },
  'max-ballot': { requiresArg: true, describe: `spec-paxos only: Ballot = 0..N (integer 0..${MAX_SPEC_BALLOT})`, defaultDescription: '1' },
  budget: textOption('faults the adversary may inject, crashes=N,drops=N,dups=N,partitions=N,downs=N,storage=N (each ≥ 0); bfs|dfs also ballots=N (distinct ballots before a state is pruned, ≥ 1) and timers=N (timer firings per node); not for swarm, which uses its scenario', { defaultDescription: `${DEFAULT_BUDGET} (bfs|dfs: ballots=3, timers unbounded)` }),
  topology: textOption('sizes, k=N,…: static proposers, acceptors, learners, commands; disk and passive proposers, servers, commands (each 1..9, commands 1..50)', { defaultDescription: 'bfs|dfs|fast-check: proposers=2,acceptors=3,learners=1,servers=3,commands=2; pct|random|swarm: the scenario’s' }),
  'eager-writes': { type: 'boolean', describe: 'bfs|dfs in one process: durable writes complete as soon as issued (reaches deeper bugs; covers only those schedules)', defaultDescription: 'false' },
  'atomic-ops': { type: 'boolean', describe: 'bfs|dfs in one process: a storage operation and its reply are one step (reaches deeper bugs; covers only those schedules)', defaultDescription: 'false' },
  'quiet-timers': { type: 'boolean', describe: 'bfs|dfs in one process: a timer fires only at a node with nothing in flight and no write pending (covers only those schedules)', defaultDescription: 'false' },
  por: { type: 'boolean', describe: 'bfs|dfs: sleep-set partial-order reduction; --no-por turns it off', defaultDescription: 'on; off for spec-paxos, --workers, --shard and --max-depth' },
  symmetry: { type: 'boolean', describe: 'bfs|dfs: symmetry reduction over interchangeable acceptors/disks/servers; --no-symmetry turns it off', defaultDescription: 'on; off for spec-paxos and --shard' },
  out: outOption,
  json: jsonOption,
};

const schema = z
  .object({
    protocol: text('protocol'),
    service: text('service').optional(),
    mutant: text('mutant').optional(),
    strategy: oneOf('strategy', strategies),
    seed: seedField.optional(),
    runs: int('runs', 1).optional(),
    scenario: text('scenario').optional(),
    depth: int('depth', 1, MAX_PCT_DEPTH).optional(),
    shard: shard().optional(),
    workers: int('workers', 1, MAX_WORKERS).optional(),
    maxDepth: int('max-depth', 1, MAX_DEPTH).optional(),
    maxStates: int('max-states', 1, MAX_STATES).optional(),
    maxMemory: int('max-memory', MIN_MEMORY_MIB, MAX_MEMORY_MIB).optional(),
    maxTime: duration('max-time').optional(),
    maxBallot: int('max-ballot', 0, MAX_SPEC_BALLOT).optional(),
    budget: pairs('budget', budgetBounds).optional(),
    topology: pairs('topology', topologyBounds).optional(),
    eagerWrites: z.boolean().optional(),
    atomicOps: z.boolean().optional(),
    quietTimers: z.boolean().optional(),
    por: z.boolean().optional(),
    symmetry: z.boolean().optional(),
    out: outField,
    json: z.boolean(),
  })
  .superRefine((a, ctx) => {
    const problem = applicability(a);
    if (problem) refuse(ctx, problem);
  });

type Parsed = z.output<typeof schema>;

export interface ExploreArgs extends Omit<Parsed, 'seed' | 'budget' | 'topology' | 'shard'> {
  readonly seed: number;
  readonly budget?: Partial<Record<BudgetKey, number>>;
  readonly topology?: Partial<Record<TopologyKey, number>>;
  readonly shard?: Shard;
}

export function exploreArgs(argv: unknown): ExploreArgs {
  const a = parseFlags(schema, argv);
  // Checked before the work (and its modules) start: a long run must not end in a write error.
  writableDir('out', a.out);
  return { ...a, seed: a.seed ?? 1 };
}

const given = (a: Parsed, keys: readonly (keyof Parsed)[]): string[] => keys.filter((k) => a[k] !== undefined).map((k) => flag(kebab(k)));
const kebab = (k: string): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The first option given that the protocol or strategy does not use (refused, never ignored). */
function applicability(a: Parsed): string | null {
  const s = a.strategy;
  const systematic = s === 'bfs' || s === 'dfs';
  const walks = s === 'pct' || s === 'random' || s === 'swarm';
  if (a.protocol === 'spec-paxos') {
    if (!systematic) return `--strategy ${s}: spec-paxos is a TLA+ transliteration explored by bfs or dfs only`;
    const extra = given(a, ['service', 'mutant', 'budget', 'topology', 'eagerWrites', 'atomicOps', 'quietTimers']);
    if (extra.length > 0) return `${extra[0]}: does not apply to spec-paxos (its only parameter is --max-ballot)`;
    if (a.por === true || a.symmetry === true) return '--por/--symmetry: spec-paxos is explored without reductions (its counts match TLC)';
  } else if (a.maxBallot !== undefined) {
    return `--max-ballot ${a.maxBallot}: only for --protocol spec-paxos; kernel protocols bound ballots with --budget ballots=N`;
  }
  const only = (keys: readonly (keyof Parsed)[], ok: boolean, who: string): string | null => {
    const g = given(a, keys);
    return !ok && g.length > 0 ? `${g[0]}: only for ${who}, not --strategy ${s}` : null;
  };
  const problem =
    only(['seed'], !systematic, 'pct|random|swarm|fast-check (bfs and dfs are exhaustive: no seed)') ??
    only(['runs'], !systematic, 'pct|random|swarm|fast-check') ??
    only(['scenario'], walks, 'pct|random|swarm') ??
    only(['depth'], s === 'pct', 'pct') ??
    only(['maxStates', 'maxMemory', 'maxTime', 'por', 'symmetry'], systematic, 'bfs|dfs') ??
    only(['workers'], s === 'bfs', 'bfs') ??
    only(['shard'], s === 'bfs' || walks, 'bfs|pct|random|swarm') ??
    only(['budget'], s !== 'swarm', 'bfs|dfs|pct|random|fast-check (swarm draws its faults from the scenario)');
  if (problem) return problem;
  const restricted = given(a, ['eagerWrites', 'atomicOps', 'quietTimers']).filter((f) => a[camel(f)] === true);
  if (restricted.length > 0 && (!systematic || a.workers !== undefined || a.shard !== undefined)) {
    return `${restricted[0]}: only for bfs/dfs in one process (not with --workers or --shard)`;
  }
  if (!systematic && a.budget && (a.budget.ballots !== undefined || a.budget.timers !== undefined)) {
    return `--budget ${a.budget.ballots !== undefined ? 'ballots' : 'timers'}=N: only for bfs|dfs (the walks bound runs with --max-depth)`;
  }
  return a.topology ? checkTopologyKeys(a.protocol, a.topology) : null;
}

const camel = (f: string): keyof Parsed => f.replace(/^--/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()) as keyof Parsed;
