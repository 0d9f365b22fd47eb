// npm run soak: a long campaign of real runs. Every service over every store under every
// nemesis, round after round with new seeds, until the time budget is spent; then the mutants
// with contention (7 agents) and every agent fault, a few seeds each, reporting how often each
// was caught. Prints what the correct runs survived (kills, pauses, store faults and restarts)
// and exits 1 if any correct run had a violation or any mutant run went uncaught.
// Usage: node bin/run-ts.mjs bench/soak.ts [--minutes 30] [--duration 60s] [--out reports/soak]
import { join } from 'node:path';
import { findRedisServer } from '../src/runtime/proc/redis-server.js';
import { parseDuration } from '../src/search/budget.js';
import { runReal } from '../src/runtime/run/run.js';
import type { RuntimeService } from '../src/runtime/system.js';

const args = process.argv.slice(2);
const opt = (f: string, d: string): string => {
  const i = args.indexOf(f);
  return i >= 0 ? (args[i + 1] ?? d) : d;
};
const budgetMs = Number(opt('--minutes', '30')) * 60_000;
const durationMs = parseDuration(opt('--duration', '60s')) ?? 60_000;
const outRoot = opt('--out', join('reports', 'soak'));
const stores = ['sqlite', 'dir', ...(findRedisServer() ? ['redis'] : [])];
const services: RuntimeService[] = ['list', 'cas', 'register'];
const mutants: [RuntimeService, string][] = [
  ['cas', 'blind-put'],
  ['cas', 'conflict-as-success'],
  ['list', 'commit-before-majority'],
  ['list', 'decide-by-value'],
];

const total = { runs: 0, ok: 0, kills: 0, pauses: 0, storeFaults: 0, storeRestarts: 0, finalRestarts: 0, acked: 0, violations: 0, unknown: 0 };
const t0 = performance.now();
let seed = 1;
const left = (): boolean => performance.now() - t0 < budgetMs;
while (left()) {
  for (const store of stores) {
    for (const service of services) {
      if (!left()) break;
      const out = join(outRoot, `${service}-${store}-${seed}`);
      const r = await runReal({ service, store, agents: 3, servers: 3, durationMs, nemesis: ['kill', 'pause', 'store', 'delay'], seed, out });
      total.runs++;
      total.acked += r.stats.ok;
      total.kills += r.nemesis.kills;
      total.pauses += r.nemesis.pauses;
      total.storeFaults += r.nemesis.storeFaults;
      total.storeRestarts += r.nemesis.storeRestarts;
      total.finalRestarts += r.nemesis.finalRestarts;
      if (r.check.verdict === 'violation') total.violations++;
      else if (r.check.verdict === 'unknown') total.unknown++;
      else total.ok++;
      console.log(`${service}/${store} seed ${seed}: ${r.check.verdict}${r.check.violated ? ` (${r.check.violated.property}: ${out})` : ''}; ${r.stats.ok} acked, ${r.stats.decidedPerSec}/s; ${r.nemesis.kills} kills, ${r.nemesis.pauses} pauses, ${r.nemesis.storeFaults} store faults`);
    }
  }
  seed++;
}
// A real mutant run catches its bug only when the faults land in the right spot: each mutant gets
// a few seeds, and a mutant none of whose runs caught it fails the campaign.
const mutantSeeds = 4;
let uncaught = 0;
for (const [service, mutant] of mutants) {
  let caught = 0;
  for (let s = 1; s <= mutantSeeds; s++) {
    const out = join(outRoot, `mutant-${mutant}-${s}`);
    const r = await runReal({ service, store: 'sqlite', agents: 7, servers: 3, durationMs: Math.min(durationMs, 20_000), nemesis: ['kill', 'pause', 'delay'], mutant, seed: s, out });
    if (r.check.verdict === 'violation') caught++;
    console.log(`mutant ${mutant} seed ${s}: ${r.check.violated ? `caught (${r.check.violated.property})` : 'not caught'}`);
  }
  if (caught === 0) uncaught++;
  console.log(`mutant ${mutant}: caught in ${caught} of ${mutantSeeds} runs`);
}
console.log(JSON.stringify(total));
process.exitCode = total.violations > 0 || uncaught > 0 ? 1 : 0;
