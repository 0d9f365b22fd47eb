// Output paths are checked before the work starts, so that an hour of search does not end in a
// write error; and any file-system error becomes one line naming the path and the reason.

import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';

const reasons: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file is in the way of a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
};

/** A Node file-system error (it has an errno code and names a system call). */
export function isFsError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}

/** "permission denied (EACCES)" */
export function fsReason(err: NodeJS.ErrnoException): string {
  const code = err.code ?? '';
  return `${reasons[code] ?? err.message.split('\n')[0]} (${code})`;
}

/** One line for a file-system error: what was being done to which path, and why it failed. */
export function fsErrorLine(err: NodeJS.ErrnoException): string {
  const dest = (err as { dest?: unknown }).dest;
  return `cannot ${err.syscall ?? 'access'} ${err.path ?? ''}${typeof dest === 'string' ? ` → ${dest}` : ''}: ${fsReason(err)}`.replace(/\s+:/, ':');
}

/** Why `dir` cannot be made or written, or null if it can (it is created if need be). */
function dirProblem(dir: string): string | null {
  try {
    makeDirs(resolve(dir));
    accessSync(dir, constants.W_OK);
    return null;
  } catch (err) {
    return isFsError(err) ? fsReason(err) : String(err);
  }
}

/** `dir` exists (created if need be) and can be written; else bad input naming `--flag`. */
export function writableDir(flag: string, dir: string): void {
  const why = dirProblem(dir);
  if (why !== null) throw new InputError(`--${flag} ${dir}: cannot write there: ${why}`);
}

/**
 * mkdir -p, one level at a time. (Node 20's recursive mkdirSync loops forever under /proc, where
 * every level fails with ENOENT; this stops at the first level that cannot be made.)
 */
function makeDirs(dir: string): void {
  let st;
  try {
    st = statSync(dir);
  } catch {
    const parent = dirname(dir);
    if (parent !== dir) makeDirs(parent);
    mkdirSync(dir);
    return;
  }
  if (!st.isDirectory()) throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR', syscall: 'mkdir', path: dir });
}

/** `file` can be written: not a folder, and its folder exists (created if need be) and is writable. */
export function writableFile(flag: string, file: string): void {
  let isDir = false;
  try {
    isDir = statSync(file).isDirectory();
  } catch {
    // Not there yet: the usual case.
  }
  if (isDir) throw new InputError(`--${flag} ${file}: cannot write there: it is a folder`);
  const why = dirProblem(dirname(file));
  if (why !== null) throw new InputError(`--${flag} ${file}: cannot write there: folder ${dirname(file)}: ${why}`);
}
