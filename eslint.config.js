import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Determinism is the product: the deterministic core may not read clocks, ambient randomness
// or timers. Everything random comes from the seeded streams in src/kernel/rng.ts.
const nondeterministic = {
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
  'no-restricted-imports': ['error', { patterns: [
    { group: ['node:fs', 'fs', 'node:fs/*', 'fs/*', 'node:timers', 'timers', 'node:worker_threads', 'node:child_process', 'node:crypto', 'crypto'], message: 'No I/O or ambient entropy in the deterministic core.' },
  ] }],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'reports/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/kernel/**/*.ts', 'src/protocols/**/*.ts', 'properties/**/*.ts'], rules: nondeterministic },
);
