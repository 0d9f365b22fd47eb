// A worker thread started from the TypeScript sources runs them through tsx too: hooks
// registered in the main thread do not reach it. The module to run comes as the last argv entry.
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
await import(process.argv[process.argv.length - 1]);
