import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Determinism is the product: the deterministic core may not read clocks, ambient randomness
// or timers. Everything random comes from the seeded streams in src/kernel/rng.ts.
const nondeterministicGlobals = {
  'no-restricted-globals': ['error',
    { name: 'Date', message: 'No wall clock in the deterministic core.' },
    { name: 'performance', message: 'No wall clock in the deterministic core.' },
    { name: 'setTimeout', message: 'No real timers: use ctx.setTimer.' },
    { name: 'setInterval', message: 'No real timers: use ctx.setTimer.' },
    { name: 'setImmediate', message: 'No real timers: use ctx.setTimer.' },
    { name: 'queueMicrotask', message: 'No real scheduling in the deterministic core.' },
  ],
  'no-restricted-properties': ['error',
    { object: 'Math', property: 'random', message: 'Use a seeded stream from src/kernel/rng.ts.' },
    { object: 'Date', property: 'now', message: 'No wall clock in the deterministic core.' },
    { object: 'performance', property: 'now', message: 'No wall clock in the deterministic core.' },
    { object: 'process', property: 'hrtime', message: 'No wall clock in the deterministic core.' },
  ],
};
const io = { group: ['node:fs', 'fs', 'node:fs/*', 'fs/*', 'node:timers', 'timers', 'node:worker_threads', 'node:child_process', 'node:crypto', 'crypto'], message: 'No I/O or ambient entropy in the deterministic core.' };

// The dependency direction (docs/architecture.md): each layer imports only the layers below it.
// kernel ← properties, protocols, scenario ← step ← engines (sim, walks, search, coverage) ←
// scale ← artifacts ← report ← campaign ← api, runtime ← vitest, index ← cli.
const layers = [
  ['kernel'],
  ['properties', 'protocols', 'scenario'],
  ['step', 'loader'],
  ['sim', 'walks', 'search', 'coverage'],
  ['scale'],
  ['artifacts'],
  ['report'],
  ['campaign'],
  ['api', 'runtime'],
  ['vitest'],
  ['cli'],
];
const above = (i) => layers.slice(i + 1).flat();
const banned = (names) => names.flatMap((n) => [`**/${n}/**`, `**/${n}.js`].map((g) => g)).filter((g) => !g.endsWith('/vitest.js'));
const layerRules = layers.flatMap((folders, i) => folders.map((folder) => {
  const patterns = above(i).length === 0 ? [] : [{ group: banned(above(i)), message: `src/${folder} may not import a layer above it (see the dependency direction in eslint.config.js).` }];
  if (['kernel', 'properties', 'protocols'].includes(folder)) patterns.push(io);
  return {
    files: [`src/${folder}/**/*.ts`, `src/${folder}.ts`],
    rules: {
      ...(patterns.length ? { 'no-restricted-imports': ['error', { patterns }] } : {}),
      ...(['kernel', 'properties', 'protocols'].includes(folder) ? nondeterministicGlobals : {}),
    },
  };
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'reports/**', 'bin/**', 'examples/*/node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerRules,
);
