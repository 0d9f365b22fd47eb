// Ctrl-C and SIGTERM. The first asks the running job to stop at its next step boundary (engines
// read the flag there; the async drivers of step/drive.ts let the handler run); the job then
// writes what it has, marked interrupted, prints one line and exits 130. A second Ctrl-C exits
// at once, for a user who does not want to wait even for that.

import type { StopFlag } from '../step/drive.js';
import type { BudgetFlag, Budgets } from '../search/budget.js';
import { budgetFlag } from '../search/budget.js';

export interface Interrupt extends StopFlag {
  /** The signal that stopped the job, or null. */
  readonly signal: NodeJS.Signals | null;
  dispose(): void;
}

/** Exit status of an interrupted job (128 + SIGINT), as shells report a Ctrl-C. */
export const INTERRUPTED = 130;

export function interruptFlag(): Interrupt {
  const flag: { stopped: boolean; signal: NodeJS.Signals | null; dispose(): void } = {
    stopped: false,
    signal: null,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (flag.stopped) {
      // A progress bar may hold the cursor mid-line.
      if (process.stderr.isTTY) process.stderr.write('\n');
      process.exit(INTERRUPTED);
    }
    flag.stopped = true;
    flag.signal = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return flag;
}

/** The one line an interrupted job prints: what it did and where the partial results are. */
export function interruptedLine(what: string, wrote: readonly (string | null | undefined)[]): string {
  const files = wrote.filter((f): f is string => typeof f === 'string' && f !== '');
  // Counts read better grouped: "301 of 1,000,000,000 runs".
  const told = what.replace(/\b\d{5,}\b/g, (n) => Number(n).toLocaleString('en-US'));
  return `paxcheck: interrupted: ${told}${files.length > 0 ? `; partial results (marked interrupted) in ${files.join(', ')}` : ''}`;
}

/**
 * Ctrl-C plus the search budgets (`--max-memory`, `--max-time`): one flag the engines read at
 * their step boundaries; `reason` tells a spent budget from a signal.
 */
export function budgetedInterrupt(b: Budgets): Interrupt & BudgetFlag {
  const inner = interruptFlag();
  const flag = budgetFlag(b, inner);
  return {
    get stopped() {
      return flag.stopped;
    },
    get reason() {
      return flag.reason;
    },
    get signal() {
      return inner.signal;
    },
    limits: flag.limits,
    dispose: () => inner.dispose(),
  };
}
