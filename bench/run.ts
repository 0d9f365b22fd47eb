// Benchmark of the real runtime: decided commands/s and p50/p99 latency of acknowledged client
// operations, per store and service, without and with the nemesis (kill, pause, store faults;
// over redis also real partitions). Faults column: kills, pauses, store faults, partitions (x).
// Usage: node bin/run-ts.mjs bench/run.ts [--duration 5s] [--stores sqlite,dir,redis]
//        [--services list,cas,register] [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRedisServer } from '../src/runtime/proc/redis-server.js';
import { netnsUnavailable } from '../src/runtime/proc/network.js';
import type { NemesisKind } from '../src/runtime/run/options.js';
import { parseDuration } from '../src/search/budget.js';
import { runReal } from '../src/runtime/run/run.js';
import type { RuntimeService } from '../src/runtime/system.js';

const args = process.argv.slice(2);
const opt = (f: string, d: string): string => {
  const i = args.indexOf(f);
  return i >= 0 ? (args[i + 1] ?? d) : d;
};
const durationMs = parseDuration(opt('--duration', '5s')) ?? 5000;
const stores = opt('--stores', 'sqlite,dir,redis')
  .split(',')
  .filter((s) => s !== 'redis' || findRedisServer() !== undefined);
const services = opt('--services', 'list,cas,register').split(',') as RuntimeService[];
const json = args.includes('--json');
const root = mkdtempSync(join(tmpdir(), 'paxcheck-bench-run-'));
const nemeses: { label: string; kinds: NemesisKind[]; only?: string }[] = [
  { label: 'none', kinds: [] },
  { label: 'kill,pause,store', kinds: ['kill', 'pause', 'store'] },
  // Partitions need network stores (the run's own redis-servers) and network namespaces.
  ...(netnsUnavailable() === null ? [{ label: 'kill,pause,partition', kinds: ['kill', 'pause', 'partition'] as NemesisKind[], only: 'redis' }] : []),
];

const rows: Record<string, unknown>[] = [];
if (!json) {
  console.log(`## Real runtime: 3 agents, 3 stores, ${durationMs / 1000} s per run, 6 clients`);
  console.log('| store | service | nemesis | decided/s | p50 ms | p99 ms | ok ops | info | faults | verdict |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
}
try {
  for (const store of stores) {
    for (const service of services) {
      for (const n of nemeses.filter((x) => x.only === undefined || x.only === store)) {
        const out = join(root, `${store}-${service}-${n.label}`);
        const r = await runReal({ service, store, agents: 3, servers: 3, durationMs, nemesis: n.kinds, seed: 1, out, html: false });
        const f = r.nemesis;
        const row = { store, service, nemesis: n.label, decidedPerSec: r.stats.decidedPerSec, p50: r.stats.latencyMs.p50, p99: r.stats.latencyMs.p99, ok: r.stats.ok, info: r.stats.info, kills: f.kills, pauses: f.pauses, storeFaults: f.storeFaults, storeRestarts: f.storeRestarts, partitions: f.partitions, verdict: r.check.verdict };
        rows.push(row);
        if (!json) console.log(`| ${store} | ${service} | ${n.label} | ${row.decidedPerSec} | ${row.p50 ?? '-'} | ${row.p99 ?? '-'} | ${row.ok} | ${row.info} | ${f.kills}k ${f.pauses}p ${f.storeFaults}s (${f.storeRestarts} restarts) ${f.partitions}x | ${row.verdict} |`);
      }
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
if (json) console.log(JSON.stringify(rows));
