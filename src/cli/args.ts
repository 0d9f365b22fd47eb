// What the commands share: how a failure file records the command line that wrote it, and the
// printed replay command.

import { hideBin } from 'yargs/helpers';
import { failureSink } from '../artifacts/failure-file.js';
import type { FailureSink } from '../step/counterexample.js';

export { replayCommandFor } from './invocation.js';

/** Failure files under `<out>/failures/` that record this invocation as the way to re-run them. */
export function cliFailureSink(out: string): FailureSink {
  return failureSink(out, { rerun: hideBin(process.argv) });
}
