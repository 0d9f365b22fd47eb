import type { ReplayResult } from './replay.js';

/** Steps shown in full before the violation. */
const TAIL = 12;

/**
 * A counterexample as readable lines: every notable step (faults, decisions), the last few
 * before the violation, the violating step marked `>>`, routine stretches folded.
 */
export function compactSteps(r: ReplayResult, all = false): string[] {
  const out: string[] = [];
  const last = r.steps.length;
  let skipped = 0;
  for (const s of r.steps) {
    const marked = r.violationStep === s.index;
    if (!(all || marked || s.notable || s.index > last - TAIL)) {
      skipped++;
      continue;
    }
    if (skipped > 0) out.push(`        … ${skipped} routine steps`);
    skipped = 0;
    out.push(`${marked ? '>>' : '  '} ${String(s.index).padStart(5)}  ${s.text}`);
  }
  return out;
}
