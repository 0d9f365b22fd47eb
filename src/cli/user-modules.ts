// `--protocol ./my-protocol.ts` and replays of failures recorded from such a module: the module
// is loaded (and registered by its protocol's name) before the arguments are parsed, so every
// command, schema and worker thread sees a protocol name like a built-in one.

import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { isModulePath } from '../loader/module-path.js';

// The loader imports every built-in protocol (~90 ms a process): loaded only when a module is named.
const loader = (): Promise<typeof import('../loader/module.js')> => import('../loader/module.js');

/** Loads the module a failure file names, refusing one whose source changed since. */
async function loadRecorded(file: string): Promise<void> {
  let recorded: { protocol?: unknown; module?: { path?: unknown; hash?: unknown } };
  try {
    recorded = JSON.parse(readFileSync(file, 'utf8')) as typeof recorded;
  } catch {
    return; // unreadable or not JSON: the replay command reports it
  }
  const m = recorded.module;
  if (!m || typeof m.path !== 'string' || typeof recorded.protocol !== 'string') return;
  const { loadProtocolModule, moduleRef } = await loader();
  const now = moduleRef(m.path);
  if (now.hash !== m.hash) throw new InputError(`${file}: protocol module ${m.path} changed since the failure was recorded (source hash ${String(m.hash)}, now ${now.hash}); re-run the check that wrote it`);
  await loadProtocolModule(m.path, recorded.protocol);
}

/** Returns argv with module paths after --protocol replaced by the protocols' names. */
export async function loadUserModules(argv: readonly string[]): Promise<string[]> {
  const out = [...argv];
  for (let i = 0; i < out.length; i++) {
    const a = out[i] as string;
    const inline = a.startsWith('--protocol=') ? a.slice('--protocol='.length) : null;
    const value = inline ?? (a === '--protocol' ? out[i + 1] : undefined);
    if (value === undefined || !isModulePath(value)) continue;
    const { protocol } = await (await loader()).loadProtocolModule(value);
    if (inline !== null) out[i] = `--protocol=${protocol.name}`;
    else out[i + 1] = protocol.name;
  }
  const r = out.indexOf('replay');
  const file = r >= 0 ? out.slice(r + 1).find((x) => !x.startsWith('-')) : undefined;
  if (file !== undefined) await loadRecorded(file);
  return out;
}
