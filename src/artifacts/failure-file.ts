import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Event } from '../kernel/events.js';
import { InputError } from '../errors.js';
import { scenarioSchema } from '../scenario/schema.js';
import { topologySchema } from '../scenario/schema.js';
import { FAILURE_FORMAT, VERSION } from '../version.js';
import { writeAtomic } from './atomic.js';
import { moduleOf } from '../protocols/index.js';
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
  /** A protocol loaded from a module: its path (as given, relative to where it ran) and source hash. */
  module: z.object({ path: z.string(), hash: z.string() }).strict().optional(),
  /** sha256 of the file's canonical content without this field (absent in older files: not checked). */
  checksum: z.string().regex(/^sha256:[0-9a-f]{64}$/).optional(),
  /** The paxcheck arguments of the run that wrote the file: what re-runs its seed. */
  rerun: z.array(z.string()).optional(),
});

export type FailureFile = z.infer<typeof failureSchema>;

export function failureFileName(f: Pick<FailureFile, 'protocol' | 'service' | 'mutant' | 'seed' | 'run'>): string {
  const proto = f.service ? `${f.protocol}-${f.service}` : f.protocol;
  return `${proto}-${f.mutant ?? 'ok'}-${f.seed}-${f.run}.json`;
}

/** How the file was produced, beside the counterexample itself. */
export interface FailureProvenance {
  /** The paxcheck arguments that re-run the seed (the CLI records its own command line). */
  readonly rerun?: readonly string[];
}

export function writeFailure(dir: string, f: Counterexample, how: FailureProvenance = {}): string {
  const module = f.module ?? moduleOf(f.protocol);
  // The rerun command comes before the (long) choice list, so a truncated file still has it.
  const body: Omit<FailureFile, 'format' | 'version'> = { ...(how.rerun ? { rerun: [...how.rerun] } : {}), ...f, choices: [...f.choices], ...(module ? { module } : {}) };
  const content: FailureFile = JSON.parse(JSON.stringify({ format: FAILURE_FORMAT, version: VERSION, ...body })) as FailureFile;
  const { format, version, ...rest } = content;
  const full: FailureFile = { format, version, checksum: failureChecksum(content), ...rest };
  const path = join(dir, 'failures', failureFileName(full));
  writeAtomic(path, JSON.stringify(full, null, 1) + '\n');
  return path;
}

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** sha256 of a failure file's canonical content without its checksum field. */
export function failureChecksum(content: object): string {
  const { checksum: _drop, ...rest } = content as Record<string, unknown>;
  return `sha256:${createHash('sha256').update(canonicalJson(rest)).digest('hex')}`;
}

/**
 * A failure file that cannot be replayed as it stands: unreadable, not JSON (truncated), not a
 * failure file, or edited since it was written. `salvage` holds whatever fields could still be
 * read (for the command that re-runs the recorded seed instead).
 */
export class FailureFileError extends InputError {
  constructor(
    message: string,
    readonly salvage: Readonly<Record<string, unknown>> | null,
  ) {
    super(message);
  }
}

export function readFailure(path: string): FailureFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FailureFileError(`cannot read replay file ${path}${code === 'EISDIR' ? ' (it is a directory)' : code === 'ENOENT' ? ' (no such file)' : code ? ` (${code})` : ''}`, null);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new FailureFileError(`${path}: not a JSON failure file (${text.trim() === '' ? 'empty' : 'truncated or not JSON'})`, salvageFields(text));
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new FailureFileError(`${path}: not a failure file (a JSON ${Array.isArray(raw) ? 'array' : typeof raw})`, null);
  const fields = raw as Record<string, unknown>;
  if (fields['format'] !== FAILURE_FORMAT) {
    throw new FailureFileError(`${path}: failure-file format ${JSON.stringify(fields['format'] ?? null)} (written by paxcheck ${String(fields['version'] ?? '?')}); this paxcheck ${VERSION} reads format ${FAILURE_FORMAT}`, fields);
  }
  if (typeof fields['checksum'] === 'string' && fields['checksum'] !== failureChecksum(fields)) {
    throw new FailureFileError(`${path}: checksum mismatch: the file was edited or damaged after it was written`, fields);
  }
  const parsed = failureSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FailureFileError(`${path}: invalid failure file, field "${issue?.path.join('.') || '(root)'}": ${issue?.message ?? 'invalid'}`, fields);
  }
  return parsed.data;
}

/** The top-level fields of a truncated file that can still be read (they precede the choices). */
function salvageFields(text: string): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  const rerun = /"rerun":\s*(\[[^\]]*\])/.exec(text);
  if (rerun?.[1]) {
    try {
      out['rerun'] = JSON.parse(rerun[1]) as unknown;
    } catch {
      // Cut inside the rerun list itself: nothing to salvage from it.
    }
  }
  // A timed run's scenario: its name is the first field of the object (null for untimed runs).
  const scenario = /\n "scenario":\s*(null|\{\s*"name":\s*("(?:[^"\\]|\\.)*"))/.exec(text);
  if (scenario) out['scenario'] = scenario[2] ? { name: JSON.parse(scenario[2]) as unknown } : null;
  for (const k of ['protocol', 'service', 'mutant', 'strategy', 'seed', 'run']) {
    const m = new RegExp(`\\n "${k}":\\s*("(?:[^"\\\\]|\\\\.)*"|-?\\d+|null)`).exec(text);
    if (m?.[1]) out[k] = JSON.parse(m[1]) as unknown;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** A FailureSink that writes failure files under `<dir>/failures/`. */
export const failureSink = (dir: string, how: FailureProvenance = {}): FailureSink => (c) => writeFailure(dir, c, how);

/** failureSink(dir), or none when no folder is given. */
export const failuresIn = (dir: string | undefined): FailureSink | undefined => (dir === undefined ? undefined : failureSink(dir));
