import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allTargets } from '../src/protocols/index.js';
import type { CoverageData } from '../src/coverage/coverage.js';
import { CoverageCollector, labelRole } from '../src/coverage/coverage.js';
import { GraphCoverage } from '../src/coverage/graph-coverage.js';
import type { RandomStrategy } from '../src/walks/randomized.js';
import { exploreTopology, systematic } from '../src/search/systematic.js';
import type { System } from '../src/kernel/types.js';
import { buildSystem } from '../src/protocols/index.js';
import { fastCheckWithCoverage, randomizedWithCoverage, systematicWithCoverage } from '../src/artifacts/explore-runset.js';
import { renderIndex } from '../src/report/index-page.js';
import type { RunSet } from '../src/artifacts/runset.js';
import { parseRunSet, readRunSets, writeRunSet } from '../src/artifacts/runset.js';
import { loadScenario } from '../src/scenario/load.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'paxcheck-strategies-'));

function paxcheck(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(__dirname, '..', 'bin', 'paxcheck.mjs'), ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The label prefixes a system may use: its agents' roles; a passive agent labels by its service. */
function roles(sys: System, service?: string): Set<string> {
  return new Set([...sys.agents.map((a) => a.role), ...sys.servers.map((s) => `server:${s.kind}`), ...(service ? [service] : [])]);
}

/** Non-empty coverage whose every label belongs to a role of the system, grouped under it. */
function expectRoleCoverage(c: CoverageData, sys: System, service?: string): void {
  const rs = roles(sys, service);
  const labelled = Object.keys(c.labels);
  expect(labelled.length).toBeGreaterThan(0);
  for (const role of labelled) {
    expect(rs.has(role), `label role ${role} in ${[...rs].join(',')}`).toBe(true);
    const ls = Object.entries(c.labels[role] ?? {});
    expect(ls.length).toBeGreaterThan(0);
    for (const [l, n] of ls) {
      expect(labelRole(l)).toBe(role);
      expect(n).toBeGreaterThan(0);
    }
  }
  expect(c.distinctStates).toBeGreaterThan(1);
  for (const o of c.messageOrders) {
    expect(c.messageKinds[o.role]).toEqual(expect.arrayContaining([o.first, o.second]));
    expect(o.first).not.toBe(o.second);
  }
  for (const k of Object.keys(c.crashPoints)) expect(k).toMatch(/^after /);
}

const budget = { crashes: 1, drops: 1 };

describe('explore strategies collect coverage', () => {
  const sc = loadScenario('default');
  const targets = [{ protocol: 'static' }, { protocol: 'disk' }, { protocol: 'passive', service: 'list' }] as const;

  for (const strategy of ['random', 'pct', 'swarm'] as const satisfies readonly RandomStrategy[]) {
    it(`${strategy}: per-role labels, faults and a valid run set for every family`, () => {
      for (const t of targets) {
        const runs = strategy === 'pct' ? 2 : 6;
        const { summary, runSet } = randomizedWithCoverage({ ...t, strategy, scenario: sc, budget, seed: 3, runs, maxSteps: 400 });
        const sys = buildSystem({ ...t, topology: runSet.topology });
        expectRoleCoverage(summary.coverage, sys, 'service' in t ? t.service : undefined);
        expect(summary.coverage.runs).toBe(summary.runs);
        expect(summary.coverage.saturation.points.at(-1)?.runs).toBe(summary.runs);
        expect(summary.coverage.interleavingClasses).toBeGreaterThan(0);
        expect(Object.keys(summary.coverage.faults).length).toBeGreaterThan(0);
        expect(runSet).toMatchObject({ kind: 'explore', strategy, protocol: t.protocol, runs: summary.runs, events: summary.events });
        expect(runSet.liveness.summary.runs).toBe(summary.runs);
        expect(parseRunSet(JSON.stringify(runSet), 'test')).toEqual(JSON.parse(JSON.stringify(runSet)));
      }
    });
  }

  it('random walks: the same seed gives the same coverage', () => {
    const o = { protocol: 'static', strategy: 'random' as const, scenario: sc, budget, seed: 5, runs: 5, maxSteps: 300 };
    expect(randomizedWithCoverage(o).summary.coverage).toEqual(randomizedWithCoverage(o).summary.coverage);
  });

  it('fast-check: every schedule it runs feeds the coverage', () => {
    const topology = exploreTopology;
    const sys = buildSystem({ protocol: 'static', topology });
    const { result, runSet } = fastCheckWithCoverage(
      { sys, budget, runs: 15, maxLength: 120, seed: 4 },
      { protocol: 'static', service: null, mutant: null, topology, file: () => null },
    );
    expect(result.failed).toBe(false);
    expectRoleCoverage(runSet.coverage, sys);
    expect(runSet.coverage.runs).toBe(15);
    expect(runSet.strategy).toBe('fast-check');
  });

  for (const strategy of ['bfs', 'dfs'] as const) {
    it(`${strategy}: coverage over the explored graph, identical when run twice`, () => {
      const o = { protocol: 'static', strategy, budget, maxBallots: 3, maxStates: 2500 };
      const a = systematicWithCoverage(o);
      const b = systematicWithCoverage(o);
      expect(a.summary.distinctStates).toBe(2500);
      const sys = buildSystem({ protocol: 'static', topology: exploreTopology });
      expectRoleCoverage(a.summary.coverage, sys);
      expect(a.summary.coverage.faults['crash']).toBeGreaterThan(0);
      expect(Object.keys(a.summary.coverage.crashPoints).length).toBeGreaterThan(0);
      // One search, no runs: no interleaving classes and no saturation curve.
      expect(a.summary.coverage.runs).toBe(1);
      expect(a.summary.coverage.interleavingClasses).toBe(0);
      expect(a.summary.coverage.saturation.points).toEqual([]);
      // The coverage counts the states the search counted, by the search's own identity.
      expect(a.summary.coverage.distinctStates).toBe(a.summary.distinctStates);
      expect(b.summary.coverage).toEqual(a.summary.coverage);
      expect({ ...b.runSet, wallMs: 0 }).toEqual({ ...a.runSet, wallMs: 0 });
      expect(a.runSet.exploration).toMatchObject({ distinctStates: 2500, generated: a.summary.generated, complete: false });
      expect(parseRunSet(JSON.stringify(a.runSet), 'test').exploration).toEqual(a.runSet.exploration);
    });
  }

  it('bfs and dfs cover every family and service with their own labels', () => {
    for (const t of allTargets()) {
      for (const strategy of ['bfs', 'dfs'] as const) {
        const { summary } = systematicWithCoverage({ ...t, strategy, budget: { crashes: 1, drops: 1, storage: 1 }, maxStates: 400 });
        expectRoleCoverage(summary.coverage, buildSystem({ ...t, topology: exploreTopology }), t.service);
      }
    }
  });

  it('bfs: a search stopped by a violation does not count the replay of its counterexample', () => {
    let graph: GraphCoverage | null = null;
    let hits = 0;
    let replayed = 0;
    let violated = false;
    const s = systematic({
      protocol: 'static',
      mutant: 'non-unique-ballot',
      strategy: 'bfs',
      budget: {},
      maxBallots: 3,
      maxStates: 5000,
      watch: (sys) => {
        const g = new GraphCoverage(new CoverageCollector(sys));
        graph = g;
        return {
          onInitial: (st, fx) => {
            hits += fx.reduce((n, f) => n + f.covers.length, 0);
            g.onInitial(st, fx);
          },
          onTransition: (from, e, fx, to) => {
            if (violated) replayed++;
            else hits += fx.covers.length;
            if (to.violation !== null) violated = true;
            g.onTransition(from, e, fx, to);
          },
        };
      },
    });
    expect(s.violations).toBe(1);
    expect(replayed).toBeGreaterThan(0);
    expect(replayed).toBe(s.firstViolation?.depth);
    const c = (graph as GraphCoverage | null)?.data();
    const total = Object.values(c?.labels ?? {}).reduce((n, ls) => n + Object.values(ls).reduce((m, x) => m + x, 0), 0);
    expect(total).toBe(hits);
  });
});

describe('explore run sets in the report', () => {
  it('paxcheck explore writes its run set under --out, and paxcheck report shows it by strategy', () => {
    const out = tmp();
    const r = paxcheck(['explore', '--protocol', 'static', '--strategy', 'random', '--runs', '4', '--max-depth', '300', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { runSet: string; coverage: CoverageData; runs: number };
    expect(existsSync(j.runSet)).toBe(true);
    expect(basename(j.runSet)).toBe('explore-static-ok-default-random-1.json');
    expect(j.coverage.runs).toBe(4);
    const b = paxcheck(['explore', '--protocol', 'static', '--strategy', 'bfs', '--max-states', '800', '--out', out]);
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/coverage: \d+ distinct states, \d+ labels over 3 roles/);
    const sets = readRunSets(out);
    expect(sets.map((s) => s.strategy).sort()).toEqual(['bfs', 'random']);
    const rep = paxcheck(['report', '--in', out, '--out', join(out, 'index.html')]);
    expect(rep.code).toBe(0);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('id="strategies"');
    const section = html.slice(html.indexOf('id="strategies"'));
    expect(section).toContain('<b>random</b>');
    expect(section).toContain('<b>bfs</b>');
    expect(section).toContain('acceptor.prepare.promised');
  });

  it('renders each strategy beside the campaign and keeps campaign and explore files apart', async () => {
    const sc = loadScenario('default');
    const sets: RunSet[] = [
      randomizedWithCoverage({ protocol: 'static', strategy: 'swarm', scenario: sc, budget, seed: 1, runs: 3 }).runSet,
      randomizedWithCoverage({ protocol: 'static', strategy: 'random', scenario: sc, budget, seed: 1, runs: 3, maxSteps: 200 }).runSet,
      systematicWithCoverage({ protocol: 'static', strategy: 'dfs', budget, maxStates: 500 }).runSet,
    ];
    const dir = tmp();
    const files = sets.map((s) => writeRunSet(dir, s));
    expect(new Set(files).size).toBe(3);
    for (const f of files) expect(basename(f)).toMatch(/^explore-static-ok-/);
    const html = await renderIndex({ runSets: readRunSets(dir), failures: [] });
    const section = html.slice(html.indexOf('id="strategies"'));
    for (const s of ['swarm', 'random', 'dfs']) expect(section).toContain(`<b>${s}</b>`);
    expect(section).toContain('Branch labels by strategy');
    expect(section).toContain('Saturation by strategy');
    expect(section).toMatch(/\d+ states, depth \d+, bounded/);
    // Explore run sets are not campaign cells: no summary row, no coverage gate input.
    expect(html).not.toContain('id="summary"');
  });
});
