// Benchmark: exhaustive bfs per target, and time to the first violation per mutant for random,
// swarm, pct and bfs side by side, at the bounds of src/search/bounds.ts.
// Usage: node bin/run-ts.mjs bench/explore.ts [--seeds 3] [--runs 300] [--ladder-seconds 60]   (npm run bench -- explore)
//
// Reductions as in the CLI (sleep-set POR and symmetry on). random and pct are untimed walks at
// the mutant's topology and fault budget (no timer or ballot bound: they never exhaust); swarm is
// timed runs of the default scenario at that topology, each with a random subset of fault kinds.
// A counterexample's length is its number of choices, the unit failure files and replay count in.
import { boundedSearch, boundsText, completeBounds, mutantBounds, targetLabel } from '../src/search/bounds.js';
import type { TargetBounds } from '../src/search/bounds.js';
import { randomized } from '../src/walks/randomized.js';
import type { RandomStrategy } from '../src/walks/randomized.js';
import { systematic } from '../src/search/systematic.js';
import { loadScenario } from '../src/scenario/load.js';

const args = process.argv.slice(2);
const opt = (f: string, d: number): number => {
  const i = args.indexOf(f);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const seeds = opt('--seeds', 3);
const runs = opt('--runs', 300);
const median = (xs: readonly number[]): number | null => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : (s[Math.floor((s.length - 1) / 2)] as number);
};

function bfs(t: TargetBounds & { readonly mutant?: string }) {
  return systematic(boundedSearch(t));
}

console.log('## Exhaustive bfs per target (sleep-set POR and symmetry on)');
console.log('| target | bounds | distinct states | generated | depth | complete | violations | wall ms | states/s | bytes/state |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const t of completeBounds) {
  bfs(t); // warm-up (JIT)
  const s = bfs(t);
  console.log(
    `| ${targetLabel(t)} | ${boundsText(t.bounds)} | ${s.distinctStates} | ${s.generated} | ${s.depth} | ${s.complete} | ${s.violations} | ${s.wallMs} | ${s.statesPerSec} | ${s.bytesPerState.toFixed(1)} |`,
  );
}

const scenario = loadScenario('default');
const strategies: readonly RandomStrategy[] = ['random', 'swarm', 'pct'];
console.log(`\n## Time to first violation per mutant (median over ${seeds} seeds of ${runs} runs each; ms / choices)`);
console.log('| mutant | bounds | random | swarm | pct | bfs | bfs states |');
console.log('|---|---|---|---|---|---|---|');
for (const m of mutantBounds) {
  const b = m.bounds;
  const cells = strategies.map((strategy) => {
    const ms: number[] = [];
    const len: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const r = randomized({ protocol: m.protocol, service: m.service, mutant: m.mutant, strategy, scenario, topology: b.topology, budget: b.budget, seed, runs, maxSteps: 400 });
      if (r.firstViolation) {
        ms.push(r.wallMs);
        len.push(r.firstViolation.depth);
      }
    }
    return ms.length === 0 ? `not found (${seeds}×${runs} runs)` : `${median(ms)} ms / ${median(len)} (${ms.length}/${seeds})`;
  });
  const s = bfs(m);
  const v = s.firstViolation;
  const bfsCell = v ? `${s.wallMs} ms / ${v.depth}` : `not found (${s.wallMs} ms, ${s.complete ? 'complete' : `stopped at depth ${s.depth}`})`;
  console.log(`| ${targetLabel(m)} ${m.mutant} | ${boundsText(b)} | ${cells.join(' | ')} | ${bfsCell} | ${s.distinctStates} |`);
}

