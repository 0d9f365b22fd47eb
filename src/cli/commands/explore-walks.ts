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
import { cliFailureSink } from '../args.js';
import type { ExploreArgs } from '../flags/explore.js';
import { DEFAULT_RUNS } from '../flags/explore.js';
import { INTERRUPTED, interruptFlag, interruptedLine } from '../interrupt.js';
import { progress } from '../progress.js';
import type { CoverageData } from '../../coverage/coverage.js';
import type { ShrinkFacts } from '../../report/summary-text.js';
import { summaryText } from '../../report/summary-text.js';
import type { Summary } from '../../step/summary.js';
import { perSecond, summaryLabel } from '../../step/summary.js';

const label = (a: ExploreArgs): string => summaryLabel({ protocol: a.protocol, service: a.service ?? null, mutant: a.mutant ?? null });

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
    process.stdout.write((a.json ? JSON.stringify({ ...s, runSet: file }) : summaryText(s, { runSet: file }).join('\n')) + '\n');
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
  let events = 0;
  try {
    const meta = { protocol: a.protocol, service: a.service ?? null, mutant: a.mutant ?? null, topology, file: writeCounterexample };
    // Every schedule run, shrinking included, ends here: past `runs`, fast-check is shrinking.
    const observe = { step: () => ({ onStep: () => void events++, onEnd: () => bar.update(Math.min(++seen, runs), seen > runs ? { note: `shrinking (${seen - runs} tries)` } : {}) }) };
    const { result: r, file, runSet, interrupted } = await fastCheckWithCoverageAsync({ sys, budget, runs, maxLength: a.maxDepth ?? 300, seed: a.seed }, meta, stop, observe);
    bar.stop();
    const runSetFile = writeRunSet(a.out, runSet);
    const wallMs = Date.now() - t0;
    const summary: FastCheckSummary = {
      protocol: a.protocol,
      service: a.service ?? null,
      mutant: a.mutant ?? null,
      strategy: 'fast-check',
      seed: a.seed,
      runs: r.runs,
      events,
      violations: r.failed ? 1 : 0,
      firstViolation: r.violation ? { property: r.violation.property, message: r.violation.message, slot: r.violation.slot ?? null, file, depth: r.shrunkLength ?? 0 } : null,
      originalLength: r.originalLength,
      shrunkLength: r.shrunkLength,
      wallMs,
      eventsPerSec: perSecond(events, wallMs),
      interrupted,
      coverage: runSet.coverage,
    };
    process.stdout.write((a.json ? JSON.stringify({ ...summary, runSet: runSetFile }) : summaryText(summary, { runSet: runSetFile }).join('\n')) + '\n');
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

/** fast-check's summary: the common head, the shrink, and the coverage of every schedule run. */
type FastCheckSummary = Summary<'fast-check'> & ShrinkFacts & { readonly coverage: CoverageData };
