import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../errors.js';
import { checkCommand } from './commands/check.js';
import { exploreCommand } from './commands/explore.js';
import { listCommand } from './commands/list.js';
import { replayCommand } from './commands/replay.js';
import { reportCommand } from './commands/report.js';
import { simulateCommand } from './commands/simulate.js';

/** Bad input: one line on stderr, exit 2 (DESIGN §5). */
function badInput(message: string): never {
  process.stderr.write(`paxcheck: ${message.split('\n')[0]}\n`);
  process.exit(2);
}

async function run(job: () => number | Promise<number>): Promise<void> {
  let code: number;
  try {
    code = await job();
  } catch (err) {
    if (err instanceof InputError) badInput(err.message);
    throw err;
  }
  process.exitCode = code;
}

const seedOption = { type: 'number', default: 1, describe: 'root seed' } as const;

await yargs(hideBin(process.argv))
  .scriptName('paxcheck')
  .command(
    'check',
    'the main job: every protocol × scenario, every mutant; summary table and reports/',
    (y) =>
      y
        .option('seed', seedOption)
        .option('runs', { type: 'number', describe: 'runs per cell (default: each scenario’s own)' })
        .option('out', { type: 'string', default: 'reports', describe: 'report folder' })
        .option('mutants', { type: 'boolean', default: true, describe: 'also hunt every mutant (each must be caught)' })
        .option('thresholds', { type: 'string', describe: 'coverage gate file (default: coverage-thresholds.json unless --runs is given)' })
        .option('liveness', { type: 'boolean', default: true, describe: 'contention sweep and FLP adversary for the report' })
        .option('json', { type: 'boolean', default: false }),
    (a) => run(() => checkCommand({ seed: a.seed, runs: a.runs, out: a.out, mutants: a.mutants, json: a.json, thresholds: a.thresholds, liveness: a.liveness })),
  )
  .command(
    'list',
    'protocols, services, mutants, scenarios, properties, strategies',
    (y) => y.option('json', { type: 'boolean', default: false }),
    (a) => run(() => listCommand(a.json)),
  )
  .command(
    'simulate',
    'seeded random timed runs of one protocol under one scenario',
    (y) =>
      y
        .option('protocol', { type: 'string', demandOption: true })
        .option('service', { type: 'string' })
        .option('mutant', { type: 'string' })
        .option('scenario', { type: 'string', default: 'default', describe: 'built-in name or JSON file' })
        .option('seed', seedOption)
        .option('runs', { type: 'number' })
        .option('shard', { type: 'string', describe: 'i/n: run only seeds with run % n = i' })
        .option('out', { type: 'string', default: 'reports' })
        .option('json', { type: 'boolean', default: false }),
    (a) =>
      run(() =>
        simulateCommand({
          protocol: a.protocol,
          service: a.service,
          mutant: a.mutant,
          scenario: a.scenario,
          seed: a.seed,
          runs: a.runs,
          shard: a.shard,
          out: a.out,
          json: a.json,
        }),
      ),
  )
  .command(
    'explore',
    'systematic search (bfs|dfs) of the untimed world within fault budgets',
    (y) =>
      y
        .option('protocol', { type: 'string', demandOption: true })
        .option('service', { type: 'string' })
        .option('mutant', { type: 'string' })
        .option('strategy', { type: 'string', default: 'bfs', describe: 'bfs|dfs|pct|random|swarm|fast-check' })
        .option('seed', seedOption)
        .option('runs', { type: 'number', describe: 'pct|random|swarm: number of runs' })
        .option('scenario', { type: 'string', default: 'default', describe: 'swarm: base scenario; pct/random: topology' })
        .option('depth', { type: 'number', describe: 'pct: bug depth d' })
        .option('shard', { type: 'string', describe: 'i/n: pct|random|swarm runs with run % n = i; bfs: every nth state of the split frontier (merge with report --in)' })
        .option('workers', { type: 'number', describe: 'bfs: worker threads (states owned by fingerprint)' })
        .option('max-depth', { type: 'number' })
        .option('max-states', { type: 'number' })
        .option('max-ballot', { type: 'number', describe: 'spec-paxos: Ballot = 0..N' })
        .option('budget', { type: 'string', describe: 'crashes=1,drops=2,dups=1,partitions=0,downs=0,storage=0; bfs/dfs also ballots=3 (distinct ballots), timers=N (timer firings per node)' })
        .option('topology', { type: 'string', describe: 'proposers=2,acceptors=3,learners=1,servers=3,commands=2' })
        .option('eager-writes', { type: 'boolean', describe: 'bfs/dfs: durable writes complete as soon as issued (reaches deeper bugs; covers only those schedules)' })
        .option('atomic-ops', { type: 'boolean', describe: 'bfs/dfs: a storage operation and its reply are one step (reaches deeper bugs; covers only those schedules)' })
        .option('quiet-timers', { type: 'boolean', describe: 'bfs/dfs: a timer fires only at a node with nothing in flight and no write pending (no premature timeouts; covers only those schedules)' })
        .option('por', { type: 'boolean', describe: 'bfs/dfs: sleep-set partial-order reduction (default on; off for spec-paxos; --no-por turns it off)' })
        .option('symmetry', { type: 'boolean', describe: 'bfs/dfs: symmetry reduction over interchangeable acceptors/disks/servers (default on; off for spec-paxos; --no-symmetry turns it off)' })
        .option('out', { type: 'string', default: 'reports' })
        .option('json', { type: 'boolean', default: false }),
    (a) =>
      run(() =>
        exploreCommand({
          protocol: a.protocol,
          service: a.service,
          mutant: a.mutant,
          strategy: a.strategy,
          maxDepth: a.maxDepth,
          maxStates: a.maxStates,
          maxBallot: a.maxBallot,
          budget: a.budget,
          topology: a.topology,
          eagerWrites: a.eagerWrites,
          atomicOps: a.atomicOps,
          quietTimers: a.quietTimers,
          out: a.out,
          json: a.json,
          seed: a.seed,
          runs: a.runs,
          scenario: a.scenario,
          depth: a.depth,
          shard: a.shard,
          workers: a.workers,
          por: a.por,
          symmetry: a.symmetry,
        }),
      ),
  )
  .command(
    'replay <file>',
    're-execute a failure file, verify its fingerprint, print the trace',
    (y) =>
      y
        .positional('file', { type: 'string', demandOption: true })
        .option('trace', { type: 'boolean', default: false, describe: 'print every step' })
        .option('html', { type: 'string', describe: 'write the single-failure page' })
        .option('json', { type: 'boolean', default: false }),
    (a) => run(() => replayCommand({ file: a.file, trace: a.trace, json: a.json, html: a.html })),
  )
  .command(
    'report',
    'merge result folders (run sets, failure files) into one self-contained HTML report',
    (y) =>
      y
        .option('in', { type: 'string', array: true, default: ['reports'], describe: 'result folder(s) to read (repeatable)' })
        .option('out', { type: 'string', default: 'reports/index.html', describe: 'HTML file to write' })
        .option('suggest-thresholds', { type: 'boolean', default: false, describe: 'print coverage thresholds these results meet (for coverage-thresholds.json)' })
        .option('json', { type: 'boolean', default: false }),
    (a) => run(() => reportCommand({ in: a.in, out: a.out, json: a.json, suggestThresholds: a.suggestThresholds })),
  )
  .demandCommand(1, 'name a command: check, list, simulate, explore, replay, report')
  .strict()
  .help()
  .fail((msg, err) => {
    if (err && !(err instanceof InputError)) throw err;
    badInput(msg || err?.message || 'bad input');
  })
  .parseAsync();
