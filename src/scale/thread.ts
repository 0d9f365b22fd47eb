import type { WorkerOptions } from 'node:worker_threads';
import { Worker } from 'node:worker_threads';

/**
 * Starts the module `name` (without extension, relative to `from`, an `import.meta.url`) on a
 * worker thread. Compiled, it is the module's own .js; from the TypeScript sources, one shared
 * entry registers tsx in the thread first and then imports the .ts module.
 */
export function startThread(from: string, name: string, options: WorkerOptions = {}): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`${name}.js`, from), options);
  const module = new URL(`${name}.ts`, from).href;
  return new Worker(new URL('./ts-thread-entry.mjs', import.meta.url), { ...options, argv: [...(options.argv ?? []), module] });
}
