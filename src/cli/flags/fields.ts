// The building blocks of the per-command option schemas (one zod schema per command, in this
// folder). yargs parses with number parsing off, so every value reaches the schema as the text
// the user typed: a bad value is reported as given ("--runs "abc""), not as NaN, and every
// message names the option, the value and what is allowed.

import { z } from 'zod';
import { InputError } from '../../errors.js';
import type { Shard } from '../../sim/simulate.js';
import { parseDuration } from '../../search/budget.js';

/** A number as the user may write it: decimal, optionally with an exponent (1e6). */
const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** What a flag looks like in a message. */
export const flag = (name: string): string => `--${name}`;

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** yargs gives an array when a flag is repeated; one value is all any of these take. */
function single(name: string, v: unknown, ctx: z.RefinementCtx): unknown {
  if (!Array.isArray(v)) return v;
  ctx.addIssue({ code: 'custom', message: `${flag(name)} was given ${v.length} times (${v.map(show).join(', ')}); give it once` });
  return z.NEVER;
}

function range(min: number, max: number): string {
  if (max >= Number.MAX_SAFE_INTEGER) return `an integer ≥ ${min}`;
  return `an integer from ${min} to ${max}`;
}

/** Parses `text` as an integer in [min, max]; null if it is not one. */
export function integerIn(text: string, min: number, max: number): number | null {
  const t = text.trim();
  if (!NUMERIC.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

/** An integer option in [min, max]. */
export function int(name: string, min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return z.unknown().transform((raw, ctx): number => {
    const v = single(name, raw, ctx);
    if (v === z.NEVER) return z.NEVER;
    const n = typeof v === 'string' ? integerIn(v, min, max) : null;
    if (n === null) {
      ctx.addIssue({ code: 'custom', message: `${flag(name)} ${show(v)}: expected ${range(min, max)}` });
      return z.NEVER;
    }
    return n;
  });
}

/** A string option (a name, a path): one value, not empty. */
export function text(name: string) {
  return z.unknown().transform((raw, ctx): string => {
    const v = single(name, raw, ctx);
    if (v === z.NEVER) return z.NEVER;
    if (typeof v !== 'string' || v.trim() === '') {
      ctx.addIssue({ code: 'custom', message: `${flag(name)} ${show(v)}: expected a non-empty value` });
      return z.NEVER;
    }
    return v;
  });
}

/** A duration: "90s", "5m", "1h", "250ms" or a number of seconds; in milliseconds. */
export function duration(name: string) {
  return z.unknown().transform((raw, ctx): number => {
    const v = single(name, raw, ctx);
    if (v === z.NEVER) return z.NEVER;
    const ms = typeof v === 'string' ? parseDuration(v) : null;
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `${flag(name)} ${show(v)}: expected a duration such as 90s, 5m, 1h, 500ms or a number of seconds (> 0)` });
      return z.NEVER;
    }
    return ms;
  });
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(name: string, values: readonly T[]) {
  return z.unknown().transform((raw, ctx): T => {
    const v = single(name, raw, ctx);
    if (v === z.NEVER) return z.NEVER;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      ctx.addIssue({ code: 'custom', message: `${flag(name)} ${show(v)}: expected one of ${values.join(', ')}` });
      return z.NEVER;
    }
    return v as T;
  });
}

/** `i/n` with 0 ≤ i < n. */
export function shard(name = 'shard') {
  return z.unknown().transform((raw, ctx): Shard => {
    const v = single(name, raw, ctx);
    if (v === z.NEVER) return z.NEVER;
    const m = typeof v === 'string' ? /^(\d+)\/(\d+)$/.exec(v.trim()) : null;
    const index = Number(m?.[1]);
    const count = Number(m?.[2]);
    if (!m || !Number.isSafeInteger(count) || count < 1 || index >= count) {
      ctx.addIssue({ code: 'custom', message: `${flag(name)} ${show(v)}: expected i/n with 0 ≤ i < n (e.g. 0/4)` });
      return z.NEVER;
    }
    return { index, count };
  });
}

/** Allowed keys of a `k=N,k=N` option, each with its own range. */
export type PairBounds<K extends string> = Readonly<Record<K, { readonly min: number; readonly max: number }>>;

/** `k=N,k=N`: every key known, every value an integer in its key's range. */
export function pairs<K extends string>(name: string, bounds: PairBounds<K>) {
  const keys = Object.keys(bounds) as K[];
  const spelled = keys.map((k) => `${k}=N`).join(',');
  return z.unknown().transform((raw, ctx): Partial<Record<K, number>> => {
    const v = single(name, raw, ctx);
    if (v === z.NEVER) return z.NEVER;
    const out: Partial<Record<K, number>> = {};
    const parts = typeof v === 'string' ? v.split(',').filter((p) => p.trim() !== '') : [];
    if (parts.length === 0) ctx.addIssue({ code: 'custom', message: `${flag(name)} ${show(v)}: expected ${spelled}` });
    for (const part of parts) {
      const [k, n, extra] = part.split('=').map((x) => x.trim());
      const b = k === undefined ? undefined : bounds[k as K];
      const value = b && n !== undefined && extra === undefined ? integerIn(n, b.min, b.max) : null;
      if (!b || value === null) {
        const why = !b ? `unknown key "${k ?? ''}" (known: ${keys.join(', ')})` : `${k} expects ${range(b.min, b.max)}`;
        ctx.addIssue({ code: 'custom', message: `${flag(name)} "${part}": ${why}` });
        return z.NEVER;
      }
      out[k as K] = value;
    }
    return out;
  });
}

/** A cross-option rule's refusal, added to the schema's issues. */
export function refuse(ctx: z.RefinementCtx, message: string): void {
  ctx.addIssue({ code: 'custom', message });
}

/** Validates yargs' parsed arguments with `schema`; the first problem becomes one InputError line. */
export function parseFlags<S extends z.ZodType>(schema: S, argv: unknown): z.output<S> {
  const r = schema.safeParse(argv);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue?.code === 'custom') throw new InputError(issue.message);
  const where = issue && issue.path.length > 0 ? `--${String(issue.path[0])}: ` : '';
  throw new InputError(`${where}${issue?.message ?? 'invalid options'}`);
}
