import { failuresIn } from '../../artifacts/failure-file.js';
import type { FaultBudget } from '../../kernel/events.js';
import { InputError } from '../../errors.js';
import { explore } from '../../search/bfs.js';
import type { Strategy } from '../../search/bfs.js';
import { exploreTopology } from '../../search/systematic.js';
import type { CoverageData } from '../../coverage/coverage.js';
import { replayChoices } from '../../step/replay.js';
import type { FastCheckResult } from '../../walks/fastcheck.js';
import { buildSystem } from '../../protocols/index.js';
import { writeFailure } from '../../artifacts/failure-file.js';
import type { Topology } from '../../protocols/family.js';
import { specPaxos } from '../../protocols/spec-paxos/index.js';
import { interruptFlag, progress } from '../progress.js';
import type { RandomStrategy } from '../../walks/randomized.js';
import { fastCheckWithCoverage, randomizedWithCoverage, systematicWithCoverage } from '../../artifacts/explore-runset.js';
import { writeRunSet } from '../../artifacts/runset.js';
import { loadScenario } from '../../scenario/load.js';
import type { ReductionReport } from '../../search/reduce/reductions.js';
import { buildTarget } from '../../search/target.js';
import type { Target } from '../../search/target.js';
import { scaledExploreCommand } from './explore-scale.js';
import { parseShard, replayCommandFor } from '../args.js';

export interface ExploreArgs {
  readonly protocol: string;
  readonly service?: string;
  readonly mutant?: string;
  readonly strategy: string;
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly maxBallot?: number;
  readonly budget?: string;
  readonly topology?: string;
  /** bfs/dfs: durable writes complete as soon as issued (a bug-hunting restriction). */
  readonly eagerWrites?: boolean;
  /** bfs/dfs: a storage operation and its reply are one step (a bug-hunting restriction). */
  readonly atomicOps?: boolean;
  /** bfs/dfs: timers fire only at nodes with nothing in flight (a bug-hunting restriction). */
  readonly quietTimers?: boolean;
  readonly out: string;
  readonly json: boolean;
  readonly seed: number;
  readonly runs?: number;
  readonly scenario: string;
  readonly depth?: number;
  readonly shard?: string;
  readonly workers?: number;
  /** bfs/dfs: sleep-set partial-order reduction; undefined: on (off for spec-paxos). */
  readonly por?: boolean;
  /** bfs/dfs: symmetry reduction; undefined: on (off for spec-paxos). */
  readonly symmetry?: boolean;
}

const budgetKeys = ['crashes', 'drops', 'dups', 'partitions', 'downs', 'storage', 'ballots', 'timers'] as const;
const topologyKeys = ['proposers', 'acceptors', 'learners', 'servers', 'commands'] as const;

function parsePairs<K extends string>(flag: string, text: string, keys: readonly K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const part of text.split(',').filter((p) => p !== '')) {
    const [k, v] = part.split('=');
    if (!k || !(keys as readonly string[]).includes(k) || v === undefined || !/^\d+$/.test(v)) {
      throw new InputError(`--${flag}: expected ${keys.map((x) => `${x}=N`).join(',')}, got "${part}"`);
    }
    out[k as K] = Number(v);
  }
  return out;
}

/** `ballots` and `timers` (firings per agent) bound the bfs/dfs model; the rest are kernel fault budgets. */
export function parseBudget(text: string | undefined): { budget: FaultBudget; ballots?: number; timers?: number } {
  const { ballots, timers, ...budget } = parsePairs('budget', text ?? 'crashes=1,drops=1', budgetKeys);
  return { budget, ballots, timers };
}

/** What the reductions did, for the text output. */
function reductionLine(por: ReductionReport['por'], sym: ReductionReport['symmetry']): string {
  const p = por.enabled ? `sleep sets skipped ${por.skipped} transitions (${(por.ratio * 100).toFixed(1)}%)` : 'no partial-order reduction';
  const g = sym.enabled ? `states up to ${sym.permutations} permutations of ${sym.groups.map((x) => `{${x.map((n) => `n${n}`).join(',')}}`).join(' × ')}` : 'no symmetry reduction';
  return `reductions: ${p}; ${g}`;
}

