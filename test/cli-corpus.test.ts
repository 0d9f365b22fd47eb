// The bad-input corpus (issue 10): every invocation a new user tried, every numeric option at 0,
// negative, non-numeric, fractional and absurdly large, each kind of broken scenario and failure
// file, unwritable output paths, options that do not apply. Each must end with its exit code,
// bad input with exactly one line on stderr, and none with a stack trace. The invocations run
// as real processes, a few at a time, before the assertions.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { failureSink } from '../src/artifacts/failure-file.js';
import { loadScenario, scenariosDir } from '../src/scenario/load.js';
import { simulate } from '../src/sim/simulate.js';
import { checkOptions } from '../src/cli/flags/check.js';
import { exploreOptions } from '../src/cli/flags/explore.js';
import { listOptions, replayOptions, reportOptions } from '../src/cli/flags/files.js';
import { simulateOptions } from '../src/cli/flags/simulate.js';
import type { CliResult } from './cli.js';
import { paxcheckAsync, pool } from './cli.js';

interface Fx {
  readonly dir: string;
  /** A plain file: a path below it cannot be created. */
  readonly file: string;
  readonly out: string;
  readonly scenario: Record<string, string>;
  readonly failure: Record<string, string>;
}

interface Case {
  readonly name: string;
  readonly args: (f: Fx) => readonly string[];
  readonly code: number;
  /** What the one stderr line (bad input) must say. */
  readonly says?: RegExp;
  readonly stdout?: RegExp;
  /** Lines on stderr (default: 1 for exit 2, else 0). */
  readonly lines?: number;
}

const bad = (name: string, args: (f: Fx) => readonly string[], says?: RegExp): Case => ({ name, args, code: 2, says });

// Every numeric option at 0, negative, non-numeric, fractional and absurdly large; `ok` lists
// the values that are valid (and quick) for that option, with the exit code they give.
function numeric(label: string, base: (f: Fx) => readonly string[], flag: string, spell: (v: string) => string = (v) => v, ok: Readonly<Record<string, number>> = {}, validLines = 0): Case[] {
  return ['0', '-1', 'abc', '1.5', '1e30'].map((v) =>
    v in ok
      ? { name: `${label} ${flag} ${spell(v)} (valid)`, args: (f: Fx) => [...base(f), flag, spell(v)], code: ok[v] as number, lines: validLines }
      : bad(`${label} ${flag} ${spell(v)}`, (f) => [...base(f), flag, spell(v)], new RegExp(flag.replace(/^--/, ''))),
  );
}

const sim = (f: Fx): string[] => ['simulate', '--protocol', 'static', '--out', f.out];
const exp = (...more: string[]) => (f: Fx): string[] => ['explore', '--protocol', 'static', ...more, '--out', f.out];
const chk = (f: Fx): string[] => ['check', '--out', f.out, '--no-mutants', '--no-liveness'];
const spec = (f: Fx): string[] => ['explore', '--protocol', 'spec-paxos', '--out', f.out];

