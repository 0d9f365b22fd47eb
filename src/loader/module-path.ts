// Whether a --protocol value names a module: a module of its own, with no imports, so that the
// CLI can decide at start-up without loading the loader (and with it every built-in protocol).

import { isAbsolute } from 'node:path';

/** True when a --protocol value names a module rather than a built-in family. */
export const isModulePath = (s: string): boolean => s.startsWith('.') || isAbsolute(s) || /\.(m|c)?(t|j)s$/.test(s) || s.startsWith('file:');
