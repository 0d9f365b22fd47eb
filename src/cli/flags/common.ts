// Options several commands share, and the exit codes every command's help lists (docs/cli.md).

import type { Options } from 'yargs';
import { int, text } from './fields.js';

/** Exit codes: part of the CLI contract (DESIGN §5). */
export const EXIT = { ok: 0, violation: 1, badInput: 2, internal: 70, interrupted: 130 } as const;

/** The help epilog of every command. */
export const EXIT_CODES_HELP = [
  'Exit status:',
  '  0    no violation (replay: every recorded step applies and no property fails any more)',
  '  1    a violation was found (replay: it reproduced)',
  '  2    bad input: an option, a scenario or failure file, an unreadable or unwritable path',
  '  70   internal error: stderr names a file holding the stack trace; please report it',
  '  130  interrupted (Ctrl-C, SIGTERM): partial results written, marked "interrupted"',
  'Errors are one line on stderr; a second Ctrl-C exits at once. See docs/cli.md.',
].join('\n');

/** Largest seed accepted: seeds name random streams and failure files, so they stay exact integers. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

export const seedOption: Options = { requiresArg: true, describe: 'root seed: run i draws from the streams of seed/i (integer ≥ 0)', defaultDescription: '1' };
export const seedField = int('seed', 0, MAX_SEED);

export const outOption: Options = { type: 'string', requiresArg: true, default: 'reports', describe: 'result folder: run sets under runs/, failure files under failures/' };
export const jsonOption: Options = { type: 'boolean', default: false, describe: 'print one JSON object on stdout (progress and notes stay on stderr)' };

/** A string option that must be given a value. */
export const textOption = (describe: string, more: Partial<Options> = {}): Options => ({ type: 'string', requiresArg: true, describe, ...more });

export const outField = text('out');
