import { existsSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { readThresholds } from '../../report/gate.js';
import { THRESHOLDS_FILE } from '../../report/check-report.js';
import { reportFromDirs } from '../../report/write.js';
import { interruptFlag, progress } from '../progress.js';

export interface ReportArgs {
  readonly in: readonly string[];
  readonly out: string;
  readonly json: boolean;
}

/** `paxcheck report`: merge result folders (shards, CI matrix jobs) into one HTML page. */
export async function reportCommand(a: ReportArgs): Promise<number> {
  for (const d of a.in) if (!existsSync(d)) throw new InputError(`no result folder ${d}`);
  const stop = interruptFlag();
  let bar = progress('report', 1, false);
  try {
    const r = await reportFromDirs(a.in, a.out, {
      thresholds: existsSync(THRESHOLDS_FILE) ? readThresholds(THRESHOLDS_FILE) : undefined,
      notes: [`paxcheck report --in ${a.in.join(' ')}`],
      stop,
      onProgress: (done, total, label) => {
        if (done === 1) bar = progress('report', total, !a.json);
        bar.update(done, label);
      },
    });
    bar.stop();
    if (a.json) process.stdout.write(JSON.stringify({ ...r, interrupted: stop.stopped }) + '\n');
    else process.stdout.write(`wrote ${r.out}: ${r.runSets} run sets, ${r.failures} counterexamples${stop.stopped ? ' (interrupted: partial)' : ''}\n`);
    return 0;
  } finally {
    bar.stop();
    stop.dispose();
  }
}
