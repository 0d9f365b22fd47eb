import { failuresIn } from '../src/artifacts/failure-file.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaign } from '../src/campaign/campaign.js';
import { simulate, topologyOf } from '../src/sim/simulate.js';
import { CheckRecorder, writeCheckReport } from '../src/campaign/check-report.js';
import { readFailure } from '../src/artifacts/failure-file.js';
import { evaluateGate, parseThresholds, suggestThresholds } from '../src/artifacts/gate.js';
import { renderIndex } from '../src/report/index-page.js';
import type { RunSet } from '../src/artifacts/runset.js';
import { mergeRunSets, parseRunSet, readRunSets, RunSetRecorder, writeRunSet } from '../src/artifacts/runset.js';
import { diff } from '../src/report/state-diff.js';
import { loadScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/schema.js';
import { registerTiny, scenario } from './report-fixture.js';

registerTiny();

function paxcheck(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(__dirname, '..', 'bin', 'paxcheck.mjs'), ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'paxcheck-report-'));

function runSet(sc: Scenario, o: { mutant?: string; shard?: { index: number; count: number }; runs?: number; outDir?: string } = {}): RunSet {
  let rec: RunSetRecorder | null = null;
  const s = simulate({ protocol: 'tiny', mutant: o.mutant, scenario: sc, seed: 1, runs: o.runs ?? sc.runs, shard: o.shard, keepGoing: true, record: failuresIn(o.outDir), observer: (sys) => (rec = new RunSetRecorder(sys)) });
  const r = rec as RunSetRecorder | null;
  if (!r) throw new Error('no recorder');
  return r.toRunSet({ kind: o.mutant ? 'mutant' : 'campaign', protocol: 'tiny', mutant: o.mutant ?? null, strategy: 'random', scenario: sc.name, seed: 1, shard: o.shard ?? null, topology: topologyOf(sc), interrupted: s.interrupted, wallMs: s.wallMs, firstViolation: s.firstViolation });
}

describe('run-set files', () => {
  const sc = scenario({ runs: 30 });

  it('round-trip through JSON and validate', () => {
    const dir = tmp();
    const r = runSet(sc);
    const path = writeRunSet(dir, r);
    expect(path).toMatch(/runs\/tiny-ok-tiny-random-1\.json$/);
    expect(readRunSets(dir)).toEqual([r]);
    expect(r.runs).toBe(30);
    expect(r.liveness.summary.runs).toBe(30);
    expect(r.liveness.latency.reduce((n, [, k]) => n + k, 0)).toBe(r.liveness.summary.decided);
    expect(r.liveness.ballots.reduce((n, [, k]) => n + k, 0)).toBe(30);
    expect(() => parseRunSet('{"format":"paxcheck-runset/1"}', 'x.json')).toThrow(/x\.json: invalid run set, field "version"/);
  });

  it('shards merge to what the unsharded run set reports (states: an upper bound)', () => {
    const whole = runSet(sc);
    const merged = mergeRunSets([runSet(sc, { shard: { index: 1, count: 2 } }), runSet(sc, { shard: { index: 0, count: 2 } })]);
    expect(merged.runs).toBe(whole.runs);
    expect(merged.events).toBe(whole.events);
    expect(merged.liveness.summary.decided).toBe(whole.liveness.summary.decided);
    expect(merged.liveness.ballots).toEqual(whole.liveness.ballots);
    expect(merged.liveness.latency).toEqual(whole.liveness.latency);
    expect(merged.coverage.labels).toEqual(whole.coverage.labels);
    expect(merged.coverage.crashPoints).toEqual(whole.coverage.crashPoints);
    expect(merged.coverage.faults).toEqual(whole.coverage.faults);
    expect(merged.coverage.messageOrders).toEqual(whole.coverage.messageOrders);
    expect(merged.coverage.distinctStates).toBeGreaterThanOrEqual(whole.coverage.distinctStates);
    // The same shard read from two folders counts once.
    expect(mergeRunSets([whole, whole]).runs).toBe(whole.runs);
  });
});

