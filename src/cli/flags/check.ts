// `paxcheck check`: options (help text with defaults) and the schema that validates them.

import type { Options } from 'yargs';
import { z } from 'zod';
import { writableDir } from '../paths.js';
import { jsonOption, outField, seedField, seedOption, textOption } from './common.js';
import { int, parseFlags, text } from './fields.js';

export const checkOptions: Record<string, Options> = {
  seed: seedOption,
  runs: { requiresArg: true, describe: 'runs per cell (integer ≥ 1); a quick run: the coverage gate is skipped and the liveness sweep shrinks', defaultDescription: 'each scenario’s own runs' },
  out: textOption('report folder: campaign.json, run sets, failure files, index.html', { default: 'reports' }),
  mutants: { type: 'boolean', default: true, describe: 'also hunt every mutant (each must be caught); --no-mutants skips them' },
  thresholds: textOption('coverage gate file', { defaultDescription: 'coverage-thresholds.json, unless --runs is given (no gate)' }),
  liveness: { type: 'boolean', default: true, describe: 'contention sweep and FLP adversary for the report; --no-liveness skips them' },
  json: jsonOption,
};

const schema = z.object({
  seed: seedField.optional(),
  runs: int('runs', 1).optional(),
  out: outField,
  mutants: z.boolean(),
  thresholds: text('thresholds').optional(),
  liveness: z.boolean(),
  json: z.boolean(),
});

export type CheckArgs = Omit<z.output<typeof schema>, 'seed'> & { readonly seed: number };

export function checkArgs(argv: unknown): CheckArgs {
  const a = parseFlags(schema, argv);
  // Checked before the work (and its modules) start: a long run must not end in a write error.
  writableDir('out', a.out);
  return { ...a, seed: a.seed ?? 1 };
}
