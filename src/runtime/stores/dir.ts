import { randomBytes } from 'node:crypto';
import { access, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Json, ServerKind, ServerReply, ServerRequest } from '../../kernel/types.js';
import { clampFrom, decodeJson, encodeJson } from './store.js';
import type { Store } from './store.js';

// A store made of immutable files, safe for any number of processes on one local filesystem with
// no lock at all. Each key is a directory of numbered items: a list's records are `<index>`, a
// register's successive values are `v<version>`. An item is written to a temporary file first and
// then hard-linked into place: link(2) publishes the complete file atomically and, unlike rename,
// fails with EEXIST when the name is taken, so exactly one writer wins each index or version.
// Items are only ever added, one past the last, so the items of a key are always dense (0..n-1,
// v1..vn): the length of a list or the version of a register is the first missing name.
// No fsync: replies survive the crash of any process (the data is in the kernel), not power loss.

const BATCH = 64; // records read at once by `read`, to stay clear of the open-file limit

export async function openDir(path: string, kind: ServerKind, index: number): Promise<Store> {
  const root = join(path, `${kind}-${index}`);
  // Temporary files sit inside the store so that link never crosses a filesystem.
  const tmp = join(path, '.tmp');
  await mkdir(root, { recursive: true });
  await mkdir(tmp, { recursive: true });
  return new DirStore(kind, root, tmp);
}

class DirStore implements Store {
  /** Per key, a count of items known to exist; items never go away, so it can only be low. */
  private readonly known = new Map<string, number>();
  private readonly made = new Set<string>();
  private closed = false;

  constructor(
    readonly kind: ServerKind,
    private readonly root: string,
    private readonly tmp: string,
  ) {}

  async apply(req: ServerRequest): Promise<ServerReply> {
    if (this.closed) throw new Error('dir store is closed');
    const { tag, key } = req;
    switch (req.op) {
      case 'get': {
        const n = await this.count(key);
        const value = n === 0 ? null : decodeJson(await readFile(this.item(key, n - 1), 'utf8'));
        return { op: 'get', tag, key, value, version: n };
      }
      case 'put':
        await this.claim(key, req.value);
        return { op: 'put', tag, key, ok: true };
      case 'append':
        return { op: 'append', tag, key, ok: true, index: await this.claim(key, req.record) };
      case 'read': {
        const length = await this.count(key);
        const from = clampFrom(req.from, length);
        const entries: (readonly [number, Json])[] = [];
        for (let i = from; i < length; i += BATCH) {
          const upTo = Math.min(length, i + BATCH);
          const texts = await Promise.all(range(i, upTo).map((j) => readFile(this.item(key, j), 'utf8')));
          texts.forEach((text, j) => entries.push([i + j, decodeJson(text)]));
        }
        return { op: 'read', tag, key, from, entries, length };
      }
      case 'cas': {
        const n = await this.count(key);
        if (n !== req.version) return { op: 'cas', tag, key, ok: false, version: n };
        const won = (await this.claim(key, req.value, n)) === n;
        // A writer that lost the race for v<n+1> fails against the version it then finds.
        return { op: 'cas', tag, key, ok: won, version: won ? n + 1 : await this.count(key) };
      }
    }
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Item `i` of a key: list record `i`, or the register value of version i + 1. */
  private item(key: string, i: number): string {
    return join(this.keyDir(key), this.kind === 'list' ? String(i) : `v${i + 1}`);
  }

  private keyDir(key: string): string {
    // The prefix keeps '', '.' and '..' from naming special directories.
    const name = `k${encodeURIComponent(key)}`;
    if (name.length > 250) throw new Error(`key too long for a file name: ${key.slice(0, 40)}...`);
    return join(this.root, name);
  }

  /** Items of `key` right now: the first missing one, probing up from what is already known. */
  private async count(key: string): Promise<number> {
    let n = this.known.get(key) ?? 0;
    while (await exists(this.item(key, n))) n++;
    this.note(key, n);
    return n;
  }

  /**
   * Publishes `value` as the next item of `key` and returns its position. With `only`, that
   * position or none (-1): a cas must not land past a version it has not seen. Without, move on
   * past every taken position (append, put).
   */
  private async claim(key: string, value: Json, only?: number): Promise<number> {
    const dir = this.keyDir(key);
    if (!this.made.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.made.add(dir);
    }
    const temp = join(this.tmp, `${process.pid}-${randomBytes(8).toString('hex')}`);
    await writeFile(temp, encodeJson(value), { flag: 'wx' });
    try {
      // Counting after the write keeps the window for a competing writer short.
      let at = only ?? (await this.count(key));
      for (;;) {
        try {
          await link(temp, this.item(key, at));
          this.note(key, at + 1);
          return at;
        } catch (e) {
          if (!isCode(e, 'EEXIST')) throw e;
          this.note(key, at + 1);
          if (only !== undefined) return -1;
          at++;
        }
      }
    } finally {
      await unlink(temp);
    }
  }

  private note(key: string, n: number): void {
    if (n > (this.known.get(key) ?? 0)) this.known.set(key, n);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (e) {
    if (isCode(e, 'ENOENT')) return false;
    throw e;
  }
}

function isCode(e: unknown, code: string): boolean {
  return e instanceof Error && 'code' in e && e.code === code;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
