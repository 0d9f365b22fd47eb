// npm run bench: every benchmark in turn, printed as markdown tables. `npm run bench -- explore`
// (or any of the names below) runs only those; other arguments go to the benchmarks.
const parts: Readonly<Record<string, () => Promise<unknown>>> = {
  simulate: () => import('./simulate.js'),
  'spec-paxos': () => import('./spec-paxos.js'),
  explore: () => import('./explore.js'),
  workers: () => import('./workers.js'),
  run: () => import('./run.js'),
};
const asked = process.argv.slice(2).filter((a) => Object.hasOwn(parts, a));
process.argv = process.argv.filter((a) => !Object.hasOwn(parts, a));
for (const name of asked.length > 0 ? asked : Object.keys(parts)) await parts[name]?.();
