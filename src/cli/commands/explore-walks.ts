// `explore --strategy pct|random|swarm|fast-check`: many runs, each a walk or a generated
// schedule; driven asynchronously so that Ctrl-C stops them between runs.

import { fastCheckWithCoverageAsync, randomizedWithCoverageSteps } from '../../artifacts/explore-runset.js';
import { writeRunSet } from '../../artifacts/runset.js';
import type { FaultBudget } from '../../kernel/events.js';
import type { Topology } from '../../protocols/family.js';
import { buildSystem } from '../../protocols/index.js';
import { loadScenario } from '../../scenario/load.js';
import { exploreTopology } from '../../search/systematic.js';
import { shardRuns } from '../../sim/simulate.js';
import { runAsync } from '../../step/drive.js';
import { replayChoices } from '../../step/replay.js';
import type { FastCheckResult } from '../../walks/fastcheck.js';
import type { RandomStrategy } from '../../walks/randomized.js';
import { cliFailureSink, replayCommandFor } from '../args.js';
import type { ExploreArgs } from '../flags/explore.js';
import { DEFAULT_RUNS } from '../flags/explore.js';
import { INTERRUPTED, interruptFlag, interruptedLine } from '../interrupt.js';
import { progress } from '../progress.js';
import { coverageLine } from './explore-output.js';

const label = (a: ExploreArgs): string => `${a.protocol}${a.service ? `/${a.service}` : ''}${a.mutant ? ` mutant=${a.mutant}` : ''}`;

export async function randomCommand(a: ExploreArgs, strategy: RandomStrategy, budget: FaultBudget): Promise<number> {
  const scenario = loadScenario(a.scenario ?? 'default');
  const runs = a.runs ?? DEFAULT_RUNS;
  const stop = interruptFlag();
  const bar = progress(`explore ${label(a)} ${strategy}${a.shard ? ` shard ${a.shard.index}/${a.shard.count}` : ''}`, 'runs', shardRuns(runs, a.shard));
  try {
    const { summary: s, runSet } = await runAsync(
      randomizedWithCoverageSteps({
        protocol: a.protocol,
        service: a.service,
        mutant: a.mutant,
        strategy,
        scenario,
        topology: a.topology ?? {},
        budget,
        seed: a.seed,
        runs,
        maxSteps: a.maxDepth,
        depth: a.depth,
        shard: a.shard,
        record: cliFailureSink(a.out),
        stop,
        onRun: (done) => bar.update(done),
      }),
    );
    bar.stop();
    const file = writeRunSet(a.out, runSet);
    if (a.json) process.stdout.write(JSON.stringify({ ...s, runSet: file }) + '\n');
    else {
      const lines = [`${label(a)} ${strategy}: ${s.runs} runs, ${s.events} events (${s.eventsPerSec} events/s)${s.interrupted ? ' — interrupted' : ''}`, coverageLine(s.coverage, file)];
      const v = s.firstViolation;
      if (v) lines.push(`VIOLATION ${v.property}: ${v.message} (run ${v.run}, step ${v.depth})`, ...(v.file ? [`replay: ${replayCommandFor(v.file)}`] : []));
      else lines.push('no violation');
      process.stdout.write(lines.join('\n') + '\n');
    }
    if (s.interrupted) {
      process.stderr.write(interruptedLine(`${s.runs} of ${shardRuns(runs, a.shard)} runs done`, [file, s.firstViolation?.file]) + '\n');
      return INTERRUPTED;
    }
    return s.violations > 0 ? 1 : 0;
  } finally {
    bar.stop();
    stop.dispose();
  }
}

/** fast-check generates the schedule and shrinks a failing one; both lengths are reported. */
export async function fastCheckCommand(a: ExploreArgs, budget: FaultBudget): Promise<number> {
  const topology: Topology = { ...exploreTopology, ...a.topology };
  const sys = buildSystem({ protocol: a.protocol, service: a.service, mutant: a.mutant, topology });
  const t0 = Date.now();
  const sink = cliFailureSink(a.out);
  const writeCounterexample = (r: FastCheckResult): string | null => {
    if (!r.failed || !r.violation) return null;
    const rep = replayChoices(sys, r.choices, null, '');
    return sink({
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
  const stop = interruptFlag();
  const runs = a.runs ?? DEFAULT_RUNS;
  const bar = progress(`explore ${label(a)} fast-check`, 'runs', runs);
  let seen = 0;
  try {
    const meta = { protocol: a.protocol, service: a.service ?? null, mutant: a.mutant ?? null, topology, file: writeCounterexample };
    // Every schedule run, shrinking included, ends here: past `runs`, fast-check is shrinking.
    const observe = { step: () => ({ onStep: () => {}, onEnd: () => bar.update(Math.min(++seen, runs), seen > runs ? { note: `shrinking (${seen - runs} tries)` } : {}) }) };
    const { result: r, file, runSet, interrupted } = await fastCheckWithCoverageAsync({ sys, budget, runs, maxLength: a.maxDepth ?? 300, seed: a.seed }, meta, stop, observe);
    bar.stop();
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
      interrupted,
      coverage: runSet.coverage,
      runSet: runSetFile,
    };
    printFastCheck(a, summary, r, file, runSetFile);
    if (interrupted) {
      process.stderr.write(interruptedLine(`${r.runs} of ${runs} schedules run${r.failed ? ', shrinking cut short' : ''}`, [runSetFile, file]) + '\n');
      return INTERRUPTED;
    }
    return r.failed ? 1 : 0;
  } finally {
    bar.stop();
    stop.dispose();
  }
}

function printFastCheck(a: ExploreArgs, summary: object & { readonly coverage: FastCheckCoverage }, r: FastCheckResult, file: string | null, runSetFile: string): void {
  if (a.json) {
    process.stdout.write(JSON.stringify(summary) + '\n');
    return;
  }
  const lines = [`${label(a)} fast-check: ${r.runs} runs`, coverageLine(summary.coverage, runSetFile)];
  if (r.violation) {
    lines.push(`VIOLATION ${r.violation.property}: ${r.violation.message}`);
    lines.push(`schedule shrunk from ${r.originalLength} to ${r.shrunkLength} steps`);
    if (file) lines.push(`replay: ${replayCommandFor(file)}`);
  } else lines.push('no violation');
  process.stdout.write(lines.join('\n') + '\n');
}

type FastCheckCoverage = Parameters<typeof coverageLine>[0];
