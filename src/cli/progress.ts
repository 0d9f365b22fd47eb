import cliProgress from 'cli-progress';

/** A bar on a TTY; in CI (no TTY) one summary line every few seconds instead. */
export interface Progress {
  update(done: number, note?: string): void;
  stop(): void;
}

export function progress(label: string, total: number, enabled: boolean): Progress {
  if (!enabled) return { update: () => {}, stop: () => {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} {note}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { note: '' });
    return { update: (done, note = '') => bar.update(done, { note }), stop: () => bar.stop() };
  }
  let last = Date.now();
  return {
    update(done, note = '') {
      const now = Date.now();
      if (now - last < 5000 && done < total) return;
      last = now;
      process.stderr.write(`${label}: ${done}/${total} ${note}\n`);
    },
    stop() {},
  };
}

/** Ctrl-C asks the running job to stop after the current unit and still write its report. */
export function interruptFlag(): { stopped: boolean; dispose(): void } {
  const flag = {
    stopped: false,
    dispose() {
      process.off('SIGINT', onSigint);
    },
  };
  const onSigint = (): void => {
    if (flag.stopped) process.exit(130);
    flag.stopped = true;
    process.stderr.write('\ninterrupted: finishing the current run and writing a partial report (Ctrl-C again to abort)\n');
  };
  process.on('SIGINT', onSigint);
  return flag;
}
