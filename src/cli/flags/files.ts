// `paxcheck list`, `replay` and `report`: options (help text with defaults) and one schema each;
// the paths are checked here too, before the command loads its (large) modules.

import { existsSync, statSync } from 'node:fs';
import type { Options } from 'yargs';
import { InputError } from '../../errors.js';
import { writableFile } from '../paths.js';
import { z } from 'zod';
import { jsonOption, textOption } from './common.js';
import { flag, parseFlags, text } from './fields.js';

export const listOptions: Record<string, Options> = { json: jsonOption };
const listSchema = z.object({ json: z.boolean() });
export const listArgs = (argv: unknown): z.output<typeof listSchema> => parseFlags(listSchema, argv);

export const replayOptions: Record<string, Options> = {
  trace: { type: 'boolean', default: false, describe: 'print every step (default: the notable ones and the last steps before the violation)' },
  html: textOption('also write the single-failure page (sequence diagram, state changes) to this file', { defaultDescription: 'none' }),
  json: jsonOption,
};
const replaySchema = z.object({ file: text('file'), trace: z.boolean(), html: text('html').optional(), json: z.boolean() });
export type ReplayArgs = z.output<typeof replaySchema>;
export function replayArgs(argv: unknown): ReplayArgs {
  const a = parseFlags(replaySchema, argv);
  if (a.html) writableFile('html', a.html);
  return a;
}

export const reportOptions: Record<string, Options> = {
  in: { type: 'string', array: true, requiresArg: true, default: ['reports'], describe: 'result folder(s) to read: run sets, shards, failure files (repeatable)' },
  out: textOption('HTML file to write', { default: 'reports/index.html' }),
  'suggest-thresholds': { type: 'boolean', default: false, describe: 'print coverage thresholds these results meet (for coverage-thresholds.json) instead of writing the page' },
  json: jsonOption,
};
const folders = z.unknown().transform((raw, ctx): string[] => {
  const list = Array.isArray(raw) ? raw : [raw];
  const bad = list.find((d) => typeof d !== 'string' || d.trim() === '');
  if (list.length === 0 || bad !== undefined) {
    ctx.addIssue({ code: 'custom', message: `${flag('in')} ${JSON.stringify(bad ?? '')}: expected a result folder` });
    return z.NEVER;
  }
  return list as string[];
});
const reportSchema = z.object({ in: folders, out: text('out'), suggestThresholds: z.boolean(), json: z.boolean() });
export type ReportArgs = z.output<typeof reportSchema>;
export function reportArgs(argv: unknown): ReportArgs {
  const a = parseFlags(reportSchema, argv);
  for (const d of a.in) {
    if (!existsSync(d)) throw new InputError(`--in ${d}: no result folder there`);
    if (!statSync(d).isDirectory()) throw new InputError(`--in ${d}: a file, not a result folder (give the folder that holds runs/, failures/ or shards/)`);
  }
  if (!a.suggestThresholds) writableFile('out', a.out);
  return a;
}
