// A worker thread of the threaded bound ladder (ladder-threads.ts): runs the rung attempts it is
// handed, one at a time, exactly as the single-threaded ladder runs them, and sends back each
// attempt's summary, run set and counterexample. Files are written by the main thread, which
// alone knows which attempt the ladder keeps.

import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import type { Counterexample } from '../step/counterexample.js';
import { runSync } from '../step/drive.js';
import { budgetFlag } from '../search/budget.js';
import type { ExploreProgress } from '../search/bfs.js';
import { rungAttemptSteps } from './explore-runset.js';
import { ReachCounter } from '../coverage/reach.js';
import type { FromLadderThread, LadderThreadSetup, ToLadderThread } from './ladder-thread-protocol.js';
import { CANCEL_ALL, IN_LADDER_THREAD } from './ladder-thread-protocol.js';

const setup = workerData as LadderThreadSetup;
// A module that calls checkParallel at its top level would start threads again from each thread.
(globalThis as Record<symbol, unknown>)[IN_LADDER_THREAD] = true;
// A user protocol lives in a module the main thread loaded; this thread must load it too.
if (setup.module) await (await import('../loader/module.js')).loadProtocolModule(setup.module.path, setup.search.protocol);
const port = parentPort as MessagePort;
/** Expanded states between two progress messages. */
const PROGRESS_EVERY = 4096;
const cancel = new Int32Array(setup.cancel);

function attempt(m: Extract<ToLadderThread, { t: 'attempt' }>): FromLadderThread {
  const cancelled = {
    get stopped(): boolean {
      const c = Atomics.load(cancel, setup.slot);
      return c === CANCEL_ALL || c === m.p + 1;
    },
  };
  const stop = budgetFlag({ maxTimeMs: Math.max(1, m.timeLeftMs), maxMemoryMiB: setup.maxMemoryMiB }, cancelled);
  let failure: Counterexample | null = null;
  // Kept, not written: the main thread writes the file for the attempt the ladder keeps and
  // puts its path in the summary in place of this placeholder.
  const record = (c: Counterexample): string => {
    failure = c;
    return '';
  };
  const onProgress = (progress: ExploreProgress): void => port.postMessage({ t: 'progress', p: m.p, progress } satisfies FromLadderThread);
  const reach = setup.reach ? new ReachCounter() : null;
  const also = reach ? { graph: reach.graph } : {};
  const got = runSync(rungAttemptSteps({ ...setup.search, stop, record, onProgress, progressEvery: PROGRESS_EVERY }, m.bounds, m.cap ?? undefined, also));
  return { t: 'done', p: m.p, attempt: got, failure, reach: reach?.report() ?? [] };
}

port.on('message', (m: ToLadderThread) => {
  try {
    port.postMessage(attempt(m));
  } catch (err) {
    port.postMessage({ t: 'error', p: m.p, message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies FromLadderThread);
  }
});
