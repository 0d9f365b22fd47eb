// One copy of the reference search on a worker thread: loaded, it says so and waits for the
// word, so that the copies run side by side and their start-up is not timed.
import { parentPort } from 'node:worker_threads';
import { referenceSearch } from './reference.js';

parentPort?.once('message', () => {
  const t0 = performance.now();
  const distinctStates = referenceSearch();
  parentPort?.postMessage({ distinctStates, wallMs: performance.now() - t0 });
});
parentPort?.postMessage('ready');
