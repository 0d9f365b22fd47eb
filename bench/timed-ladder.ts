// The default bound ladder as `explore --strategy bfs` runs it with no bound, on one thread or
// on several (`--workers N`), timed as a whole: what the ladder tables of explore.ts and
// workers.ts compare. Both run the compiled package (dist/, built by `npm install`), as the CLI
// and an installed package do: threads started from the TypeScript sources put every module
// through tsx first, which cost the threaded ladder about 10% more CPU (22.5 s compiled against
// 24.8 s from the sources, disk no-recovery-phase on two threads).
import type { LadderJob } from '../dist/artifacts/ladder-threads.js';
import { ladderOnThreads } from '../dist/artifacts/ladder-threads.js';
import type { LadderOutcome } from '../dist/artifacts/explore-runset.js';
import { ladderWithCoverageSteps } from '../dist/artifacts/explore-runset.js';
import { budgetFlag } from '../dist/search/budget.js';
import { runSync } from '../dist/step/drive.js';

export async function timedLadder(job: LadderJob, threads: number, maxTimeMs?: number): Promise<LadderOutcome & { readonly wallMs: number }> {
  const stop = budgetFlag(maxTimeMs === undefined ? {} : { maxTimeMs });
  const t0 = performance.now();
  const r = threads === 1 ? runSync(ladderWithCoverageSteps({ ...job, stop })) : await ladderOnThreads(job, { threads, stop, ...stop.limits });
  return { ...r, wallMs: performance.now() - t0 };
}