/** One line of a strategy's coverage, for the text output. */
export function coverageLine(c: CoverageData, runSet: string): string {
  const labels = Object.values(c.labels).reduce((n, ls) => n + Object.keys(ls).length, 0);
  const pairs = c.messageOrders.filter((o) => o.runs > 0).length;
  const faults = Object.entries(c.faults).map(([k, n]) => `${k}×${n}`).join(' ') || 'none';
  return `coverage: ${c.distinctStates} distinct states, ${labels} labels over ${Object.keys(c.labels).length} roles, ${pairs} message-order pairs, ${Object.keys(c.crashPoints).length} crash points; faults ${faults}; run set ${runSet}`;
}

/** What `--workers` and bfs `--shard` explore: plain data every thread and shard rebuilds. */
function exploreTarget(a: ExploreArgs): Target {
  if (a.protocol === 'spec-paxos') return { kind: 'spec-paxos', maxBallot: a.maxBallot ?? 1 };
  const { budget, ballots, timers } = parseBudget(a.budget);
  const topology: Topology = { ...exploreTopology, ...(a.topology ? parsePairs('topology', a.topology, topologyKeys) : {}) };
  const t: Target = {
    kind: 'kernel',
    protocol: a.protocol,
    service: a.service ?? null,
    mutant: a.mutant ?? null,
    topology,
    budget,
    maxBallots: ballots ?? 3,
    maxTimerFires: timers ?? null,
    symmetry: a.symmetry ?? true,
  };
  // An unknown protocol, service or mutant is bad input here, not an error in a worker thread.
  buildTarget(t);
  return t;
}