describe('coverage gate', () => {
  const sets = [runSet(scenario({ runs: 30 }))];

  it('passes at what was reached and fails, one line per shortfall, beyond it', () => {
    const reached = suggestThresholds(sets);
    const t = reached['tiny'];
    if (!t) throw new Error('no tiny thresholds');
    expect(t.labels).toContain('acceptor.prepare.promised');
    expect(evaluateGate(reached, sets)).toEqual([]);
    const raised = { tiny: { ...t, labels: [...t.labels, 'acceptor.never.taken'], crashPoints: [...t.crashPoints, 'after proposer.never'], minMessageOrderPairs: t.minMessageOrderPairs + 1, minDistinctStates: 1e9 } };
    const lines = evaluateGate(raised, sets).map((s) => s.line);
    expect(lines).toEqual([
      'coverage gate: tiny: branch label "acceptor.never.taken" never reached',
      'coverage gate: tiny: crash point "after proposer.never" never exercised',
      `coverage gate: tiny: ${t.minMessageOrderPairs} message-order pairs seen, at least ${t.minMessageOrderPairs + 1} required`,
      expect.stringMatching(/^coverage gate: tiny: \d+ distinct states, at least 1000000000 required$/),
    ]);
    expect(evaluateGate({ other: { labels: [], crashPoints: [], minMessageOrderPairs: 0, minDistinctStates: 0 } }, sets).map((s) => s.line)).toEqual([
      'coverage gate: other: no campaign runs of this target to measure',
    ]);
  });

  it('reads the thresholds file strictly, ignoring $-comments', () => {
    expect(parseThresholds('{"$comment":"x","static":{"labels":["a.b"]}}', 't.json')).toEqual({ static: { labels: ['a.b'], crashPoints: [], minMessageOrderPairs: 0, minDistinctStates: 0 } });
    expect(() => parseThresholds('{"static":{"lables":[]}}', 't.json')).toThrow(/t\.json: invalid field/);
    const checkedIn = parseThresholds(readFileSync(join(__dirname, '..', 'coverage-thresholds.json'), 'utf8'), 'coverage-thresholds.json');
    expect(Object.keys(checkedIn).length).toBeGreaterThan(0);
  });

  it('paxcheck check exits 1 naming each shortfall of a raised threshold, 0 when met', () => {
    const dir = tmp();
    const file = join(dir, 'thresholds.json');
    writeFileSync(file, JSON.stringify({ static: { labels: ['acceptor.prepare.promised', 'acceptor.no.such.branch'], crashPoints: ['after nowhere.at.all'], minMessageOrderPairs: 1000 } }));
    const r = paxcheck(['check', '--runs', '2', '--no-mutants', '--no-liveness', '--out', join(dir, 'out'), '--thresholds', file]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('coverage gate:'));
    expect(lines).toEqual([
      'coverage gate: static: branch label "acceptor.no.such.branch" never reached',
      'coverage gate: static: crash point "after nowhere.at.all" never exercised',
      expect.stringMatching(/^coverage gate: static: \d+ message-order pairs seen, at least 1000 required$/),
    ]);
    expect(readFileSync(join(dir, 'out', 'index.html'), 'utf8')).toContain('Coverage gate failed');
    writeFileSync(file, JSON.stringify({ static: { labels: ['acceptor.prepare.promised'], minMessageOrderPairs: 2 } }));
    const ok = paxcheck(['check', '--runs', '2', '--no-mutants', '--no-liveness', '--out', join(dir, 'out2'), '--thresholds', file]);
    expect(ok.stderr).not.toContain('coverage gate:');
    expect(ok.code).toBe(0);
  });
});

