// Benchmark: BFS on worker threads (explore --workers N) against the single-threaded BFS.
// Usage: node bin/run-ts.mjs bench/workers.ts [spec:MB ...] [kernel:DEPTH ...] [--workers 1,2] [--json]
// Defaults: spec-paxos MaxBallot 2 and passive/cas (1 proposer, 1 command, 1 drop) to depth 9;
// spec:3 (8.2 million states) takes about a minute.
//
// Columns: wall time; CPU time of the whole process (all threads); the CPU time of the busiest
// thread (Linux /proc, sampled), which is about the wall time the run would take with a free
// core per thread. On a machine shared with other jobs the wall time is the least reliable of
// the three.

import { readdirSync, readFileSync } from 'node:fs';
import { explore } from '../src/search/bfs.js';
import { exploreParallel } from '../src/scale/parallel.js';
import { exploreTopology } from '../src/search/systematic.js';
import type { KernelTarget, Target } from '../src/search/target.js';
import { buildSleepTarget, buildTarget, targetLabel } from '../src/search/target.js';
import { exploreWithSleepSets } from '../src/search/reduce/sleep.js';
import { exploreSleepWorkers } from '../src/scale/sleep-workers.js';

const args = process.argv.slice(2);
const opt = (f: string): string | undefined => {
  const i = args.indexOf(f);
  return i >= 0 ? args[i + 1] : undefined;
};
const workerCounts = (opt('--workers') ?? '1,2').split(',').map(Number);
const cases = args.filter((a) => /^(spec|kernel):\d+$/.test(a));

function target(c: string): { t: Target; maxDepth?: number } {
  const [kind, n] = c.split(':') as [string, string];
  if (kind === 'spec') return { t: { kind: 'spec-paxos', maxBallot: Number(n) } };
  const t: Target = {
    kind: 'kernel',
    protocol: 'passive',
    service: 'cas',
    mutant: null,
    topology: { ...exploreTopology, proposers: 1, commands: 1 },
    budget: { crashes: 0, drops: 1 },
    maxBallots: 2,
    maxTimerFires: null,
    symmetry: false,
  };
  return { t, maxDepth: Number(n) };
}

const TICK_MS = 10;

/** CPU milliseconds per thread of this process, from /proc (empty elsewhere). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(f[11]) + Number(f[12])) * TICK_MS);
    }
  } catch {
    // Not Linux: the column stays empty.
  }
  return out;
}

/** Runs `job`, sampling per-thread CPU; returns the busiest thread's CPU ms spent during it. */
async function measured<T>(job: () => Promise<T> | T): Promise<{ r: T; wallMs: number; cpuMs: number; busiestMs: number }> {
  const before = threadCpu();
  const peak = new Map<string, number>();
  const sample = (): void => {
    for (const [tid, ms] of threadCpu()) peak.set(tid, Math.max(peak.get(tid) ?? 0, ms - (before.get(tid) ?? 0)));
  };
  const timer = setInterval(sample, 50);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await job();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  sample();
  clearInterval(timer);
  return { r, wallMs, cpuMs: (c.user + c.system) / 1000, busiestMs: Math.max(0, ...peak.values()) };
}

const rows: Record<string, string | number>[] = [];
for (const c of cases.length > 0 ? cases : ['spec:2', 'kernel:9']) {
  const { t, maxDepth } = target(c);
  for (const workers of workerCounts) {
    const run = (): Promise<{ distinctStates: number; generated: number }> =>
      workers === 1 ? Promise.resolve(explore(buildTarget(t), { maxDepth })) : exploreParallel(t, { workers, maxDepth });
    const m = await measured(run);
    const row = {
      target: `${targetLabel(t)}${maxDepth ? ` depth≤${maxDepth}` : ''}`,
      workers: workers === 1 ? '1 (bfs.ts)' : workers,
      distinctStates: m.r.distinctStates,
      generated: m.r.generated,
      wallSec: +(m.wallMs / 1000).toFixed(2),
      statesPerSec: Math.round((m.r.distinctStates * 1000) / m.wallMs),
      cpuSec: +(m.cpuMs / 1000).toFixed(2),
      busiestThreadSec: +(m.busiestMs / 1000).toFixed(2),
    };
    if (args.includes('--json')) console.log(JSON.stringify(row));
    rows.push(row);
  }
}
if (!args.includes('--json')) {
  const cols = Object.keys(rows[0] ?? {});
  console.log('\n### explore --workers: BFS on worker threads\n');
  console.log(`| ${cols.join(' | ')} |`);
  console.log(`|${cols.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${cols.map((k) => String(r[k])).join(' | ')} |`);
}

