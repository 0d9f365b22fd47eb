import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failuresIn, readFailure } from '../src/artifacts/failure-file.js';
import type { RunSet } from '../src/artifacts/runset.js';
import { mergeRunSets, parseRunSet, RunSetRecorder, TIMELINES, timelineOf } from '../src/artifacts/runset.js';
import { FOCUS_CHANGES, FOCUS_STEPS, failureSection } from '../src/report/failure-section.js';
import { renderIndex } from '../src/report/index-page.js';
import { MAX_DIAGRAM_WIDTH } from '../src/report/sequence.js';
import { loadScenario } from '../src/scenario/load.js';
import { simulate, topologyOf } from '../src/sim/simulate.js';
import { buildSystem } from '../src/protocols/index.js';
import { runTimed } from '../src/sim/timed.js';

// The report reads on one screen: a counterexample opens at its violating step, the page fits
// 1,400 px, coverage lists the declared labels never taken, saturation uses order classes, and
// timed runs get a latency-over-time plot with their fault windows.

function cell(scenario: string, runs: number, o: { mutant?: string; outDir?: string; shard?: { index: number; count: number } } = {}): RunSet {
  const sc = loadScenario(scenario);
  let rec: RunSetRecorder | null = null;
  const s = simulate({ protocol: 'static', mutant: o.mutant, scenario: sc, seed: 1, runs, keepGoing: !o.mutant, shard: o.shard, record: failuresIn(o.outDir), observer: (sys) => (rec = new RunSetRecorder(sys)) });
  const r = rec as RunSetRecorder | null;
  if (!r) throw new Error('no recorder');
  return r.toRunSet({ kind: o.mutant ? 'mutant' : 'campaign', protocol: 'static', mutant: o.mutant ?? null, strategy: 'random', scenario: sc.name, seed: 1, shard: o.shard ?? null, topology: topologyOf(sc), interrupted: false, wallMs: s.wallMs, firstViolation: s.firstViolation });
}

describe('report layout', () => {
  it('a counterexample opens at its violating step: last steps drawn open, the rest folded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paxcheck-layout-'));
    const m = cell('default', 100, { mutant: 'no-adopt', outDir: dir });
    const path = m.firstViolation?.file ?? '';
    const file = readFailure(path);
    expect(file.violation.step).toBeGreaterThan(FOCUS_STEPS);
    const html = failureSection({ path, file });
    // Before the first <details>: one diagram ending at the violation, its first row FOCUS_STEPS back.
    const open = html.slice(0, html.indexOf('<details>'));
    const steps = [...open.matchAll(/data-step="(\d+)"/g)].map((x) => Number(x[1]));
    expect(steps.at(-1)).toBe(file.violation.step);
    expect(steps[0]).toBe(file.violation.step - FOCUS_STEPS + 1);
    expect(open).toContain('class="violation"');
    expect(open).toContain(`✖ <b>step ${file.violation.step}</b>`);
    // The folded diagram covers the longer window; the open state table ends at the violation.
    expect(html).toContain(`the diagram from step ${Math.max(1, file.violation.step - 149)}`);
    const changes = html.slice(html.indexOf('State changes: '));
    // After the folded earlier rows, before the folded full state of the violating node.
    const tail = changes.slice(changes.indexOf('</details>'), changes.indexOf('<details><summary>full state'));
    const rows = [...tail.matchAll(/<tr( class="hit")?><td class="num">(\d+)<\/td>/g)].map((x) => Number(x[2]));
    expect(rows).toHaveLength(FOCUS_CHANGES);
    expect(rows.at(-1)).toBe(file.violation.step);
    expect(tail).toContain('<tr class="hit">');
    // No inner scroll box and no wider diagram than the page holds.
    const width = Number(/class="seq-diagram" width="(\d+)"/.exec(html)?.[1]);
    expect(width).toBeLessThanOrEqual(MAX_DIAGRAM_WIDTH);
    expect(html).not.toContain('class="scroll"');
  });

  it('coverage lists declared labels never taken with zero counts; saturation is over order classes', async () => {
    const c = cell('calm', 30);
    expect(c.coverage.orderClasses).toBeGreaterThan(0);
    expect(c.coverage.saturation.points.at(-1)?.orderClasses).toBe(c.coverage.orderClasses);
    // Order classes level off: far fewer than runs (every run is a happens-before class of its own).
    expect(c.coverage.orderClasses ?? 0).toBeLessThan(c.coverage.interleavingClasses);
    const html = await renderIndex({ runSets: [c], failures: [] });
    expect(html).toMatch(/<b>\d+<\/b> of 42 declared labels taken; never taken: /);
    expect(html).toMatch(/<tr class="never"><td><span class="mono">proposer\.[a-z0-9.-]+<\/span><\/td><td class="num">0<\/td>/);
    expect(html).toContain('order classes (cumulative)');
    expect(html).not.toContain('new interleaving classes');
  });

  it('timed runs keep latency timelines with fault windows, merged across shards by one rule', async () => {
    const sc = loadScenario('crashy');
    const r = runTimed(buildSystem({ protocol: 'static', topology: topologyOf(sc) }), sc, 1, 0);
    const t = timelineOf(r);
    expect(t?.commands.length).toBe(r.commands?.length);
    for (const [at, latency] of t?.commands ?? []) {
      expect(at).toBeGreaterThanOrEqual(0);
      if (latency !== null) expect(latency).toBeGreaterThanOrEqual(0);
    }
    const crashes = (r.applied ?? []).filter((f) => f.k === 'crash').length;
    expect(t?.windows.filter((w) => w.k === 'crash')).toHaveLength(crashes);
    for (const w of t?.windows ?? []) expect(w.to === null || w.to >= w.from).toBe(true);

    const whole = cell('crashy', 40);
    expect(whole.timelines?.length).toBe(TIMELINES);
    expect(whole.timelines?.[0]?.windows.length).toBeGreaterThan(0);
    const shards = [0, 1].map((index) => cell('crashy', 40, { shard: { index, count: 2 } }));
    expect(mergeRunSets(shards).timelines).toEqual(whole.timelines);
    // The run set file keeps them.
    expect(parseRunSet(JSON.stringify(whole), 'x').timelines).toEqual(whole.timelines);
    const html = await renderIndex({ runSets: [whole], failures: [] });
    expect(html).toContain('latency over time, fault windows shaded');
    expect(html).toContain('fault window');
  });
});