describe('HTML report', () => {
  it('draws charts, the counterexample diagram with the violating step, and state diffs, with nothing external', async () => {
    const dir = tmp();
    const sc = scenario({ runs: 200 });
    const ok = runSet(scenario({ runs: 30 }));
    const bad = runSet(sc, { mutant: 'ignore-promises', outDir: dir });
    const file = bad.firstViolation?.file;
    if (!file) throw new Error('the mutant was not caught');
    const f = readFailure(file);
    const html = await renderIndex({ runSets: [ok, bad], failures: [{ path: file, file: f }], title: 'test report' });
    expect(html.match(/<svg[^>]*class="marks"/g)?.length ?? 0).toBeGreaterThanOrEqual(5);
    expect(html).toContain('class="seq-diagram"');
    expect(html).toContain('class="violation"');
    expect(html).toContain(`data-step="${f.violation.step}"`);
    expect(html).toContain('State changes: ');
    expect(html).toContain('state.promised');
    // Self-contained: no URL but SVG namespaces.
    const urls = (html.match(/https?:\/\/[^\s"'<>)]+/g) ?? []).filter((u) => !u.startsWith('http://www.w3.org/'));
    expect(urls).toEqual([]);
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it('a stop during drawing skips the remaining charts and says so', async () => {
    const ok = runSet(scenario({ runs: 10 }));
    const stop = { stopped: false };
    let drawn = 0;
    const html = await renderIndex({ runSets: [ok], failures: [] }, { stop, onProgress: () => void (stop.stopped = ++drawn >= 1) });
    expect(drawn).toBe(1);
    expect(html.match(/<svg[^>]*class="marks"/g)?.length).toBe(1);
    expect(html).toContain('Report generation interrupted');
  });

  it('an interrupted check still writes a valid partial report', async () => {
    const out = tmp();
    const recorder = new CheckRecorder();
    const stop = { stopped: false };
    // Stop as the second cell starts: the first finishes, the second stops before any run.
    const result = campaign({
      scenarios: [scenario({ runs: 5 }), { ...scenario({ runs: 5 }), name: 'tiny2' }],
      mutantScenario: scenario({ runs: 5 }),
      seed: 1,
      includeMutants: true,
      stop,
      observer: recorder.observer,
      onCell: (_l, i) => void (stop.stopped = i >= 1),
    });
    expect(result.interrupted).toBe(true);
    const rep = await writeCheckReport({ result, recorder, out, seed: 1, wallMs: 1, sweep: { scenario: scenario(), proposers: [1, 2], runs: 2, flpRuns: 2 }, thresholds: null, stop });
    expect(rep.interrupted).toBe(true);
    expect(rep.shortfalls).toBeNull();
    const sets = readRunSets(out);
    expect(sets.length).toBe(rep.runSetFiles.length);
    expect(sets.length).toBeGreaterThanOrEqual(1);
    expect(sets.every((s) => s.kind === 'campaign')).toBe(true);
    const html = readFileSync(rep.index, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.trimEnd()).toMatch(/<\/html>$/);
    expect(html).toContain('Interrupted');
    expect(html).toContain('class="marks"');

    // A stop before anything ran: still a page, saying so.
    const out2 = tmp();
    const r2 = new CheckRecorder();
    const none = campaign({ scenarios: [scenario()], mutantScenario: scenario(), seed: 1, includeMutants: true, stop: { stopped: true }, observer: r2.observer });
    const rep2 = await writeCheckReport({ result: none, recorder: r2, out: out2, seed: 1, wallMs: 0, thresholds: null, stop: { stopped: true } });
    expect(rep2.runSetFiles).toEqual([]);
    expect(readFileSync(rep2.index, 'utf8')).toContain('Interrupted');
  });
});

describe('paxcheck replay --html and paxcheck report', () => {
  it('writes the single-failure page and merges result folders', () => {
    const dir = tmp();
    const sim = simulate({ protocol: 'static', mutant: 'no-adopt', scenario: loadScenario('default'), seed: 1, runs: 50, record: failuresIn(dir) });
    const file = sim.firstViolation?.file;
    if (!file) throw new Error('static no-adopt was not caught');
    const page = join(dir, 'failure.html');
    const rep = paxcheck(['replay', file, '--html', page]);
    expect(rep.code).toBe(1);
    expect(rep.stdout).toContain(`wrote ${page}`);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('class="seq-diagram"');
    expect(html).toContain('class="violation"');

    // Two result folders (e.g. two CI shards) into one page.
    const a = tmp();
    const b = tmp();
    writeRunSet(a, runSet(scenario({ runs: 10 }), { shard: { index: 0, count: 2 } }));
    writeRunSet(b, runSet(scenario({ runs: 10 }), { shard: { index: 1, count: 2 } }));
    const out = join(dir, 'merged.html');
    const r = paxcheck(['report', '--in', a, '--in', b, '--in', dir, '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ out, runSets: 2, failures: 1 });
    expect(existsSync(out)).toBe(true);
    const merged = readFileSync(out, 'utf8');
    expect(merged).toContain('class="seq-diagram"');
    expect(paxcheck(['report', '--in', join(dir, 'nope')]).code).toBe(2);
  });
});

describe('state diff', () => {
  it('names changed leaves by path, lists as a whole when they change length', () => {
    expect(diff({ a: 1, b: { c: [1, 2], d: 'x' } }, { a: 1, b: { c: [1, 3], d: 'x' }, e: true })).toEqual([
      { path: 'b.c[1]', before: '2', after: '3' },
      { path: 'e', before: null, after: 'true' },
    ]);
    expect(diff({ xs: [1] }, { xs: [1, 2] })).toEqual([{ path: 'xs', before: '[1]', after: '[1,2]' }]);
    expect(diff(null, { a: 1 })).toEqual([{ path: '', before: 'null', after: '{"a":1}' }]);
  });
});
