// How printed commands (replay, re-run) name the program, so that they work when pasted in the
// directory where they were printed: `paxcheck` if the shell would find this very installation
// on its PATH, else `npx paxcheck` (which finds it in the project, or installed in node_modules).
// It lives in the report layer because report pages print replay commands too, and must print
// the same ones as the CLI (src/cli/invocation.ts re-exports it).

import { existsSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

let cached: string | null = null;

function real(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

export function programName(): string {
  if (cached !== null) return cached;
  const self = process.argv[1] ? real(process.argv[1]) : null;
  // npm and npx put node_modules/.bin on the PATH of the process they start, not of the shell.
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter((d) => d !== '' && !/node_modules[\\/]\.bin/.test(d));
  const onPath = self !== null && dirs.some((d) => {
    const c = join(d, 'paxcheck');
    return existsSync(c) && real(c) === self;
  });
  cached = onPath ? 'paxcheck' : 'npx paxcheck';
  return cached;
}

/** An argument as a POSIX shell reads it back. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `programName() args…`, quoted for a shell. */
export function commandLine(args: readonly string[]): string {
  return [programName(), ...args.map(shellQuote)].join(' ');
}

/** The command that replays a failure file. */
export function replayCommandFor(file: string): string {
  return commandLine(['replay', file]);
}
