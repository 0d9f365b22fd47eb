// The default bound ladder as `explore --strategy bfs` runs it with no bound, on one thread or
// on several (`--workers N`), timed as a whole: what the ladder tables of explore.ts and
// workers.ts compare.
import type { LadderJob } from '../src/artifacts/ladder-threads.js';
import { ladderOnThreads } from '../src/artifacts/ladder-threads.js';
import type { LadderOutcome } from '../src/artifacts/explore-runset.js';
import { ladderWithCoverageSteps } from '../src/artifacts/explore-runset.js';
import { budgetFlag } from '../src/search/budget.js';
import { runSync } from '../src/step/drive.js';

export async function timedLadder(job: LadderJob, threads: number, maxTimeMs?: number): Promise<LadderOutcome & { readonly wallMs: number }> {
  const stop = budgetFlag(maxTimeMs === undefined ? {} : { maxTimeMs });
  const t0 = performance.now();
  const r = threads === 1 ? runSync(ladderWithCoverageSteps({ ...job, stop })) : await ladderOnThreads(job, { threads, stop, ...stop.limits });
  return { ...r, wallMs: performance.now() - t0 };
}
