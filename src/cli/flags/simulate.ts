// `paxcheck simulate`: options (help text with defaults) and the schema that validates them.

import type { Options } from 'yargs';
import { z } from 'zod';
import { writableDir } from '../paths.js';
import { jsonOption, outField, outOption, seedField, seedOption, textOption } from './common.js';
import { int, parseFlags, refuse, shard, text } from './fields.js';

export const simulateOptions: Record<string, Options> = {
  protocol: textOption('static|disk|passive, or all: every family on one workload and one fault plan per run', { demandOption: true }),
  service: textOption('passive: list|cas|register (required there)', { defaultDescription: 'none' }),
  mutant: textOption('a seeded bug to hunt (paxcheck list shows them)', { defaultDescription: 'none: the correct protocol' }),
  scenario: textOption('built-in scenario name (paxcheck list) or a JSON scenario file', { default: 'default' }),
  seed: seedOption,
  runs: { requiresArg: true, describe: 'timed runs (integer ≥ 1); run i draws from seed/i', defaultDescription: 'the scenario’s runs (default scenario: 200)' },
  shard: textOption('i/n: only the runs with run % n = i (merge the folders with report --in)', { defaultDescription: 'none: every run' }),
  out: outOption,
  json: jsonOption,
};

const schema = z
  .object({
    protocol: text('protocol'),
    service: text('service').optional(),
    mutant: text('mutant').optional(),
    scenario: text('scenario'),
    seed: seedField.optional(),
    runs: int('runs', 1).optional(),
    shard: shard().optional(),
    out: outField,
    json: z.boolean(),
  })
  .superRefine((a, ctx) => {
    if (a.protocol !== 'all') return;
    if (a.mutant !== undefined) refuse(ctx, '--mutant belongs to one protocol; it cannot be combined with --protocol all');
    else if (a.service !== undefined) refuse(ctx, '--protocol all runs every service; drop --service');
  });

export type SimulateArgs = Omit<z.output<typeof schema>, 'seed'> & { readonly seed: number };

export function simulateArgs(argv: unknown): SimulateArgs {
  const a = parseFlags(schema, argv);
  // Checked before the work (and its modules) start: a long run must not end in a write error.
  writableDir('out', a.out);
  return { ...a, seed: a.seed ?? 1 };
}
