import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredLabels, declaredLabelsOf, labelCoverage } from '../src/coverage/labels.js';
import { allTargets, buildSystem, families, targetName } from '../src/protocols/index.js';
import { loadScenario } from '../src/scenario/load.js';
import { topologyOf } from '../src/sim/simulate.js';
import { runTimed } from '../src/sim/timed.js';

// Every cover label a protocol can emit is declared once, in its family (ProtocolFamily.labels),
// so coverage can list the branches a run set never took with a zero count. A campaign over every
// scenario, the correct protocol and each of its mutants, must emit no label left undeclared.

const scenarios = readdirSync(join(__dirname, '..', 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

describe('declared cover labels', () => {
  it('every family declares its labels, without duplicates', () => {
    for (const f of families) {
      expect(f.labels, f.name).toBeDefined();
      const ls = f.labels ?? [];
      expect(new Set(ls).size, f.name).toBe(ls.length);
      // With services, a label names its service first.
      if (f.services) for (const l of ls) expect(f.services, l).toContain(l.split('.')[0]);
    }
  });

  for (const t of allTargets()) {
    it(`${targetName(t)}: a campaign emits only declared labels; the unreached are listed with zero counts`, () => {
      const family = families.find((f) => f.name === t.protocol);
      const declared = declaredLabelsOf(t.protocol, t.service);
      expect(declared).not.toBeNull();
      expect(declared).toEqual(family ? declaredLabels(family, t.service) : null);
      const mutants = [undefined, ...(family?.mutants ?? []).filter((m) => !m.service || m.service === t.service).map((m) => m.name)];
      const taken: Record<string, number> = {};
      for (const name of scenarios) {
        const sc = loadScenario(name);
        for (const mutant of mutants) {
          for (let run = 0; run < (mutant ? 3 : 20); run++) {
            const r = runTimed(buildSystem({ ...t, mutant, topology: topologyOf(sc) }), sc, 11, run);
            for (const [l, n] of r.covers) taken[l] = (taken[l] ?? 0) + n;
          }
        }
      }
      const lc = labelCoverage({ labels: { any: taken } }, declared);
      expect(lc.undeclared).toEqual([]);
      expect(lc.declared).toBe(declared?.length);
      // Most of what is declared is reached by such a campaign; the rest shows up as zero.
      expect(lc.reached).toBeGreaterThanOrEqual(Math.ceil(0.8 * lc.declared));
      for (const l of lc.unreached) expect(lc.labels[l.split('.')[0] ?? '']?.[l]).toBe(0);
      expect(lc.reached + lc.unreached.length).toBe(lc.declared);
    }, 60_000);
  }

  it('labelCoverage completes a run set with the declared labels it never took', () => {
    const lc = labelCoverage({ labels: { acceptor: { 'acceptor.prepare.promised': 4 }, odd: { 'odd.x': 1 } } }, ['acceptor.prepare.promised', 'acceptor.accept.voted']);
    expect(lc.labels).toEqual({ acceptor: { 'acceptor.accept.voted': 0, 'acceptor.prepare.promised': 4 }, odd: { 'odd.x': 1 } });
    expect(lc).toMatchObject({ declared: 2, reached: 1, unreached: ['acceptor.accept.voted'], undeclared: ['odd.x'] });
    // Without a declaration only what was taken is known.
    expect(labelCoverage({ labels: { a: { 'a.x': 2 } } }, null)).toMatchObject({ declared: 0, reached: 1, unreached: [], undeclared: [] });
  });
});
