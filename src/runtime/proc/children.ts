import type { ChildProcess } from 'node:child_process';

// Every OS process a run starts is registered here, so that none outlives the run: whatever
// way the run ends (normal return, exception, SIGINT, process.exit), the exit hook SIGKILLs
// what is still alive. SIGKILL also ends a SIGSTOPped process, which could not react itself.

const live = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const c of live) {
    try {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

export function track(child: ChildProcess): ChildProcess {
  if (!hooked) {
    hooked = true;
    process.on('exit', killAll);
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Pids of the children still running (tests assert none is left). */
export function livePids(): number[] {
  return [...live].flatMap((c) => (c.pid !== undefined && c.exitCode === null && c.signalCode === null ? [c.pid] : []));
}

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGKILL and wait for the exit, so that the pid is really gone when this resolves. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await exited(child);
}

export function killAllNow(): void {
  killAll();
}
