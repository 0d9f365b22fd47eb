import type { Rng } from '../../kernel/rng.js';
import type { Cluster } from './cluster.js';
import type { RunStores } from './stores.js';

// What "a store misbehaves" means for each kind of store. A redis-server the run owns can crash
// (SIGKILL, then a restart on its port from its fsynced append-only file) or freeze (SIGSTOP).
// A SQLite file can be locked by another process (the agents' ops wait on the lock: a slow
// store, for real). Every store can be made slow by delaying the ops the agents send to it.

export interface StoreFault {
  readonly name: string;
  /** The history name of the heal. */
  readonly heal: string;
  readonly detail?: string;
  readonly minMs: number;
  readonly maxMs: number;
  /** Injects the fault at store `s`; resolves with the heal. */
  inject(s: number, rng: Rng): Promise<() => Promise<void>>;
}

function slowStore(cluster: Cluster): StoreFault {
  return {
    name: 'store-slow',
    heal: 'store-fast',
    detail: 'every op delayed by a random 0–300 ms',
    minMs: 500,
    maxMs: 2000,
    inject(s, rng) {
      const ms = 50 + rng.int(250);
      for (const a of cluster.agents) a.send({ t: 'slow', server: s, ms, forMs: 2000 });
      return Promise.resolve(async () => {
        for (const a of cluster.agents) a.send({ t: 'slow', server: s, ms: 0, forMs: 0 });
      });
    },
  };
}

function redisFaults(stores: RunStores): StoreFault[] {
  const kill: StoreFault = {
    name: 'store-kill',
    heal: 'store-restart',
    detail: 'SIGKILL redis-server',
    minMs: 300,
    maxMs: 1500,
    async inject(s) {
      const r = stores.redis[s];
      if (!r) return async () => undefined;
      await r.kill();
      return () => r.start();
    },
  };
  const pause: StoreFault = {
    name: 'store-pause',
    heal: 'store-resume',
    detail: 'SIGSTOP redis-server',
    minMs: 200,
    maxMs: 1200,
    inject(s) {
      const r = stores.redis[s];
      r?.pause();
      return Promise.resolve(async () => r?.resume());
    },
  };
  return [kill, pause];
}

function sqliteLock(stores: RunStores): StoreFault {
  return {
    name: 'store-lock',
    heal: 'store-unlock',
    detail: 'another process holds an exclusive lock on the file',
    minMs: 100,
    maxMs: 600,
    async inject(s) {
      const file = stores.sqliteFiles[s];
      if (!file) return async () => undefined;
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(file, { timeout: 5_000 });
      db.exec('BEGIN EXCLUSIVE');
      return async () => {
        db.exec('COMMIT');
        db.close();
      };
    },
  };
}

export function storeFaults(stores: RunStores, cluster: Cluster): StoreFault[] {
  const slow = slowStore(cluster);
  if (stores.scheme === 'redis' && stores.redis.length > 0) return [...redisFaults(stores), slow];
  if (stores.scheme === 'sqlite') return [sqliteLock(stores), slow];
  return [slow];
}
