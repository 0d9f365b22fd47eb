// `replay(file)`: re-executes a failure file in this process, loading the protocol module it
// names (refused when that module's source changed since the failure was recorded).

import type { FailureFile } from '../artifacts/failure-file.js';
import { readFailure } from '../artifacts/failure-file.js';
import { InputError } from '../errors.js';
import { findFamily } from '../protocols/index.js';
import { compactSteps } from '../step/compact.js';
import { replay as replayChoicesOf } from '../step/replay.js';
import type { Violation } from '../properties/index.js';
import { loadProtocolModule, moduleRef } from '../loader/module.js';

export interface ReplayReport {
  /** reproduced: the same violation; fixed: every choice applied and nothing failed; misfit: the choices do not fit the code. */
  readonly outcome: 'reproduced' | 'fixed' | 'misfit';
  readonly violation: Violation | null;
  readonly step: number | null;
  readonly steps: readonly string[];
  readonly trace: string;
  readonly error: string | null;
}

/** Loads the module a failure file names, after checking its source is the one recorded. */
export async function prepareReplay(f: FailureFile, file: string): Promise<void> {
  if (!f.module) return;
  const now = moduleRef(f.module.path);
  if (now.hash !== f.module.hash) {
    throw new InputError(`${file}: protocol module ${f.module.path} changed since the failure was recorded (hash ${f.module.hash}, now ${now.hash})`);
  }
  if (!findFamily(f.protocol)) await loadProtocolModule(f.module.path, f.protocol);
}

export async function replay(file: string): Promise<ReplayReport> {
  const f = readFailure(file);
  await prepareReplay(f, file);
  const r = replayChoicesOf(f);
  const outcome = r.error !== null ? 'misfit' : r.violation ? 'reproduced' : 'fixed';
  return { outcome, violation: r.violation, step: r.violationStep, steps: compactSteps(r), trace: r.trace, error: r.error };
}
