import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Event } from '../kernel/events.js';
import { InputError } from '../errors.js';
import { scenarioSchema } from '../scenario/schema.js';
import { topologySchema } from '../scenario/schema.js';
import { FAILURE_FORMAT, VERSION } from '../version.js';
import { writeAtomic } from './atomic.js';
import type { Counterexample, FailureSink } from '../step/counterexample.js';

const opFault = z.enum(['lost-append', 'phantom-append', 'stale-listing', 'gapped-listing', 'cas-conflict', 'torn-write']);
const seq = z.number().int().nonnegative();
const node = z.number().int().nonnegative();

export const eventSchema: z.ZodType<Event> = z.union([
  z.object({ k: z.literal('deliver'), seq, fault: opFault.optional() }).strict(),
  z.object({ k: z.enum(['drop', 'dup', 'timer', 'write']), seq }).strict(),
  z.object({ k: z.enum(['crash', 'restart', 'down', 'up']), node }).strict(),
  z.object({ k: z.literal('submit'), idx: z.number().int().nonnegative() }).strict(),
  z.object({ k: z.literal('partition'), groups: z.array(z.number().int()) }).strict(),
  z.object({ k: z.literal('heal') }).strict(),
]) as z.ZodType<Event>;

export const failureSchema = z.object({
  format: z.literal(FAILURE_FORMAT),
  version: z.string(),
  protocol: z.string(),
  service: z.string().nullable(),
  mutant: z.string().nullable(),
  strategy: z.string(),
  scenario: scenarioSchema.nullable(),
  topology: topologySchema,
  seed: z.number().int(),
  run: z.number().int(),
  choices: z.array(eventSchema),
  violation: z.object({
    property: z.string(),
    message: z.string(),
    slot: z.number().int().optional(),
    node: z.number().int().optional(),
    step: z.number().int(),
  }),
  trace: z.string().regex(/^[0-9a-f]{16}$/),
  /** Length of the schedule before fast-check shrank it, when it did. */
  shrunkFrom: z.number().int().optional(),
});

export type FailureFile = z.infer<typeof failureSchema>;

export function failureFileName(f: Pick<FailureFile, 'protocol' | 'service' | 'mutant' | 'seed' | 'run'>): string {
  const proto = f.service ? `${f.protocol}-${f.service}` : f.protocol;
  return `${proto}-${f.mutant ?? 'ok'}-${f.seed}-${f.run}.json`;
}

export function writeFailure(dir: string, f: Counterexample): string {
  const full: FailureFile = { format: FAILURE_FORMAT, version: VERSION, ...f, choices: [...f.choices] };
  const path = join(dir, 'failures', failureFileName(full));
  writeAtomic(path, JSON.stringify(full, null, 1) + '\n');
  return path;
}

export function readFailure(path: string): FailureFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`cannot read replay file ${path}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InputError(`${path}: not a JSON failure file`);
  }
  const parsed = failureSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${path}: invalid failure file, field "${issue?.path.join('.') || '(root)'}": ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** A FailureSink that writes failure files under `<dir>/failures/`. */
export const failureSink = (dir: string): FailureSink => (c) => writeFailure(dir, c);

/** failureSink(dir), or none when no folder is given. */
export const failuresIn = (dir: string | undefined): FailureSink | undefined => (dir === undefined ? undefined : failureSink(dir));
