// `paxcheck report`: reads result folders (run sets under runs/, failure files under failures/),
// merges shards and writes one self-contained HTML page.

import { writeAtomic } from '../artifacts/atomic.js';
import { jsonFilesIn } from '../artifacts/report-dir.js';
import type { FailureInput } from './failure-section.js';
import { readFailure } from '../artifacts/failure-file.js';
import type { ReportInput, RenderOptions } from './index-page.js';
import { renderIndex } from './index-page.js';
import type { RunSet } from '../artifacts/runset.js';
import { readRunSets } from '../artifacts/runset.js';

/** Every failure file under `<dir>/failures/`, sorted by name. */
export function failureFilesIn(dir: string): string[] {
  return jsonFilesIn(dir, 'failures');
}

export function readFailures(paths: readonly string[]): FailureInput[] {
  const seen = new Set<string>();
  const out: FailureInput[] = [];
  for (const path of paths) {
    if (seen.has(path)) continue;
    seen.add(path);
    out.push({ path, file: readFailure(path) });
  }
  return out;
}

export interface WriteReportOptions extends RenderOptions, Omit<ReportInput, 'runSets' | 'failures'> {
  readonly out: string;
  readonly runSets: readonly RunSet[];
  readonly failures: readonly string[];
}

/** Renders and writes the page atomically; returns its path. */
export async function writeReport(o: WriteReportOptions): Promise<string> {
  const html = await renderIndex({ ...o, failures: readFailures(o.failures) }, o);
  writeAtomic(o.out, html);
  return o.out;
}

/** Reads every run set and failure file in `dirs` (merging shards) and writes the page. */
export async function reportFromDirs(dirs: readonly string[], out: string, o: RenderOptions & Omit<ReportInput, 'runSets' | 'failures'> = {}): Promise<{ out: string; runSets: number; failures: number }> {
  const runSets = dirs.flatMap(readRunSets);
  const failures = dirs.flatMap(failureFilesIn);
  await writeReport({ ...o, out, runSets, failures });
  return { out, runSets: runSets.length, failures: failures.length };
}
