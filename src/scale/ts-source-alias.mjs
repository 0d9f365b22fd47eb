// A resolve hook for worker threads started from the TypeScript sources: there, the package's
// own name means its sources, as vitest.config.ts aliases it for the main thread. Without it a
// user's protocol module loaded in a thread would import the compiled package (dist/): a second
// copy of the whole package in the thread, loaded and compiled again, with registries of its own
// (property bindings are shared per process since stop 26, src/properties/index.ts).
import { URL } from 'node:url';

const sources = new URL('../', import.meta.url);
const aliases = new Map([
  ['paxcheck', 'index.ts'],
  ['paxcheck/vitest', 'vitest.ts'],
  ['paxcheck/runtime', 'runtime.ts'],
]);

export async function resolve(specifier, context, next) {
  const file = aliases.get(specifier);
  return file === undefined ? next(specifier, context) : { url: new URL(file, sources).href, shortCircuit: true };
}
