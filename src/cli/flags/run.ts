// `paxcheck run`: options (help text with defaults) and the schema that validates them, built
// from the same fields as every other command, so a repeated, empty or malformed value is one
// clear line and exit 2 here too.

import type { Options } from 'yargs';
import { z } from 'zod';
import { NEMESES, RUNTIME_SERVICES } from '../../runtime/run/names.js';
import type { NemesisKind } from '../../runtime/run/names.js';
import { writableDir } from '../paths.js';
import { jsonOption, seedField, seedOption, textOption } from './common.js';
import { duration, flag, int, oneOf, parseFlags, refuse, text } from './fields.js';

export const runOptions: Record<string, Options> = {
  protocol: textOption('passive only: the family whose agents run for real', { default: 'passive' }),
  service: textOption(`${RUNTIME_SERVICES.join('|')} (required)`, { defaultDescription: 'none' }),
  store: textOption('dir|sqlite|redis[:spec]: one store per server (files, a database file each, or redis-servers started on their own ports)', { default: 'sqlite' }),
  agents: { requiresArg: true, default: '3', describe: 'agent processes (1..16)' },
  servers: { requiresArg: true, default: '3', describe: 'independent stores (1..9)' },
  duration: textOption('how long the workload and the nemesis run: 20s, 500ms, 2m', { default: '20s' }),
  nemesis: textOption(
    'faults: kill (SIGKILL and restart agents), pause (SIGSTOP/SIGCONT), store (stop/restart or slow a store), partition (cut one agent off one redis store: network namespaces, needs root; skipped with a note elsewhere), delay (network delay on every agent–store link for 1–3 s, injected in the agents\' transport), or none',
    { default: 'kill,pause' },
  ),
  mutant: textOption('a seeded bug of the chosen service, run for real (paxcheck list shows them)', { defaultDescription: 'none: the correct agents' }),
  seed: { ...seedOption, describe: 'root seed of the workload and the nemesis (integer ≥ 0)' },
  out: textOption('run folder: history.jsonl, result.json, failing.jsonl on a violation', { defaultDescription: 'reports/runs/<service>-<store>-<mutant|ok>-<seed>' }),
  json: { ...jsonOption, describe: 'print the result as one JSON object on stdout' },
};

const nemesis = text('nemesis').transform((v, ctx): NemesisKind[] => {
  if (v === 'none') return [];
  const kinds = v.split(',').map((s) => s.trim());
  const bad = kinds.find((k) => !(NEMESES as readonly string[]).includes(k));
  if (bad !== undefined) {
    ctx.addIssue({ code: 'custom', message: `${flag('nemesis')} "${v}": unknown nemesis "${bad}" (known: ${NEMESES.join(', ')}, or none)` });
    return z.NEVER;
  }
  return [...new Set(kinds)] as NemesisKind[];
});

const schema = z
  .object({
    protocol: text('protocol'),
    service: oneOf('service', RUNTIME_SERVICES).optional(),
    store: text('store'),
    agents: int('agents', 1, 16),
    servers: int('servers', 1, 9),
    duration: duration('duration'),
    nemesis,
    mutant: text('mutant').optional(),
    seed: seedField.optional(),
    out: text('out').optional(),
    json: z.boolean(),
  })
  .superRefine((a, ctx) => {
    if (a.protocol !== 'passive') refuse(ctx, `run supports --protocol passive only (got "${a.protocol}")`);
    else if (a.service === undefined) refuse(ctx, `run needs --service ${RUNTIME_SERVICES.join('|')}`);
    else if (!/^(dir|sqlite|redis)(:.+)?$/.test(a.store)) refuse(ctx, `--store must be dir|sqlite|redis[:spec], got "${a.store}"`);
  });

export type RunArgs = Omit<z.output<typeof schema>, 'service' | 'seed' | 'out'> & {
  readonly service: (typeof RUNTIME_SERVICES)[number];
  readonly seed: number;
  readonly out: string;
};

export function runArgs(argv: unknown): RunArgs {
  const a = parseFlags(schema, argv);
  const seed = a.seed ?? 1;
  const service = a.service as RunArgs['service'];
  const out = a.out ?? `reports/runs/${service}-${a.store.split(':')[0]}-${a.mutant ?? 'ok'}-${seed}`;
  writableDir('out', out);
  return { ...a, service, seed, out };
}
