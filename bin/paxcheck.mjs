#!/usr/bin/env node
// The CLI, compiled (npm run build, run by `prepare` on install): no TypeScript at start-up.
import { existsSync } from 'node:fs';
const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('paxcheck: dist/ is missing: run `npm run build` (npm install runs it through `prepare`)\n');
  process.exit(2);
}
await import(main.href);
