// Worker threads run the TypeScript sources through tsx too: hooks registered in the main thread
// do not reach them.
import { register } from 'tsx/esm/api';

register();
await import('./copy-thread.ts');
