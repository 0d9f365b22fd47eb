import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../errors.js';
import { checkArgs, checkOptions } from './flags/check.js';
import { EXIT_CODES_HELP } from './flags/common.js';
import { exploreArgs, exploreOptions } from './flags/explore.js';
import { listArgs, listOptions, replayArgs, replayOptions, reportArgs, reportOptions } from './flags/files.js';
import { simulateArgs, simulateOptions } from './flags/simulate.js';
import { runArgs, runOptions } from './flags/run.js';
import { badInput, fail, installFatalHandlers } from './fatal.js';
import { loadUserModules } from './user-modules.js';

installFatalHandlers();

// Command modules are loaded when their command runs: bad input is refused (by the schemas in
// flags/) before the engines, protocols and chart renderer are even loaded.

/** Runs a command; its number is the exit code, and any error ends the process through fail(). */
async function run(job: () => number | Promise<number>): Promise<void> {
  let code: number;
  try {
    code = await job();
  } catch (err) {
    fail(err);
  }
  process.exitCode = code;
}

let args: string[];
try {
  args = await loadUserModules(hideBin(process.argv));
} catch (err) {
  fail(err);
}

await yargs(args)
  .scriptName('paxcheck')
  .command(
    'check',
    'the main job: every protocol × scenario, every mutant; summary table and reports/',
    (y) => y.options(checkOptions).epilog(EXIT_CODES_HELP),
    (a) => run(async () => (await import('./commands/check.js')).checkCommand(checkArgs(a))),
  )
  .command(
    'list',
    'protocols (spec-paxos included), services, mutants, scenarios, properties, strategies',
    (y) => y.options(listOptions).epilog(EXIT_CODES_HELP),
    (a) => run(async () => (await import('./commands/list.js')).listCommand(listArgs(a).json)),
  )
  .command(
    'simulate',
    'seeded random timed runs of one protocol (or all) under one scenario',
    (y) => y.options(simulateOptions).epilog(EXIT_CODES_HELP),
    (a) => run(async () => (await import('./commands/simulate.js')).simulateCommand(simulateArgs(a))),
  )
  .command(
    'explore',
    'systematic search (bfs|dfs) of the untimed world within fault budgets, or randomized strategies (pct|random|swarm|fast-check)',
    (y) => y.options(exploreOptions).epilog(EXIT_CODES_HELP),
    (a) => run(async () => (await import('./commands/explore.js')).exploreCommand(exploreArgs(a))),
  )
  .command(
    'replay <file>',
    're-execute a failure file, verify its checksum and fingerprint, print the trace',
    (y) => y.positional('file', { type: 'string', demandOption: true, describe: 'a failure file (reports/failures/*.json)' }).options(replayOptions).epilog(EXIT_CODES_HELP),
    (a) => run(async () => (await import('./commands/replay.js')).replayCommand(replayArgs(a))),
  )
  .command(
    'report',
    'merge result folders (run sets, shards, failure files) into one self-contained HTML report',
    (y) => y.options(reportOptions).epilog(EXIT_CODES_HELP),
    (a) => run(async () => (await import('./commands/report.js')).reportCommand(reportArgs(a))),
  )
  .command(
    'run',
    'the passive agents as real processes over real stores under a nemesis; the history is checked',
    (y) =>
      y
        .options(runOptions)
        .epilog(EXIT_CODES_HELP),
    // Loaded on use: the runtime pulls in process and store machinery the other commands never need.
    (a) => run(async () => (await import('./commands/run.js')).runCommand(runArgs(a))),
  )
  .demandCommand(1, 'name a command: check, list, simulate, explore, replay, report, run')
  // Values reach the option schemas (flags/) as typed, so that "--runs abc" is reported as such.
  .parserConfiguration({ 'parse-numbers': false, 'parse-positional-numbers': false })
  .strict()
  .help()
  .epilog(EXIT_CODES_HELP)
  .wrap(Math.min(120, process.stdout.columns ?? 100))
  .fail((msg, err) => {
    // yargs reports its own usage errors (a missing value, an unknown argument) as YError.
    if (err && !(err instanceof InputError) && err.name !== 'YError') fail(err);
    badInput(msg || err?.message || 'bad input');
  })
  .parseAsync();
