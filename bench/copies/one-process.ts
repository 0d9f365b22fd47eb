// The reference search alone in this process, timed from inside it after start-up: its wall
// time and the CPU time of the whole process while it ran (every thread: the search's, the
// garbage collector's and the compiler's). Printed as one JSON line for bench/workers.ts, which
// runs it with and without V8's background threads (`node --single-threaded`).
import { referenceSearch } from './reference.js';

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const distinctStates = referenceSearch();
const used = process.cpuUsage(cpu0);
console.log(JSON.stringify({ distinctStates, wallMs: performance.now() - t0, cpuMs: (used.user + used.system) / 1000 }));
