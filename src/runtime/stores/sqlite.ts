import Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Json, ServerKind, ServerReply, ServerRequest } from '../../kernel/types.js';
import { clampFrom, decodeJson, encodeJson } from './store.js';
import type { Store } from './store.js';

// A store in one SQLite file that several processes open at once. WAL lets readers proceed while
// a writer commits; every operation runs in its own IMMEDIATE transaction, which takes the write
// lock up front, so a read-modify-write (append's next index, cas's version check) cannot
// interleave with another process's, and a busy lock is waited for (busy_timeout), not failed.

const BUSY_MS = 10_000;
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS registers (
    ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, version INTEGER NOT NULL,
    PRIMARY KEY (ns, key)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS records (
    ns TEXT NOT NULL, key TEXT NOT NULL, idx INTEGER NOT NULL, record TEXT NOT NULL,
    PRIMARY KEY (ns, key, idx)) WITHOUT ROWID;`;

type Db = Database.Database;

export async function openSqlite(file: string, kind: ServerKind, index: number): Promise<Store> {
  const db = new Database(file, { timeout: BUSY_MS });
  try {
    await setUp(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return sqliteStore(db, kind, `${kind}-${index}`);
}

/**
 * Switching to WAL and creating the tables race with other processes opening the same new file;
 * the journal-mode switch can report SQLITE_BUSY without waiting, so retry it for a while.
 */
async function setUp(db: Db): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      db.pragma('journal_mode = WAL');
      // NORMAL under WAL never corrupts and loses nothing when a process dies; only power loss
      // may drop the last commits, like the dir store.
      db.pragma('synchronous = NORMAL');
      db.exec(SCHEMA);
      return;
    } catch (e) {
      const busy = e instanceof Error && 'code' in e && String(e.code).startsWith('SQLITE_BUSY');
      if (!busy || attempt >= 200) throw e;
      await sleep(10 + attempt);
    }
  }
}

function sqliteStore(db: Db, kind: ServerKind, ns: string): Store {
  const getReg = db.prepare<[string, string], { value: string; version: number }>(
    'SELECT value, version FROM registers WHERE ns = ? AND key = ?',
  );
  const setReg = db.prepare<[string, string, string, number], unknown>(
    `INSERT INTO registers (ns, key, value, version) VALUES (?, ?, ?, ?)
     ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, version = excluded.version`,
  );
  const length = db.prepare<[string, string], { n: number }>(
    'SELECT COALESCE(MAX(idx) + 1, 0) AS n FROM records WHERE ns = ? AND key = ?',
  );
  const add = db.prepare<[string, string, number, string], unknown>(
    'INSERT INTO records (ns, key, idx, record) VALUES (?, ?, ?, ?)',
  );
  const list = db.prepare<[string, string, number], { idx: number; record: string }>(
    'SELECT idx, record FROM records WHERE ns = ? AND key = ? AND idx >= ? ORDER BY idx',
  );

  const one = (req: ServerRequest): ServerReply => {
    const { tag, key } = req;
    switch (req.op) {
      case 'get': {
        const row = getReg.get(ns, key);
        return { op: 'get', tag, key, value: row ? decodeJson(row.value) : null, version: row?.version ?? 0 };
      }
      case 'put':
        setReg.run(ns, key, encodeJson(req.value), (getReg.get(ns, key)?.version ?? 0) + 1);
        return { op: 'put', tag, key, ok: true };
      case 'append': {
        const index = length.get(ns, key)?.n ?? 0;
        add.run(ns, key, index, encodeJson(req.record));
        return { op: 'append', tag, key, ok: true, index };
      }
      case 'read': {
        const n = length.get(ns, key)?.n ?? 0;
        const from = clampFrom(req.from, n);
        const entries = list.all(ns, key, from).map((r): readonly [number, Json] => [r.idx, decodeJson(r.record)]);
        return { op: 'read', tag, key, from, entries, length: n };
      }
      case 'cas': {
        const current = getReg.get(ns, key)?.version ?? 0;
        if (current !== req.version) return { op: 'cas', tag, key, ok: false, version: current };
        setReg.run(ns, key, encodeJson(req.value), current + 1);
        return { op: 'cas', tag, key, ok: true, version: current + 1 };
      }
    }
  };
  const atomic = db.transaction(one);

  return {
    kind,
    // better-sqlite3 is synchronous; the promise only fits the interface (and turns throws
    // into rejections).
    apply: async (req) => atomic.immediate(req),
    close: async () => {
      db.close();
    },
  };
}
