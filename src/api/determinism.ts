// `checkDeterminism`: every checked seed is run twice from scratch and its trace fingerprints
// compared (madsim's check). A protocol that reads a clock, ambient randomness or module state
// gives two different traces for one seed.

import { hex64 } from '../kernel/hash.js';
import type { Protocol } from '../protocols/define.js';
import { buildSystem } from '../protocols/index.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { runTimed } from '../sim/timed.js';
import { replayChoices } from '../step/replay.js';
import { use } from './check.js';

export interface DeterminismOptions {
  readonly seed?: number;
  readonly runs?: number;
  readonly scenario?: string | Scenario;
  readonly mutant?: string;
  readonly service?: string;
}

export interface DeterminismResult {
  readonly ok: boolean;
  readonly runs: number;
  /** Runs whose two executions (or whose choice-sequence replay) differed. */
  readonly mismatches: readonly { readonly run: number; readonly first: string; readonly second: string; readonly replayed: string }[];
}

export function checkDeterminism(protocol: Protocol | string, o: DeterminismOptions = {}): DeterminismResult {
  const name = use(protocol);
  const scenario = typeof o.scenario === 'object' ? o.scenario : loadScenario(o.scenario ?? 'default');
  const defaults = typeof protocol === 'string' ? {} : protocol.topology;
  const sc: Scenario = { ...scenario, topology: { ...defaults, ...scenario.topology } };
  const runs = o.runs ?? 20;
  const seed = o.seed ?? 1;
  const mismatches: DeterminismResult['mismatches'][number][] = [];
  for (let run = 0; run < runs; run++) {
    // A fresh system each time: state kept in a closure across runs is a determinism bug too.
    const fresh = () => buildSystem({ protocol: name, service: o.service, mutant: o.mutant, topology: sc.topology });
    const a = runTimed(fresh(), sc, seed, run);
    const b = runTimed(fresh(), sc, seed, run);
    const replayed = replayChoices(fresh(), a.choices, null, '').trace;
    const [first, second] = [hex64(a.trace), hex64(b.trace)];
    if (first !== second || replayed !== first) mismatches.push({ run, first, second, replayed });
  }
  return { ok: mismatches.length === 0, runs, mismatches };
}
