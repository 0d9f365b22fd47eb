import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundedSearch, completeBounds, exploreCommandLine, targetLabel } from '../src/search/bounds.js';
import type { TargetBounds } from '../src/search/bounds.js';
import { systematic } from '../src/search/systematic.js';
import { paxcheck } from './cli.js';

// Exact counts of the completing explorations (src/search/bounds.ts `completeBounds`), with the
// CLI's default reductions on (sleep-set POR and symmetry). Deterministic: a change here means
// the model, a protocol, the fingerprint or a reduction changed. Update from `npm run bench -- explore`.
const pinned: Readonly<Record<string, { readonly distinctStates: number; readonly generated: number; readonly depth: number }>> = {
  static: { distinctStates: 14324, generated: 20836, depth: 29 },
  disk: { distinctStates: 12865, generated: 40744, depth: 39 },
  'passive/list': { distinctStates: 3063, generated: 6469, depth: 23 },
  'passive/cas': { distinctStates: 3253, generated: 6969, depth: 27 },
  'passive/register': { distinctStates: 12865, generated: 40744, depth: 39 },
};

function run(t: TargetBounds, reductions: boolean) {
  return systematic(boundedSearch(t, reductions));
}

describe('every correct protocol explores to completion at small bounds', () => {
  it('the bounds keep a fault in and cover every target', () => {
    expect(completeBounds.map(targetLabel).sort()).toEqual(Object.keys(pinned).sort());
    for (const t of completeBounds) {
      const b = t.bounds.budget;
      expect((b.crashes ?? 0) + (b.drops ?? 0), targetLabel(t)).toBeGreaterThan(0);
    }
  });

  for (const t of completeBounds) {
    const label = targetLabel(t);
    it(`${label}: complete, no violation, pinned counts`, () => {
      const s = run(t, true);
      expect(s.violations).toBe(0);
      expect(s.firstViolation).toBeNull();
      expect(s.complete).toBe(true);
      expect({ distinctStates: s.distinctStates, generated: s.generated, depth: s.depth }).toEqual(pinned[label]);
      expect(s.por.enabled).toBe(true);
    });
  }

  it('the documented command line reproduces the pinned counts (passive/cas through the CLI)', () => {
    const t = completeBounds.find((x) => targetLabel(x) === 'passive/cas') as TargetBounds;
    const args = exploreCommandLine(t).split(' ').slice(1);
    const out = mkdtempSync(join(tmpdir(), 'paxcheck-complete-'));
    const r = paxcheck([...args, '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { complete: boolean; violations: number; distinctStates: number; generated: number };
    expect(j.complete).toBe(true);
    expect(j.violations).toBe(0);
    expect({ distinctStates: j.distinctStates, generated: j.generated }).toEqual({
      distinctStates: pinned['passive/cas']?.distinctStates,
      generated: pinned['passive/cas']?.generated,
    });
  });

  it('without reductions the same space closes too, with at least as many states', () => {
    const t = completeBounds.find((x) => targetLabel(x) === 'passive/list') as TargetBounds;
    const plain = run(t, false);
    expect(plain.complete).toBe(true);
    expect(plain.violations).toBe(0);
    expect(plain.distinctStates).toBeGreaterThanOrEqual(pinned['passive/list']?.distinctStates ?? Infinity);
  });
});
