import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

export default defineConfig({
  // Examples import the package by name, as users do; inside the repository that is the source.
  resolve: { alias: [{ find: /^paxcheck\/vitest$/, replacement: src('vitest.ts') }, { find: /^paxcheck\/runtime$/, replacement: src('runtime.ts') }, { find: /^paxcheck$/, replacement: src('index.ts') }] },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Both cores: vitest's default leaves one idle on a 2-core machine, and most files wait on
    // child processes (the CLI, agents, store servers) rather than compute.
    maxWorkers: 2,
  },
});
