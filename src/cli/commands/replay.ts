import { replay } from '../../step/replay.js';
import { writeAtomic } from '../../artifacts/atomic.js';
import { readFailure } from '../../artifacts/failure-file.js';
import { failurePage } from '../../report/failure-section.js';

export interface ReplayArgs {
  readonly file: string;
  readonly trace: boolean;
  readonly json: boolean;
  /** Also write the single-failure page (sequence diagram, state diffs) here. */
  readonly html?: string;
}

/** Steps shown in full before the violation in the compact view. */
const TAIL = 12;

export function replayCommand(a: ReplayArgs): number {
  const f = readFailure(a.file);
  const r = replay(f);
  if (a.html) writeAtomic(a.html, failurePage({ path: a.file, file: f }));
  if (a.json) {
    process.stdout.write(
      JSON.stringify({
        file: a.file,
        protocol: f.protocol,
        service: f.service,
        mutant: f.mutant,
        seed: f.seed,
        run: f.run,
        steps: r.steps.length,
        violation: r.violation ? { ...r.violation, step: r.violationStep } : null,
        trace: r.trace,
        expectedTrace: r.expectedTrace,
        reproduced: r.reproduced,
        error: r.error,
        ...(a.html ? { html: a.html } : {}),
      }) + '\n',
    );
  } else {
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
    if (r.error) out.push(`error: ${r.error}`);
    if (r.violation) out.push(`VIOLATION at step ${r.violationStep}: ${r.violation.property}: ${r.violation.message}`);
    else out.push('no violation: the failure does not reproduce');
    out.push(`trace fingerprint ${r.trace} ${r.trace === r.expectedTrace ? '(matches the recorded one)' : `(recorded ${r.expectedTrace}: DIFFERS)`}`);
    if (a.html) out.push(`wrote ${a.html}`);
    process.stdout.write(out.join('\n') + '\n');
  }
  if (r.violation && !r.reproduced) process.stderr.write('warning: the replay diverged from the recorded run (fingerprint or step differs)\n');
  return r.violation ? 1 : 0;
}
