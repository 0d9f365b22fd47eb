/// <reference lib="dom" />
import { failuresIn } from '../src/artifacts/failure-file.js';
// Opens a real report in headless Chromium: the charts and the counterexample diagram must be
// drawn, the page must log no console error (its CSP also turns any network use into one), and a
// screenshot goes to reports/ for people to look at.

import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate, topologyOf } from '../src/sim/simulate.js';
import type { RunSet } from '../src/artifacts/runset.js';
import { RunSetRecorder } from '../src/artifacts/runset.js';
import { livenessSweep } from '../src/campaign/sweep.js';
import { writeReport } from '../src/report/write.js';
import { loadScenario } from '../src/scenario/load.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const reportsDir = join(__dirname, '..', 'reports');

function cell(scenario: string, runs: number, mutant?: string, outDir?: string): RunSet {
  const sc = loadScenario(scenario);
  let rec: RunSetRecorder | null = null;
  const s = simulate({ protocol: 'static', mutant, scenario: sc, seed: 1, runs, keepGoing: !mutant, record: failuresIn(outDir), observer: (sys) => (rec = new RunSetRecorder(sys)) });
  const r = rec as RunSetRecorder | null;
  if (!r) throw new Error('no recorder');
  return r.toRunSet({ kind: mutant ? 'mutant' : 'campaign', protocol: 'static', mutant: mutant ?? null, strategy: 'random', scenario: sc.name, seed: 1, topology: topologyOf(sc), interrupted: false, wallMs: s.wallMs, firstViolation: s.firstViolation });
}

describe.skipIf(!available)(`report in headless Chromium${available ? '' : ` (skipped: ${CHROMIUM} not found; apt-get install chromium)`}`, () => {
  let ctx: BrowserContext;
  let url: string;
  let failure: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paxcheck-browser-'));
    // A real counterexample: a static-Paxos mutant hunted by the random strategy.
    const mutant = cell('default', 100, 'no-adopt', dir);
    failure = mutant.firstViolation?.file ?? '';
    expect(failure).not.toBe('');
    const sweep = livenessSweep({ targets: [{ protocol: 'static' }], scenario: loadScenario('contention'), seed: 1, proposers: [1, 3], runs: 4, flpRuns: 1, flpBoundFactors: [1, 4] });
    const out = join(dir, 'index.html');
    await writeReport({ out, runSets: [cell('default', 20), cell('crashy', 20), mutant, ...sweep.runSets], failures: [failure], title: 'paxcheck report (browser test)' });
    url = pathToFileURL(out).href;
    ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'paxcheck-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('draws the charts and the sequence diagram, logs no error, and is screenshotted', async () => {
    const page = await ctx.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });

    const charts = page.locator('svg.marks');
    expect(await charts.count()).toBeGreaterThanOrEqual(6);
    for (const box of await charts.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()))) {
      expect(box.width).toBeGreaterThan(50);
      expect(box.height).toBeGreaterThan(50);
    }
    // Vega drew marks into them: bars, lines, heatmap cells.
    expect(await page.locator('svg.marks path, svg.marks rect').count()).toBeGreaterThan(100);

    const diagram = page.locator('svg.seq-diagram').first();
    await diagram.scrollIntoViewIfNeeded();
    expect(await diagram.isVisible()).toBe(true);
    expect(await diagram.locator('g.msg').count()).toBeGreaterThan(5);
    expect(await diagram.locator('line.lifeline').count()).toBeGreaterThan(3);
    const marked = diagram.locator('rect.violation');
    expect(await marked.count()).toBe(1);
    const box = await marked.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(100);
    expect(await page.locator('section.failure tr.hit').count()).toBe(1);

    // The counterexample opens at its violating step: the open diagram ends with it and the open
    // state-change table holds it, neither inside a closed <details> nor an inner scroll box.
    // (A string: the test is compiled without the DOM library.)
    const openAt = await page.evaluate(`(() => {
      const hidden = (e) => e.closest('details:not([open])') !== null;
      const scrolls = (e) => {
        for (let p = e.parentElement; p; p = p.parentElement) {
          const o = getComputedStyle(p);
          if (/(auto|scroll)/.test(o.overflowY + o.overflowX) && p.scrollHeight > p.clientHeight + 1) return true;
        }
        return false;
      };
      const v = document.querySelector('svg.seq-diagram rect.violation');
      const row = document.querySelector('section.failure tr.hit');
      return { diagram: v !== null && !hidden(v) && !scrolls(v), row: row !== null && !hidden(row) && !scrolls(row) };
    })()`);
    expect(openAt).toEqual({ diagram: true, row: true });
    // The page fits 1,400 px: nothing wider than the viewport.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1400);
    // Coverage lists the declared labels never taken, with zero counts.
    expect(await page.locator('section[id^="coverage-"] tr.never').count()).toBeGreaterThan(0);
    // Timed runs get a latency-over-time plot with fault windows.
    expect(await page.locator('#liveness svg.marks', { hasText: 'fault window' }).count()).toBeGreaterThan(0);

    mkdirSync(reportsDir, { recursive: true });
    await page.screenshot({ path: join(reportsDir, 'report-screenshot.png'), fullPage: true });
    await page.locator('div.diagram').first().screenshot({ path: join(reportsDir, 'report-diagram.png') });
    await page.locator('section.failure').first().screenshot({ path: join(reportsDir, 'report-counterexample.png') });
    expect(existsSync(join(reportsDir, 'report-screenshot.png'))).toBe(true);

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });
});
