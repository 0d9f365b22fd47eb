// User protocols from modules (below the engines, so worker threads load them too): `--protocol ./my-protocol.ts` in the CLI, and the module a failure
// file names when it is replayed. A module is found by path, hashed (a replay refuses a module
// that changed since the failure was recorded), imported, and registered by its protocol's name.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InputError } from '../errors.js';
import type { Protocol } from '../protocols/define.js';
import type { ModuleRef } from '../protocols/index.js';
import { registerProtocol } from '../protocols/index.js';

export { isModulePath } from './module-path.js';

const toPath = (p: string): string => (p.startsWith('file:') ? fileURLToPath(p) : resolve(p));

/** The path as the user would type it from the current directory, and a hash of the source. */
export function moduleRef(p: string): ModuleRef {
  const abs = toPath(p);
  let source: Buffer;
  try {
    source = readFileSync(abs);
  } catch {
    throw new InputError(`cannot read protocol module ${p}`);
  }
  const rel = relative(process.cwd(), abs);
  return { path: rel.startsWith('..') || isAbsolute(rel) ? abs : `./${rel}`, hash: createHash('sha256').update(source).digest('hex').slice(0, 16) };
}

let tsLoader: Promise<void> | null = null;

/**
 * TypeScript modules need a loader; tsx is loaded only then, never at CLI start-up. Both hooks:
 * in a package without `"type": "module"` (what `npm init -y` writes) tsx compiles a `.ts` file
 * as CommonJS, and only the require hook can load it.
 */
function ensureTypeScript(): Promise<void> {
  tsLoader ??= Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]).then(
    ([esm, cjs]) => {
      esm.register();
      cjs.register();
    },
    () => {
      throw new InputError('loading a .ts protocol module needs tsx (npm install -D tsx), or pass the compiled .js');
    },
  );
  return tsLoader;
}

/** A CommonJS module's namespace holds its `exports` as `default`; its exports are in there. */
function exportsOf(mod: Record<string, unknown>): Record<string, unknown> {
  const d = mod.default;
  return typeof d === 'object' && d !== null && !isProtocol(d) && (d as { __esModule?: unknown }).__esModule === true ? (d as Record<string, unknown>) : mod;
}

export const isProtocol = (v: unknown): v is Protocol =>
  typeof v === 'object' && v !== null && typeof (v as Protocol).name === 'string' && typeof (v as Protocol).build === 'function' && Array.isArray((v as Protocol).mutants);

/** Imports `p` and registers its protocol: the default export, or the export named `name`. */
export async function loadProtocolModule(p: string, name?: string): Promise<{ protocol: Protocol; ref: ModuleRef }> {
  const ref = moduleRef(p);
  const abs = toPath(p);
  if (/\.(m|c)?ts$/.test(abs)) await ensureTypeScript();
  let mod: Record<string, unknown>;
  try {
    mod = exportsOf((await import(pathToFileURL(abs).href)) as Record<string, unknown>);
  } catch (err) {
    throw new InputError(`cannot load protocol module ${p}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const found = Object.values(mod).filter(isProtocol);
  const protocol = name === undefined ? (isProtocol(mod.default) ? mod.default : found[0]) : found.find((x) => x.name === name);
  if (!protocol) {
    throw new InputError(`${p}: no protocol ${name === undefined ? 'definition exported (export default defineProtocol({...}))' : `named "${name}" exported`}`);
  }
  registerProtocol(protocol, ref);
  return { protocol, ref };
}
