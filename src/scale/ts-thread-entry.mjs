// A worker thread started from the TypeScript sources runs them through tsx too: hooks
// registered in the main thread do not reach it. The module to run comes as the last argv entry.
import { register as registerHooks } from 'node:module';
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
registerHooks('./ts-source-alias.mjs', import.meta.url);
await import(process.argv[process.argv.length - 1]);
