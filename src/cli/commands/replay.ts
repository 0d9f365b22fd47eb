import { replay } from '../../step/replay.js';
import type { ReplayResult } from '../../step/replay.js';
import { writeAtomic } from '../../artifacts/atomic.js';
import type { FailureFile } from '../../artifacts/failure-file.js';
import { FailureFileError, readFailure } from '../../artifacts/failure-file.js';
import { failurePage } from '../../report/failure-section.js';
import { InputError } from '../../errors.js';
import { VERSION } from '../../version.js';
import type { ReplayArgs } from '../flags/files.js';
import { rerunHint } from '../rerun.js';

/** Steps shown in full before the violation in the compact view. */
const TAIL = 12;

/** Reads the file; what cannot be replayed is bad input naming the command that re-runs its seed. */
function load(file: string): FailureFile {
  try {
    return readFailure(file);
  } catch (err) {
    if (err instanceof FailureFileError) throw new InputError(`${err.message}; ${rerunHint(err.salvage)}`);
    throw err;
  }
}

function versionNote(f: FailureFile): string | null {
  return f.version === VERSION ? null : `written by paxcheck ${f.version}, replayed by ${VERSION}`;
}

/**
 * `paxcheck replay FILE`: exit 1 if the violation reproduces; 0 if every recorded choice applies
 * and no property fails (the bug is gone); 2 if the choices do not fit (a step is not enabled),
 * with the step, the reason and the command that re-runs the recorded seed instead.
 */
export function replayCommand(a: ReplayArgs): number {
  const f = load(a.file);
  let r: ReplayResult;
  try {
    r = replay(f);
  } catch (err) {
    // An unknown protocol, service or mutant: the file comes from another protocol source.
    if (err instanceof InputError) throw new InputError(`${a.file}: ${err.message}; ${rerunHint(f)}`);
    throw err;
  }
  const version = versionNote(f);
  if (r.outcome === 'misfit') {
    if (a.json) process.stdout.write(JSON.stringify(jsonOf(a, f, r)) + '\n');
    throw new InputError(`${a.file}: ${r.error ?? `step ${r.failedStep}: not enabled`}${version ? ` (${version})` : ''}; ${rerunHint(f)}`);
  }
  if (a.html) writeAtomic(a.html, failurePage({ path: a.file, file: f }));
  if (a.json) process.stdout.write(JSON.stringify(jsonOf(a, f, r)) + '\n');
  else process.stdout.write(textOf(a, f, r).join('\n') + '\n');
  const notes = [...(version ? [version] : []), ...(r.violation && !r.reproduced ? ['the replay diverged from the recorded run (fingerprint or step differs)'] : [])];
  if (notes.length > 0) process.stderr.write(`paxcheck: note: ${notes.join('; ')}\n`);
  return r.violation ? 1 : 0;
}

function jsonOf(a: ReplayArgs, f: FailureFile, r: ReplayResult): object {
  return {
    file: a.file,
    protocol: f.protocol,
    service: f.service,
    mutant: f.mutant,
    seed: f.seed,
    run: f.run,
    version: f.version,
    steps: r.steps.length,
    outcome: r.outcome,
    violation: r.violation ? { ...r.violation, step: r.violationStep } : null,
    trace: r.trace,
    expectedTrace: r.expectedTrace,
    reproduced: r.reproduced,
    error: r.error,
    failedStep: r.failedStep,
    ...(a.html && r.outcome !== 'misfit' ? { html: a.html } : {}),
  };
}

function textOf(a: ReplayArgs, f: FailureFile, r: ReplayResult): string[] {
  const out: string[] = [
    `replaying ${a.file}: ${f.protocol}${f.service ? `/${f.service}` : ''} mutant=${f.mutant ?? 'none'} seed=${f.seed} run=${f.run} (${f.choices.length} steps, ${f.strategy})`,
  ];
  const last = r.steps.length;
  let skipped = 0;
  for (const s of r.steps) {
    const marked = r.violationStep === s.index;
    const show = a.trace || marked || s.notable || s.index > last - TAIL;
    if (!show) {
      skipped++;
      continue;
    }
    if (skipped > 0) {
      out.push(`        … ${skipped} routine steps (--trace shows every step)`);
      skipped = 0;
    }
    out.push(`${marked ? '>>' : '  '} ${String(s.index).padStart(5)}  ${s.text}`);
  }
  if (r.violation) out.push(`VIOLATION at step ${r.violationStep}: ${r.violation.property}: ${r.violation.message}`);
  else out.push(`no violation: all ${f.choices.length} recorded steps applied and no property failed — the bug no longer reproduces (the code changed since the file was written)`);
  out.push(`trace fingerprint ${r.trace} ${r.trace === r.expectedTrace ? '(matches the recorded one)' : `(recorded ${r.expectedTrace}: DIFFERS)`}`);
  if (a.html) out.push(`wrote ${a.html}`);
  return out;
}
