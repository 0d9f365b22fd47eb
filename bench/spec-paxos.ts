// Benchmark: exhaustive BFS of Lamport's Paxos.tla (spec-paxos) for the given MaxBallot values.
// Usage: node bin/run-ts.mjs bench/spec-paxos.ts [maxBallot ...] [--dfs] [--no-inv] [--max-states N] [--json]
// Prints a markdown table (one row per MaxBallot), or JSON lines with --json.
import { explore } from '../src/search/bfs.js';
import { specPaxos } from '../src/protocols/spec-paxos/index.js';

const args = process.argv.slice(2);
const flag = (f: string): boolean => args.includes(f);
const opt = (f: string): number | undefined => {
  const i = args.indexOf(f);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const ballots = args.filter((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith('--')).map(Number);
const rows: Record<string, string | number | boolean | null>[] = [];
for (const mb of ballots.length > 0 ? ballots : [1, 2]) {
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = (): void => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  };
  const r = explore(specPaxos(mb), {
    strategy: flag('--dfs') ? 'dfs' : 'bfs',
    checkInvariants: !flag('--no-inv'),
    maxStates: opt('--max-states'),
    progressEvery: 100_000,
    onProgress: (p) => {
      sample();
      if (flag('--verbose')) process.stderr.write(`${JSON.stringify(p)}\n`);
    },
  });
  sample();
  const mib = (x: number): number => Math.round(x / 2 ** 20);
  const row = {
    maxBallot: mb,
    strategy: r.strategy,
    distinctStates: r.distinctStates,
    generated: r.generated,
    depth: r.depth,
    complete: r.complete,
    violation: r.violation?.name ?? null,
    seconds: +(r.wallMs / 1000).toFixed(2),
    statesPerSec: r.statesPerSec,
    generatedPerSec: Math.round((r.generated * 1000) / r.wallMs),
    bytesPerState: +r.bytesPerState.toFixed(1),
    tableBytesPerState: +r.tableBytesPerState.toFixed(1),
    peakRssMiB: mib(peakRss),
    peakHeapMiB: mib(peakHeap),
  };
  if (flag('--json')) console.log(JSON.stringify(row));
  rows.push(row);
}
if (!flag('--json')) {
  const cols = Object.keys(rows[0] ?? {});
  console.log(`\n### spec-paxos (Paxos.tla, 3 acceptors, 2 values) — exhaustive ${flag('--dfs') ? 'DFS' : 'BFS'}\n`);
  console.log(`| ${cols.join(' | ')} |`);
  console.log(`|${cols.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${cols.map((c) => String(r[c])).join(' | ')} |`);
}
