// How the CLI ends on an error. Bad input (an InputError, or any file-system error: a path that
// cannot be read or written) is one line on stderr and exit 2. Anything else is a bug in
// paxcheck: one line saying so, with the path of a file holding the stack trace, and exit 70
// (EX_SOFTWARE), so that scripts can tell it from "violation found" and "bad input".

import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { VERSION } from '../version.js';
import { EXIT } from './flags/common.js';
import { fsErrorLine, isFsError } from './paths.js';

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '') ?? s;
}

/** Bad input: one line on stderr, exit 2 (DESIGN §5). */
export function badInput(message: string): never {
  process.stderr.write(`paxcheck: ${firstLine(message)}\n`);
  process.exit(EXIT.badInput);
}

/** Writes the stack where the user can attach it to a report; returns the path (or null). */
function saveStack(err: unknown): string | null {
  const path = join(tmpdir(), `paxcheck-crash-${process.pid}-${Date.now()}.txt`);
  const text = [`paxcheck ${VERSION}, node ${process.version}, ${process.platform}`, `argv: ${JSON.stringify(process.argv.slice(2))}`, '', err instanceof Error ? (err.stack ?? err.message) : String(err), ''].join('\n');
  try {
    writeFileSync(path, text);
    return path;
  } catch {
    return null;
  }
}

/** Ends the process for `err`: exit 2 for bad input, 70 for an internal error. */
export function fail(err: unknown): never {
  // A progress bar may hold the cursor mid-line.
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  if (err instanceof InputError) badInput(err.message);
  if (isFsError(err)) badInput(fsErrorLine(err));
  const where = saveStack(err);
  const what = err instanceof Error ? `${err.name}: ${firstLine(err.message)}` : firstLine(String(err));
  process.stderr.write(`paxcheck: internal error (${what}); please report it${where ? `, with ${where} (the stack trace)` : ''}\n`);
  process.exit(EXIT.internal);
}

/** Routes errors nobody awaited (an event handler, a worker callback) through fail(). */
export function installFatalHandlers(): void {
  process.on('uncaughtException', (err) => fail(err));
  process.on('unhandledRejection', (err) => fail(err));
}
