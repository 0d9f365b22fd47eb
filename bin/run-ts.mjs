#!/usr/bin/env node
// Runs a TypeScript entry point (benchmarks, scripts) through tsx with the rest of argv.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
register();
const [, , entry, ...rest] = process.argv;
if (!entry) { process.stderr.write('usage: run-ts.mjs FILE.ts [args]\n'); process.exit(2); }
process.argv = [process.argv[0], entry, ...rest];
await import(pathToFileURL(resolve(entry)).href);
