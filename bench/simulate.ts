// Benchmark: simulation throughput per family and time-to-first-violation per mutant.
// Usage: node bin/run-ts.mjs bench/simulate.ts [--seeds 20] [--json]
import { simulate } from '../src/sim/simulate.js';
import { allTargets } from '../src/protocols/index.js';
import { families } from '../src/protocols/index.js';
import { loadScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/schema.js';

const args = process.argv.slice(2);
const opt = (f: string, d: number): number => {
  const i = args.indexOf(f);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const seeds = opt('--seeds', 20);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor((s.length - 1) / 2)] as number);
};

const lossy = loadScenario('lossy');
// The issue's reference configuration: 2 proposers, 3 acceptors, 2 learners, 5 slots, lossy.
const reference: Scenario = { ...lossy, topology: { ...lossy.topology, proposers: 2, acceptors: 3, learners: 2, commands: 5 } };

console.log('## Throughput (lossy, 2 proposers, 3 acceptors/servers, 2 learners, 5 slots)');
console.log('| protocol | runs | events | wall ms | events/s | runs/s |');
console.log('|---|---|---|---|---|---|');
for (const t of allTargets()) {
  simulate({ ...t, scenario: reference, seed: 99, runs: 20 }); // warm-up (JIT)
  const s = simulate({ ...t, scenario: reference, seed: 1, runs: 200 });
  const label = t.service ? `${t.protocol}/${t.service}` : t.protocol;
  console.log(`| ${label} | ${s.runs} | ${s.events} | ${s.wallMs} | ${s.eventsPerSec} | ${Math.round((s.runs * 1000) / Math.max(1, s.wallMs))} |`);
}

const hunt = loadScenario('default');
console.log(`\n## Time to first violation per mutant (scenario default, ${seeds} seeds, median)`);
console.log('| protocol | mutant | caught | median runs | median ms | median depth | property |');
console.log('|---|---|---|---|---|---|---|');
for (const f of families) {
  for (const m of f.mutants) {
    const runs: number[] = [];
    const ms: number[] = [];
    const depth: number[] = [];
    const props = new Map<string, number>();
    let caught = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const s = simulate({ protocol: f.name, service: m.service, mutant: m.name, scenario: hunt, seed, runs: hunt.runs * 3 });
      if (s.firstViolation) {
        caught++;
        runs.push(s.runs);
        ms.push(s.wallMs);
        depth.push(s.firstViolation.depth);
        props.set(s.firstViolation.property, (props.get(s.firstViolation.property) ?? 0) + 1);
      }
    }
    const prop = [...props.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '-';
    console.log(`| ${f.name}${m.service ? `/${m.service}` : ''} | ${m.name} | ${caught}/${seeds} | ${median(runs)} | ${median(ms)} | ${median(depth)} | ${prop} |`);
  }
}
