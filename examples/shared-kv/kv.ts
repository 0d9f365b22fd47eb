import { openLog } from 'paxcheck/runtime';
import type { LogEntry, LogOptions } from 'paxcheck/runtime';

// A key-value store shared by several processes through passive stores only (three SQLite files
// here): every put and every get is a command in one replicated log, and each process replays
// the log it has learned. A get goes through the log too, so it sees every put decided before it.

export interface SharedKv {
  put(key: string, value: string): Promise<void>;
  get(key: string): Promise<string | null>;
  /** The map as this process has learned it so far. */
  snapshot(): Record<string, string>;
  /** Waits until this process has learned at least n log entries. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function replay(entries: readonly LogEntry[], upTo = entries.length): Record<string, string> {
  const state: Record<string, string> = {};
  for (const e of entries.slice(0, upTo)) {
    const eq = e.command.indexOf('=');
    if (!e.command.startsWith('?') && eq > 0) state[e.command.slice(0, eq)] = e.command.slice(eq + 1);
  }
  return state;
}

export async function openSharedKv(o: Omit<LogOptions, 'service'>): Promise<SharedKv> {
  const log = await openLog({ ...o, service: 'cas' });
  return {
    async put(key, value) {
      if (key.includes('=') || key.startsWith('?')) throw new Error(`bad key ${key}`);
      await log.append(`${key}=${value}`);
    },
    async get(key) {
      // The read's place in the log is its linearization point: replay everything before it.
      const slot = await log.append(`?${key}`);
      return replay(log.log(), slot)[key] ?? null;
    },
    snapshot: () => replay(log.log()),
    waitFor: (n, timeoutMs) => log.waitFor(n, timeoutMs),
    close: () => log.close(),
  };
}