// The default bound ladder, as `explore --strategy bfs --mutant M` runs it with no bound given:
// the same rungs for every mutant, a 60 s time budget each; then as `--workers 2` runs it (the
// attempts on two threads, taken in the same order: the same rung and counts, another wall time).
const LADDER_MS = opt('--ladder-seconds', 60) * 1000;
const { timedLadder } = await import('./timed-ladder.js');
console.log(`\n## The default bound ladder per mutant (no bounds given; ${LADDER_MS / 1000} s budget)`);
console.log('| mutant | found | wall s | rung | rung bounds | attempts | states at that rung | 2 threads: found, wall s |');
console.log('|---|---|---|---|---|---|---|---|');
for (const m of mutantBounds) {
  const job = { protocol: m.protocol, service: m.service, mutant: m.mutant, strategy: 'bfs' as const, por: true, symmetry: true };
  const one = await timedLadder(job, 1, LADDER_MS);
  const two = await timedLadder(job, 2, LADDER_MS);
  const end = one.ladder.rungs.at(-1);
  const found = end?.verdict === 'violation';
  const found2 = two.ladder.rungs.at(-1)?.verdict === 'violation';
  console.log(`| ${targetLabel(m)} ${m.mutant} | ${found ? 'yes' : 'no'} | ${(one.wallMs / 1000).toFixed(1)} | ${found ? end.rung : '–'} | ${found ? boundsText(end.bounds) : '–'} | ${one.ladder.rungs.length} | ${found ? end.distinctStates : '–'} | ${found2 ? 'yes' : 'no'}, ${(two.wallMs / 1000).toFixed(1)} |`);
}

// Memory per state, whole process: the CLI itself, one child process per search, reporting the
// peak resident memory of everything it holds (heap, off-heap tables, compact frontier, code)
// over the distinct states it reached. Larger, multi-command worlds than the completing bounds,
// cut at a state count, so that the per-state cost dominates the process's fixed ~50 MiB.
const MEMORY_STATES = opt('--memory-states', 300_000);
const memoryCases: readonly { readonly label: string; readonly args: readonly string[] }[] = [
  { label: 'static 2 proposers, 3 acceptors, 2 commands, 1 drop', args: ['--protocol', 'static', '--topology', 'proposers=2,acceptors=3,commands=2', '--budget', 'drops=1,ballots=3,timers=0'] },
  { label: 'disk 2 proposers, 2 disks, 2 commands, 1 drop', args: ['--protocol', 'disk', '--topology', 'proposers=2,servers=2,commands=2', '--budget', 'drops=1,ballots=3,timers=0'] },
  { label: 'passive/cas 2 proposers, 3 servers, 2 commands, 1 drop', args: ['--protocol', 'passive', '--service', 'cas', '--topology', 'proposers=2,servers=3,commands=2', '--budget', 'drops=1,ballots=3,timers=0'] },
];
console.log(`\n## Memory per distinct state, whole process (the CLI's bfs cut at ${MEMORY_STATES.toLocaleString('en-US')} states; POR, symmetry and coverage on)`);
console.log('| search | distinct states | queued | wall s | states/s | peak RSS MiB | bytes/state (all memory) | table bytes/state |');
console.log('|---|---|---|---|---|---|---|---|');
const { spawnSync } = await import('node:child_process');
const { mkdtempSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
for (const c of memoryCases) {
  const out = mkdtempSync(join(tmpdir(), 'paxcheck-bench-memory-'));
  const cli = join(import.meta.dirname, '..', 'bin', 'paxcheck.mjs');
  const r = spawnSync(process.execPath, [cli, 'explore', ...c.args, '--strategy', 'bfs', '--max-states', String(MEMORY_STATES), '--json', '--out', out], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0 && r.status !== 1) {
    console.log(`| ${c.label} | failed (exit ${String(r.status)}): ${r.stderr.trim().split('\n').at(-1) ?? ''} |`);
    continue;
  }
  const j = JSON.parse(r.stdout) as { distinctStates: number; queued: number; wallMs: number; statesPerSec: number; peakRssMiB: number; rssBytesPerState: number; bytesPerState: number };
  console.log(`| ${c.label} | ${j.distinctStates} | ${j.queued} | ${(j.wallMs / 1000).toFixed(1)} | ${j.statesPerSec} | ${j.peakRssMiB} | ${j.rssBytesPerState} | ${Math.round(j.bytesPerState)} |`);
}
