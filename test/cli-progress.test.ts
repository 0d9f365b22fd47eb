// The progress lines of the default ladder, as a CI log shows them (stderr not a TTY, a line per
// update): each attempt counts its states from zero, so its rate must be its own. It was the
// ladder's: 468,956 states "at 796 states/s" in an attempt that ran at 43,000/s, ten minutes in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paxcheckAsync } from './cli.js';

const out = mkdtempSync(join(tmpdir(), 'paxcheck-progress-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const num = (s: string): number => Number(s.replaceAll(',', ''));

describe('explore progress during the default ladder', () => {
  it("gives each attempt's own rate", async () => {
    const r = await paxcheckAsync(['explore', '--protocol', 'static', '--strategy', 'bfs', '--max-time', '10s', '--out', out], undefined, 120_000, {
      PAXCHECK_PROGRESS_AFTER_MS: '0',
      PAXCHECK_PROGRESS_EVERY_MS: '0',
    });
    expect(r.code, r.stderr).toBe(0);
    let last: { states: number; rate: number } | null = null;
    let checked = 0;
    for (const line of r.stderr.split('\n')) {
      const p = /^explore static bfs: ([\d,]+) states, ([\d,]+) states\/s/.exec(line);
      if (p) last = { states: num(p[1] as string), rate: num(p[2] as string) };
      const rung = /^ladder rung .*: ([\d,]+) states, ([\d.]+) s, \w+/.exec(line);
      if (!rung) continue;
      const wall = Number(rung[2]);
      // An attempt's progress comes from its own clock, started no earlier than its rung's time
      // (printed to a tenth of a second): its rate is at least its states over that time.
      if (last && wall >= 0.3 && last.states >= 100) {
        expect(last.rate, line).toBeGreaterThanOrEqual((0.9 * last.states) / (wall + 0.05));
        checked++;
      }
      last = null;
    }
    expect(checked, r.stderr.slice(0, 2000)).toBeGreaterThan(2);
  }, 150_000);
});