export function exploreCommand(a: ExploreArgs): number | Promise<number> {
  if (a.eagerWrites === true && (a.workers !== undefined || a.shard !== undefined || (a.strategy !== 'bfs' && a.strategy !== 'dfs'))) {
    throw new InputError('--eager-writes: only for bfs/dfs in one process (not with --workers or --shard)');
  }
  for (const [flag, on] of [['--atomic-ops', a.atomicOps], ['--quiet-timers', a.quietTimers]] as const) {
    if (on === true && (a.workers !== undefined || a.shard !== undefined || (a.strategy !== 'bfs' && a.strategy !== 'dfs'))) {
      throw new InputError(`${flag}: only for bfs/dfs in one process (not with --workers or --shard)`);
    }
  }
  const systematicShard = a.shard !== undefined && (a.strategy === 'bfs' || a.strategy === 'dfs');
  if (systematicShard || (a.workers !== undefined && a.workers !== 1)) {
    // Sleep sets depend on the search order, and a shard expands its own representatives of
    // symmetric states: a split search leaves those reductions off unless they were asked for
    // (which scaledExploreCommand refuses), and says so, since the unsharded twin needs the flags.
    const por = a.protocol !== 'spec-paxos' && a.por === true && a.maxDepth === undefined;
    const symmetry = a.symmetry ?? !systematicShard;
    const off = [
      ...(a.protocol !== 'spec-paxos' && a.por === undefined && a.maxDepth === undefined ? ['partial-order reduction (--no-por)'] : []),
      ...(a.protocol !== 'spec-paxos' && systematicShard && a.symmetry === undefined ? ['symmetry reduction (--no-symmetry)'] : []),
    ];
    const note = off.length > 0 && !a.json ? `explore: a split search runs without ${off.join(' and ')}; compare it with an unsplit run given those flags` : undefined;
    const o = { strategy: a.strategy, workers: a.workers, shard: parseShard(a.shard), maxDepth: a.maxDepth, maxStates: a.maxStates, por, out: a.out, json: a.json, note };
    return scaledExploreCommand(o, exploreTarget({ ...a, symmetry }));
  }
  if (a.strategy === 'random' || a.strategy === 'pct' || a.strategy === 'swarm') return randomCommand(a, a.strategy);
  if (a.strategy === 'fast-check') return fastCheckCommand(a);
  if (a.strategy !== 'bfs' && a.strategy !== 'dfs') {
    throw new InputError(`--strategy ${a.strategy}: expected bfs, dfs, random, pct, swarm or fast-check`);
  }
  const strategy: Strategy = a.strategy;
  if (a.protocol === 'spec-paxos') {
    // Its counts are pinned to TLC's, which runs without reductions.
    if (a.por === true || a.symmetry === true) throw new InputError('--por/--symmetry: spec-paxos is explored without reductions (its counts match TLC)');
    const r = explore(specPaxos(a.maxBallot ?? 1), { strategy, maxDepth: a.maxDepth, maxStates: a.maxStates });
    const summary = {
      protocol: 'spec-paxos',
      service: null,
      mutant: null,
      strategy,
      seed: 0,
      runs: 1,
      events: r.generated,
      violations: r.violation ? 1 : 0,
      firstViolation: r.violation ? { property: r.violation.name, slot: null, file: null, depth: r.violation.path.length } : null,
      wallMs: Math.round(r.wallMs),
      eventsPerSec: r.wallMs > 0 ? Math.round((r.generated * 1000) / r.wallMs) : r.generated,
      distinctStates: r.distinctStates,
      statesPerSec: r.statesPerSec,
      generated: r.generated,
      depth: r.depth,
      complete: r.complete,
      bytesPerState: r.bytesPerState,
      maxBallot: a.maxBallot ?? 1,
    };
    if (a.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else
      process.stdout.write(
        `spec-paxos MaxBallot=${summary.maxBallot} ${strategy}: ${summary.distinctStates} distinct states, ${summary.generated} generated, depth ${summary.depth}, ${summary.complete ? 'complete' : 'incomplete'}, ${summary.statesPerSec} states/s\n` +
          (r.violation ? `VIOLATION ${r.violation.name}:\n  ${r.violation.steps.join('\n  ')}\n` : 'no violation\n'),
      );
    return r.violation ? 1 : 0;
  }
  const { budget, ballots, timers } = parseBudget(a.budget);
  const topology: Partial<Topology> = a.topology ? parsePairs('topology', a.topology, topologyKeys) : {};
  const bar = progress(`explore ${a.protocol}`, a.maxStates ?? 0, false);
  const { summary: s, runSet } = systematicWithCoverage({
    protocol: a.protocol,
    service: a.service,
    mutant: a.mutant,
    strategy,
    topology,
    budget,
    maxBallots: ballots ?? 3,
    maxTimerFires: timers,
    eagerWrites: a.eagerWrites,
    atomicOps: a.atomicOps,
    quietTimers: a.quietTimers,
    maxDepth: a.maxDepth,
    maxStates: a.maxStates,
    por: a.por ?? true,
    symmetry: a.symmetry ?? true,
    record: failuresIn(a.out),
    onProgress: a.json ? undefined : (p) => process.stderr.write(`explore: ${p.distinctStates} states, depth ${p.depth}, queued ${p.queued}\n`),
  });
  bar.stop();
  const file = writeRunSet(a.out, runSet);
  if (a.json) process.stdout.write(JSON.stringify({ ...s, runSet: file }) + '\n');
  else {
    const lines = [
      `${s.protocol}${s.service ? `/${s.service}` : ''}${s.mutant ? ` mutant=${s.mutant}` : ''} ${strategy}: ${s.distinctStates} distinct states, ${s.generated} generated, depth ${s.depth}, ${s.complete ? 'complete' : 'incomplete (bound reached)'}; ${s.statesPerSec} states/s, ${s.bytesPerState} bytes/state`,
      coverageLine(s.coverage, file),
      reductionLine(s.por, s.symmetry),
    ];
    const v = s.firstViolation;
    if (v) {
      lines.push(`VIOLATION ${v.property}: ${v.message} (${v.depth} steps)`);
      if (v.file) lines.push(`replay: ${replayCommandFor(v.file)}`);
    } else lines.push('no violation');
    process.stdout.write(lines.join('\n') + '\n');
  }
  return s.violations > 0 ? 1 : 0;
}

function randomCommand(a: ExploreArgs, strategy: RandomStrategy): number {
  const { budget } = parseBudget(a.budget);
  const topology: Partial<Topology> = a.topology ? parsePairs('topology', a.topology, topologyKeys) : {};
  const scenario = loadScenario(a.scenario);
  const stop = interruptFlag();
  try {
    const { summary: s, runSet } = randomizedWithCoverage({
      protocol: a.protocol,
      service: a.service,
      mutant: a.mutant,
      strategy,
      scenario,
      topology,
      budget,
      seed: a.seed,
      runs: a.runs ?? 1000,
      maxSteps: a.maxDepth,
      depth: a.depth,
      shard: parseShard(a.shard),
      record: failuresIn(a.out),
      stop,
    });
    const file = writeRunSet(a.out, runSet);
    if (a.json) process.stdout.write(JSON.stringify({ ...s, runSet: file }) + '\n');
    else {
      const lines = [
        `${s.protocol}${s.service ? `/${s.service}` : ''}${s.mutant ? ` mutant=${s.mutant}` : ''} ${strategy}: ${s.runs} runs, ${s.events} events (${s.eventsPerSec} events/s)`,
        coverageLine(s.coverage, file),
      ];
      const v = s.firstViolation;
      if (v) {
        lines.push(`VIOLATION ${v.property}: ${v.message} (run ${v.run}, step ${v.depth})`);
        if (v.file) lines.push(`replay: ${replayCommandFor(v.file)}`);
      } else lines.push('no violation');
      process.stdout.write(lines.join('\n') + '\n');
    }
    return s.violations > 0 ? 1 : 0;
  } finally {
    stop.dispose();
  }
}

/** fast-check generates the schedule and shrinks a failing one; both lengths are reported. */
function fastCheckCommand(a: ExploreArgs): number {
  const { budget } = parseBudget(a.budget);
  const topology: Topology = { ...exploreTopology, ...(a.topology ? parsePairs('topology', a.topology, topologyKeys) : {}) };
  const sys = buildSystem({ protocol: a.protocol, service: a.service, mutant: a.mutant, topology });
  const t0 = Date.now();
  const writeCounterexample = (r: FastCheckResult): string | null => {
    if (!r.failed || !r.violation) return null;
    const rep = replayChoices(sys, r.choices, null, '');
    return writeFailure(a.out, {
      protocol: a.protocol,
      service: a.service ?? null,
      mutant: a.mutant ?? null,
      strategy: 'fast-check',
      scenario: null,
      topology,
      seed: a.seed,
      run: 0,
      choices: [...r.choices],
      violation: { ...r.violation, step: rep.violationStep ?? r.choices.length },
      trace: rep.trace,
      ...(r.originalLength !== null ? { shrunkFrom: r.originalLength } : {}),
    });
  };
  const { result: r, file, runSet } = fastCheckWithCoverage(
    { sys, budget, runs: a.runs ?? 1000, maxLength: a.maxDepth ?? 300, seed: a.seed },
    { protocol: a.protocol, service: a.service ?? null, mutant: a.mutant ?? null, topology, file: writeCounterexample },
  );
  const runSetFile = writeRunSet(a.out, runSet);
  const summary = {
    protocol: a.protocol,
    service: a.service ?? null,
    mutant: a.mutant ?? null,
    strategy: 'fast-check',
    seed: a.seed,
    runs: r.runs,
    violations: r.failed ? 1 : 0,
    firstViolation: r.violation ? { property: r.violation.property, message: r.violation.message, slot: r.violation.slot ?? null, file, depth: r.shrunkLength } : null,
    originalLength: r.originalLength,
    shrunkLength: r.shrunkLength,
    wallMs: Date.now() - t0,
    coverage: runSet.coverage,
    runSet: runSetFile,
  };
  if (a.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else {
    const lines = [`${a.protocol}${a.service ? `/${a.service}` : ''}${a.mutant ? ` mutant=${a.mutant}` : ''} fast-check: ${r.runs} runs`, coverageLine(runSet.coverage, runSetFile)];
    if (r.violation) {
      lines.push(`VIOLATION ${r.violation.property}: ${r.violation.message}`);
      lines.push(`schedule shrunk from ${r.originalLength} to ${r.shrunkLength} steps`);
      if (file) lines.push(`replay: ${replayCommandFor(file)}`);
    } else lines.push('no violation');
    process.stdout.write(lines.join('\n') + '\n');
  }
  return r.failed ? 1 : 0;
}