const cases: readonly Case[] = [
  // The invocations named in the issue.
  bad('issue: simulate --runs -1', (f) => [...sim(f), '--runs', '-1'], /--runs "-1": expected an integer ≥ 1/),
  bad('issue: simulate --runs abc', (f) => [...sim(f), '--runs', 'abc'], /--runs "abc"/),
  bad('issue: check --runs -1', (f) => [...chk(f), '--runs', '-1'], /--runs "-1"/),
  bad('issue: simulate --seed 1.5', (f) => [...sim(f), '--seed', '1.5'], /--seed "1.5": expected an integer ≥ 0/),
  bad('issue: explore --max-depth abc', exp('--max-depth', 'abc'), /--max-depth "abc"/),
  bad('issue: explore --max-depth -3', exp('--max-depth', '-3'), /--max-depth "-3"/),
  bad('issue: explore --max-states -5', exp('--max-states', '-5'), /--max-states "-5"/),
  bad('issue: explore --topology acceptors=0', exp('--topology', 'acceptors=0'), /acceptors expects an integer from 1 to 9/),
  bad('issue: explore --topology acceptors=100', exp('--topology', 'acceptors=100'), /acceptors expects an integer from 1 to 9/),
  bad('issue: explore --strategy pct --depth -1', exp('--strategy', 'pct', '--depth', '-1'), /--depth "-1"/),
  bad('issue: explore --max-ballot 2 on a kernel protocol', exp('--max-ballot', '2'), /--max-ballot 2: only for --protocol spec-paxos/),
  bad('issue: simulate --runs 1e30', (f) => [...sim(f), '--runs', '1e30'], /--runs "1e30"/),
  bad('issue: explore --budget crashes=abc', exp('--budget', 'crashes=abc'), /--budget "crashes=abc": crashes expects/),
  bad('issue: explore spec-paxos --max-ballot -1', (f) => [...spec(f), '--max-ballot', '-1'], /--max-ballot "-1": expected an integer from 0 to 14/),
  bad('issue: replay --html under a file', (f) => ['replay', f.failure['good'] as string, '--html', join(f.file, 'page.html')], /--html .*cannot write there/),
  bad('issue: report --out under a file', (f) => ['report', '--in', f.out, '--out', join(f.file, 'index.html')], /--out .*cannot write there/),
  bad('issue: report --in a file', (f) => ['report', '--in', f.file, '--out', join(f.dir, 'r.html')], /--in .*a file, not a result folder/),
  bad('issue: replay: two choices swapped', (f) => ['replay', f.failure['swapped'] as string], /checksum mismatch.*re-run the recorded seed instead: (npx )?paxcheck simulate/),
  bad('issue: replay: a packet seq edited', (f) => ['replay', f.failure['seq'] as string], /step \d+ of \d+: no packet #99999 in flight.*re-run the recorded seed instead/),
  bad('issue: replay: choice list cut', (f) => ['replay', f.failure['truncated'] as string], /not a JSON failure file \(truncated or not JSON\); re-run the recorded seed instead: .*simulate/),
  bad('issue: replay: version 9.9.9 edited in', (f) => ['replay', f.failure['version'] as string], /checksum mismatch/),

  // Every numeric option: 0, negative, non-numeric, fractional, absurdly large. (--runs and
  // --seed are one field shared by every command: simulate stands for them; explore and check
  // get the cases that differ.)
  ...numeric('simulate', sim, '--runs'),
  ...numeric('simulate', (f) => [...sim(f), '--runs', '1'], '--seed', undefined, { '0': 0 }),
  bad('check --runs 0', (f) => [...chk(f), '--runs', '0'], /--runs "0"/),
  bad('check --seed abc', (f) => [...chk(f), '--seed', 'abc'], /--seed "abc"/),
  bad('explore random --runs 1.5', exp('--strategy', 'random', '--runs', '1.5'), /--runs "1.5"/),
  { name: 'explore random --seed 0 (valid)', args: exp('--strategy', 'random', '--runs', '1', '--seed', '0'), code: 0 },
  ...numeric('explore pct', exp('--strategy', 'pct'), '--depth'),
  ...numeric('explore', exp(), '--workers'),
  ...numeric('explore', exp(), '--max-depth'),
  ...numeric('explore', exp(), '--max-states'),
  ...numeric('explore spec-paxos', spec, '--max-ballot', undefined, { '0': 0 }),
  // The state bound ends the valid run, which says so in one stderr line.
  ...numeric('explore', exp('--max-states', '20'), '--budget', (v) => `drops=${v}`, { '0': 0 }, 1),
  ...numeric('explore', exp(), '--topology', (v) => `acceptors=${v}`),
  ...['0/0', '-1/2', 'a/b', '1.5/2', '2/2', '1e30/2'].map((v) => bad(`simulate --shard ${v}`, (f) => [...sim(f), '--shard', v], /--shard/)),

  // Broken scenario files.
  ...['not-json', 'wrong-type', 'unknown-field', 'out-of-range', 'empty', 'missing', 'folder'].map((k) =>
    bad(`scenario file: ${k}`, (f) => [...sim(f), '--runs', '1', '--scenario', f.scenario[k] as string], /scenario|\.json/),
  ),
  bad('unknown built-in scenario', (f) => [...sim(f), '--scenario', 'nosuch'], /unknown scenario "nosuch"/),

  // Broken failure files, and the ones that replay.
  ...['wrong-format', 'folder', 'empty', 'missing', 'array', 'unknown-protocol', 'bad-field'].map((k) => bad(`replay: ${k}`, (f) => ['replay', f.failure[k] as string])),
  { name: 'replay: the recorded violation reproduces', args: (f) => ['replay', f.failure['good'] as string], code: 1, stdout: /matches the recorded one/ },
  { name: 'replay --json: reproduced', args: (f) => ['replay', f.failure['good'] as string, '--json'], code: 1, stdout: /"outcome":"violation"/ },
  { name: 'replay: an older file without a checksum', args: (f) => ['replay', f.failure['unchecked'] as string], code: 1 },
  { name: 'replay: every choice applies, no violation (the bug is gone)', args: (f) => ['replay', f.failure['gone'] as string], code: 0, stdout: /the bug no longer reproduces/ },
  { name: 'replay: another version is stated', args: (f) => ['replay', f.failure['other-version'] as string], code: 1, lines: 1 },

  // Output paths that cannot be written.
  bad('simulate --out under a file', (f) => ['simulate', '--protocol', 'static', '--out', join(f.file, 'x')], /--out .*cannot write there/),
  bad('explore --out under a file', (f) => ['explore', '--protocol', 'static', '--out', join(f.file, 'x')], /--out .*cannot write there/),
  bad('check --out under a file', (f) => ['check', '--out', join(f.file, 'x')], /--out .*cannot write there/),
  bad('replay --html a folder', (f) => ['replay', f.failure['good'] as string, '--html', f.dir], /--html .*it is a folder/),
  bad('report --out a folder', (f) => ['report', '--in', f.out, '--out', f.dir], /--out .*it is a folder/),
  bad('report --out in /proc', (f) => ['report', '--in', f.out, '--out', '/proc/paxcheck/index.html'], /--out .*cannot write there/),
  bad('report --in a missing folder', (f) => ['report', '--in', join(f.dir, 'nope')], /no result folder/),
  bad('check --thresholds missing file', (f) => [...chk(f), '--thresholds', join(f.dir, 'nope.json')], /cannot read coverage thresholds/),

  // Options that do not apply to the protocol or strategy: refused, never ignored.
  bad('explore bfs --seed', exp('--seed', '3'), /--seed: only for pct\|random\|swarm\|fast-check/),
  bad('explore bfs --runs', exp('--runs', '3'), /--runs: only for/),
  bad('explore random --depth', exp('--strategy', 'random', '--depth', '2'), /--depth: only for pct/),
  bad('explore dfs --workers', exp('--strategy', 'dfs', '--workers', '2'), /--workers: only for bfs/),
  bad('explore dfs --shard', exp('--strategy', 'dfs', '--shard', '0/2'), /--shard: only for/),
  bad('explore fast-check --shard', exp('--strategy', 'fast-check', '--shard', '0/2'), /--shard: only for/),
  bad('explore bfs --scenario', exp('--scenario', 'calm'), /--scenario: only for pct\|random\|swarm/),
  bad('explore swarm --budget', exp('--strategy', 'swarm', '--budget', 'drops=1'), /--budget: only for/),
  bad('explore random --budget ballots', exp('--strategy', 'random', '--budget', 'ballots=2'), /ballots=N: only for bfs\|dfs/),
  bad('explore random --por', exp('--strategy', 'random', '--por'), /--por: only for bfs\|dfs/),
  bad('explore random --atomic-ops', exp('--strategy', 'random', '--atomic-ops'), /only for bfs\/dfs in one process/),
  bad('explore --eager-writes --workers', exp('--eager-writes', '--workers', '2'), /only for bfs\/dfs in one process/),
  bad('explore static --topology servers', exp('--topology', 'servers=2'), /static has no servers/),
  bad('explore spec-paxos --mutant', (f) => [...spec(f), '--mutant', 'no-adopt'], /does not apply to spec-paxos/),
  bad('explore spec-paxos --topology', (f) => [...spec(f), '--topology', 'acceptors=3'], /does not apply to spec-paxos/),
  bad('explore spec-paxos --strategy random', (f) => [...spec(f), '--strategy', 'random'], /bfs or dfs only/),
  bad('explore spec-paxos --por', (f) => [...spec(f), '--por'], /without reductions/),
  bad('simulate --protocol all --mutant', (f) => ['simulate', '--protocol', 'all', '--mutant', 'no-adopt', '--out', f.out], /cannot be combined with --protocol all/),
  bad('simulate --protocol all --service', (f) => ['simulate', '--protocol', 'all', '--service', 'cas', '--out', f.out], /drop --service/),

  // Names, flags and commands that do not exist.
  bad('unknown option', () => ['list', '--bogus'], /bogus/),
  bad('unknown command', () => ['frobnicate'], /frobnicate/),
  bad('missing --protocol', (f) => ['simulate', '--out', f.out], /protocol/),
  bad('--runs given twice', (f) => [...sim(f), '--runs', '2', '--runs', '3'], /--runs was given 2 times/),
  bad('--runs without a value', (f) => [...sim(f), '--runs'], /runs/),
  bad('unknown strategy', exp('--strategy', 'bogo'), /--strategy "bogo": expected one of/),
  bad('unknown protocol', (f) => ['simulate', '--protocol', 'nosuch', '--out', f.out], /unknown protocol "nosuch"/),
  bad('unknown mutant', (f) => [...sim(f), '--mutant', 'nosuch'], /unknown mutant "nosuch"/),
  bad('passive without --service', (f) => ['simulate', '--protocol', 'passive', '--out', f.out], /needs --service/),
  bad('unknown topology key', exp('--topology', 'nodes=3'), /unknown key "nodes"/),
  bad('empty --budget', exp('--budget', ''), /--budget/),

  // paxcheck run: the same field rules as every other command, before any process starts.
  bad('run --duration given twice', (f) => ['run', '--service', 'list', '--duration', '1s', '--duration', '2s', '--out', f.out], /--duration was given 2 times/),
  bad('run --duration abc', (f) => ['run', '--service', 'list', '--duration', 'abc', '--out', f.out], /--duration "abc": expected a duration/),
  bad('run --agents 0', (f) => ['run', '--service', 'list', '--agents', '0', '--out', f.out], /--agents "0": expected an integer from 1 to 16/),
  bad('run --servers 1.5', (f) => ['run', '--service', 'list', '--servers', '1.5', '--out', f.out], /--servers "1.5"/),
  bad('run --service nope', (f) => ['run', '--service', 'nope', '--out', f.out], /--service "nope": expected one of list, cas, register/),
  bad('run without --service', (f) => ['run', '--out', f.out], /run needs --service/),
  bad('run --nemesis bogus', (f) => ['run', '--service', 'cas', '--nemesis', 'kill,bogus', '--out', f.out], /unknown nemesis "bogus"/),
  bad('run --store mysql', (f) => ['run', '--service', 'cas', '--store', 'mysql', '--out', f.out], /--store must be dir\|sqlite\|redis/),
  bad('run --protocol static', (f) => ['run', '--protocol', 'static', '--service', 'cas', '--out', f.out], /--protocol passive only/),
  bad('run --seed -1', (f) => ['run', '--service', 'cas', '--seed', '-1', '--out', f.out], /--seed "-1"/),
  bad('run --out unwritable', (f) => ['run', '--service', 'cas', '--out', f.file + '/x'], /--out .*cannot write there/),

  // Help documents the contract: defaults and exit codes in every command's help.
  ...['check', 'list', 'simulate', 'explore', 'replay', 'report', 'run'].map((c): Case => ({ name: `${c} --help`, args: () => [c, '--help'], code: 0, stdout: /\[default:[\s\S]*Exit status:[\s\S]*130 +interrupted/ })),
];

function fixtures(): Fx {
  const dir = mkdtempSync(join(tmpdir(), 'paxcheck-corpus-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a folder\n');
  const out = join(dir, 'out');
  mkdirSync(out);
  const scenario = scenarioFiles(dir);
  return { dir, file, out, scenario, failure: failureFiles(dir) };
}

function scenarioFiles(dir: string): Record<string, string> {
  const base = JSON.parse(readFileSync(join(scenariosDir, 'default.json'), 'utf8')) as Record<string, unknown>;
  const write = (name: string, text: string): string => {
    const p = join(dir, `${name}.json`);
    writeFileSync(p, text);
    return p;
  };
  const folder = join(dir, 'folder-scenario.json');
  mkdirSync(folder);
  return {
    'not-json': write('not-json', '{ nope'),
    'wrong-type': write('wrong-type', JSON.stringify({ ...base, runs: 'many' })),
    'unknown-field': write('unknown-field', JSON.stringify({ ...base, colour: 'blue' })),
    'out-of-range': write('out-of-range', JSON.stringify({ ...base, network: { ...(base['network'] as object), drop: 2 } })),
    empty: write('empty', ''),
    missing: join(dir, 'missing-scenario.json'),
    folder,
  };
}

function failureFiles(dir: string): Record<string, string> {
  const s = simulate({ protocol: 'static', mutant: 'no-adopt', scenario: loadScenario('default'), seed: 1, runs: 20, record: failureSink(join(dir, 'found')) });
  const good = s.firstViolation?.file;
  if (!good) throw new Error('corpus fixture: the mutant was not caught');
  const text = readFileSync(good, 'utf8');
  const f = JSON.parse(text) as Record<string, unknown> & { choices: unknown[]; violation: { step: number } };
  const { checksum: _c, ...unchecked } = f;
  const write = (name: string, content: string): string => {
    const p = join(dir, `${name}.json`);
    writeFileSync(p, content);
    return p;
  };
  const json = (o: unknown): string => JSON.stringify(o, null, 1);
  const swapped = [...f.choices];
  [swapped[10], swapped[11]] = [swapped[11], swapped[10]];
  const seq = [...f.choices];
  seq[20] = { k: 'deliver', seq: 99999 };
  const folder = join(dir, 'folder-failure.json');
  mkdirSync(folder);
  return {
    good,
    swapped: write('swapped', json({ ...f, choices: swapped })),
    seq: write('seq', json({ ...unchecked, choices: seq })),
    truncated: write('truncated', text.slice(0, Math.floor(text.length / 2))),
    version: write('version', json({ ...f, version: '9.9.9' })),
    'other-version': write('other-version', json({ ...unchecked, version: '9.9.9' })),
    unchecked: write('unchecked', json(unchecked)),
    gone: write('gone', json({ ...unchecked, choices: f.choices.slice(0, f.violation.step - 1) })),
    'wrong-format': write('wrong-format', json({ ...unchecked, format: 2 })),
    'unknown-protocol': write('unknown-protocol', json({ ...unchecked, protocol: 'nosuch' })),
    'bad-field': write('bad-field', json({ ...unchecked, seed: 'one' })),
    array: write('array', '[1, 2, 3]'),
    empty: write('empty-failure', ''),
    missing: join(dir, 'missing-failure.json'),
    folder,
  };
}

const nonEmpty = (s: string): string[] => s.split('\n').filter((l) => l.trim() !== '');

describe('every option of every command is described, with its default', () => {
  const commands = { check: checkOptions, simulate: simulateOptions, explore: exploreOptions, list: listOptions, replay: replayOptions, report: reportOptions };
  it.each(Object.entries(commands))('%s', (_name, options) => {
    for (const [flag, o] of Object.entries(options)) {
      expect(o.describe, flag).toBeTruthy();
      if (!o.demandOption) expect(o.default !== undefined || o.defaultDescription !== undefined, `${flag} states its default`).toBe(true);
    }
  });
});

describe(`the bad-input corpus (${cases.length} invocations)`, () => {
  const results = new Map<string, CliResult>();

  beforeAll(async () => {
    const f = fixtures();
    const width = Math.max(2, availableParallelism() + 1);
    // No progress lines: on a busy machine a valid case may pass the two-second mark.
    const quiet = { PAXCHECK_PROGRESS_AFTER_MS: '3600000' };
    const got = await pool(cases.map((c) => () => paxcheckAsync(c.args(f), f.dir, 30_000, quiet)), width);
    cases.forEach((c, i) => results.set(c.name, got[i] as CliResult));
  }, 240_000);

  it('has at least 75 invocations, each named once', () => {
    expect(cases.length).toBeGreaterThanOrEqual(75);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = results.get(c.name) as CliResult;
    const detail = `stderr: ${r.stderr}\nstdout: ${r.stdout.slice(0, 400)}`;
    expect(r.code, detail).toBe(c.code);
    const lines = nonEmpty(r.stderr);
    expect(lines, detail).toHaveLength(c.lines ?? (c.code === 2 ? 1 : 0));
    expect(r.stderr, detail).not.toMatch(/^\s+at .+[:(]\d+:\d+\)?$/m);
    if (c.code === 2) {
      expect(lines[0], detail).toMatch(/^paxcheck: /);
      expect(r.stdout, detail).toBe('');
    }
    if (c.says) expect(lines[0], detail).toMatch(c.says);
    if (c.stdout) expect(r.stdout, detail).toMatch(c.stdout);
  });
});
