import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// paxcheck as a user gets it: `npm pack`, installed into a fresh project made with `npm init -y`
// (a CommonJS package, so a `.ts` protocol there is compiled as CommonJS), used there through
// its public entry points and its installed CLI only. One install serves every test below.
// No registry, no test: an install that fails fails the suite.

const root = join(__dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'paxcheck-package-'));
const project = join(tmp, 'project');
let shipped: string[] = [];

// The child vitest and CLI runs must not inherit this vitest's worker variables or a CI matrix's
// seed overrides: they are a user's fresh shell.
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !k.startsWith('PAXCHECK_') && k !== 'FORCE_COLOR')),
  NO_COLOR: '1',
};

function run(cmd: string, args: readonly string[], cwd = project): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const npx = (...args: string[]) => run('npx', args);

beforeAll(() => {
  // dist/ is fresh (test/global-setup.ts built it); `prepare` would only build it again.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp, '--json'], { cwd: root, env, encoding: 'utf8' })) as {
    filename: string;
    files: { path: string }[];
  }[];
  const [info] = packed;
  if (!info) throw new Error('npm pack printed no tarball');
  shipped = info.files.map((f) => f.path);
  const vitest = (JSON.parse(readFileSync(join(root, 'node_modules', 'vitest', 'package.json'), 'utf8')) as { version: string }).version;
  mkdirSync(project);
  execFileSync('npm', ['init', '-y'], { cwd: project, env, stdio: 'ignore' });
  // --ignore-scripts: the tarball needs none (dist/ is inside; npm runs no `prepare` for a
  // tarball), and the one native dependency, better-sqlite3 (only `paxcheck run --store sqlite`
  // loads it), would spend over a minute compiling here without being used.
  execFileSync('npm', ['install', join(tmp, info.filename), `vitest@${vitest}`, '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], {
    cwd: project,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  for (const f of ['protocol.ts', 'protocol.spec.ts']) copyFileSync(join(root, 'test', 'fixtures', 'package-user', f), join(project, f));
  // The examples are not in the package (they import it by name, which from the repository
  // resolves to the repository itself): a user copies one into their project.
  copyFileSync(join(root, 'examples', 'single-decree', 'protocol.ts'), join(project, 'single-decree.ts'));
}, 240_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the packed package, installed into a fresh project', () => {
  test('ships the compiled entry points, the CLI, the scenarios and the docs, and nothing of the tests', () => {
    for (const f of ['package.json', 'README.md', 'bin/paxcheck.mjs', 'dist/index.js', 'dist/index.d.ts', 'dist/vitest.js', 'dist/vitest.d.ts', 'dist/cli/main.js', 'scenarios/default.json', 'docs/api.md']) {
      expect(shipped).toContain(f);
    }
    expect(shipped.filter((f) => /(^|\/)(test|bench|examples|node_modules|reports)\/|\.(test|spec)\.ts$/.test(f))).toEqual([]);
    expect(shipped).not.toContain('bin/run-ts.mjs');
    // Every compiled file has its source (tsc never deletes output: a file removed from src/ leaves
    // a stale one in dist/ until dist/ is rebuilt from scratch), and every map names sources held.
    const stale = shipped.filter((f) => /^dist\/.*\.js$/.test(f) && !shipped.includes(f.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')));
    expect(stale, 'stale build output in dist/: rm -rf dist && npm run build').toEqual([]);
    const pkg = join(project, 'node_modules', 'paxcheck');
    const maps = shipped.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const dangling = maps.flatMap((m) => {
      const { sources } = JSON.parse(readFileSync(join(pkg, m), 'utf8')) as { sources: string[] };
      return sources.map((s) => resolve(dirname(join(pkg, m)), s)).filter((s) => !existsSync(s));
    });
    expect(dangling).toEqual([]);
  });

  test('a vitest suite importing paxcheck and paxcheck/vitest: the correct variant holds, the buggy one fails with a replay command, checkParallel agrees on two threads', () => {
    const r = npx('vitest', 'run');
    expect(r.stdout + r.stderr).toMatch(/Tests\s+\S*3 passed/);
    expect(r.code).toBe(0);
    expect(readFileSync(join(project, 'replay-command.txt'), 'utf8')).toMatch(/^npx paxcheck replay reports\/failures\/\S+\.json$/);
  });

  test('the replay command the failing check printed reproduces it with the installed CLI (exit 1)', () => {
    const command = readFileSync(join(project, 'replay-command.txt'), 'utf8').trim().split(' ');
    expect(command.slice(0, 3)).toEqual(['npx', 'paxcheck', 'replay']);
    const r = npx(...command.slice(1));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/VIOLATION at step \d+: agreement/);
    expect(r.stdout).toContain('matches the recorded one');
  });

  test('simulate and bfs explore a .ts protocol module (tsx from the installed package)', () => {
    const sim = npx('paxcheck', 'simulate', '--protocol', './protocol.ts', '--runs', '20');
    expect(sim.stderr).toBe('');
    expect(sim.code).toBe(0);
    expect(sim.stdout).toContain('no violation');
    const bfs = npx('paxcheck', 'explore', '--protocol', './protocol.ts', '--strategy', 'bfs', '--budget', 'crashes=1,drops=1', '--json');
    expect(bfs.code).toBe(0);
    expect(JSON.parse(bfs.stdout)).toMatchObject({ protocol: 'write-once', violations: 0, complete: true });
  });

  test('an example protocol copied into the project: simulate, and bfs to completion', () => {
    const sim = npx('paxcheck', 'simulate', '--protocol', './single-decree.ts', '--runs', '20');
    expect(sim.code).toBe(0);
    expect(sim.stdout).toContain('single-decree scenario=default seed=1');
    const bfs = npx('paxcheck', 'explore', '--protocol', './single-decree.ts', '--strategy', 'bfs', '--topology', 'acceptors=2', '--budget', 'crashes=1,timers=0', '--json');
    expect(bfs.code).toBe(0);
    expect(JSON.parse(bfs.stdout)).toMatchObject({ protocol: 'single-decree', violations: 0, complete: true });
  });
});