// A bounded kernel search with the default reductions (`explore --workers N` with bounds and no
// depth bound): the sleep-set search with helper threads (scale/sleep-workers.ts), whose counts
// are the single-threaded search's, so the time to the same end is the speed-up.
console.log('\n### The sleep-set search with helper threads (static, 2 proposers, 2 commands, 1 drop; the same counts either way)\n');
console.log('| max states | threads | distinct | generated | wall s | CPU s | cores busy | states/s | speed-up |');
console.log('|---|---|---|---|---|---|---|---|---|');
const sleepTarget: KernelTarget = { kind: 'kernel', protocol: 'static', service: null, mutant: null, topology: { ...exploreTopology, proposers: 2, commands: 2 }, budget: { drops: 1 }, maxBallots: 3, maxTimerFires: 0, symmetry: true };
for (const maxStates of [400_000]) {
  let one = 0;
  for (const workers of workerCounts) {
    const m = await measured((): Promise<{ distinctStates: number; generated: number }> | { distinctStates: number; generated: number } => (workers === 1 ? exploreWithSleepSets(buildSleepTarget(sleepTarget), { strategy: 'bfs', maxStates }) : exploreSleepWorkers(sleepTarget, { workers, maxStates })));
    if (workers === 1) one = m.wallMs;
    const cpu = m.cpuMs / m.wallMs;
    console.log(`| ${maxStates} | ${workers} | ${m.r.distinctStates} | ${m.r.generated} | ${(m.wallMs / 1000).toFixed(1)} | ${(m.cpuMs / 1000).toFixed(1)} | ${cpu.toFixed(2)} | ${Math.round((m.r.distinctStates * 1000) / m.wallMs)} | ${(one / m.wallMs).toFixed(2)}× |`);
  }
}

// The bound ladder on threads (`explore --strategy bfs --workers N` with no bound): the same
// attempts with the same counts on each thread count, so the time to the same end is the
// speed-up. The slowest ladders of the catalogue, each run to its violation.
const ladderTargets: readonly { readonly protocol: string; readonly service?: string; readonly mutant: string }[] = [
  { protocol: 'disk', mutant: 'no-recovery-phase' },
  { protocol: 'disk', mutant: 'ignore-own-block' },
  { protocol: 'passive', service: 'list', mutant: 'decide-by-value' },
];
console.log('\n### The bound ladder on worker threads (to the violation; the same attempts either way)\n');
// CPU is the whole process's (every thread, the collector's and compiler's included): one
// search thread already keeps more than one core busy, which is part of why two do not give 2×.
console.log('| ladder | attempts | states in them | threads | wall s | CPU s | cores busy | speed-up |');
console.log('|---|---|---|---|---|---|---|---|');
const { timedLadder } = await import('./timed-ladder.js');
for (const lt of ladderTargets) {
  let one = 0;
  for (const threads of workerCounts) {
    const cpu0 = process.cpuUsage();
    const r = await timedLadder({ protocol: lt.protocol, service: lt.service, mutant: lt.mutant, strategy: 'bfs', por: true, symmetry: true }, threads);
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1e6;
    const wall = r.wallMs / 1000;
    if (threads === 1) one = wall;
    const states = r.ladder.rungs.reduce((n, x) => n + x.distinctStates, 0);
    const label = `${lt.service ? `${lt.protocol}/${lt.service}` : lt.protocol} ${lt.mutant}`;
    console.log(`| ${label} | ${r.ladder.rungs.length} | ${states} | ${threads} | ${wall.toFixed(1)} | ${cpu.toFixed(1)} | ${(cpu / wall).toFixed(2)} | ${(one / wall).toFixed(2)}× |`);
  }
}

// What no parallel search can beat here: independent copies of one search on separate threads.
console.log('\n### Independent copies of one search on worker threads (the ceiling of any split)\n');
console.log('| copies | wall s | CPU s | cores busy | states/s (all copies) | × one copy alone |');
console.log('|---|---|---|---|---|---|');
const { independentCopies } = await import('./copies/copies.js');
for (const r of await independentCopies(workerCounts)) console.log(`| ${r.copies} | ${r.wallSec} | ${r.cpuSec} | ${(r.cpuSec / r.wallSec).toFixed(2)} | ${r.statesPerSec} | ${r.ceiling.toFixed(2)}× |`);

// How much of a second core one search thread uses by itself: V8 collects garbage and compiles
// on background threads. With them off (`--single-threaded`) the same search runs on one core
// only, and more slowly; the difference is what a second search thread has to share.
console.log('\n### One search thread and the second core (the reference search alone in a process)\n');
console.log('| node flags | wall s | CPU s | cores busy |');
console.log('|---|---|---|---|');
const { execFileSync } = await import('node:child_process');
for (const flags of [[], ['--single-threaded']]) {
  const out = execFileSync(process.execPath, [...flags, 'bin/run-ts.mjs', 'bench/copies/one-process.ts'], { encoding: 'utf8' });
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { wallMs: number; cpuMs: number };
  console.log(`| ${flags.join(' ') || '(none)'} | ${(r.wallMs / 1000).toFixed(2)} | ${(r.cpuMs / 1000).toFixed(2)} | ${(r.cpuMs / r.wallMs).toFixed(2)} |`);
}

