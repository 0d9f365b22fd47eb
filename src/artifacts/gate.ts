// Coverage as a CI gate: a checked-in thresholds file names, per protocol target, every branch
// label that must be reached, every crash point that must be exercised and how many ordered
// message-kind pairs must have been seen. `paxcheck check` fails naming each shortfall.

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CoverageData } from '../coverage/coverage.js';
import { mergeCoverage, reachedLabels } from '../coverage/coverage.js';
import { InputError } from '../errors.js';
import type { RunSet } from './runset.js';
import { targetName } from '../protocols/index.js';

const targetSchema = z
  .object({
    labels: z.array(z.string()).default([]),
    crashPoints: z.array(z.string()).default([]),
    minMessageOrderPairs: z.number().int().nonnegative().default(0),
    minDistinctStates: z.number().int().nonnegative().default(0),
  })
  .strict();

/** Target name (`static`, `passive/list`, …) → what its campaign cells must cover together. */
export const thresholdsSchema = z.record(z.string(), targetSchema);

export type Thresholds = z.infer<typeof thresholdsSchema>;
export type TargetThresholds = z.infer<typeof targetSchema>;

export interface Shortfall {
  readonly target: string;
  readonly what: 'label' | 'crash-point' | 'message-orders' | 'distinct-states' | 'target';
  /** One line naming the shortfall. */
  readonly line: string;
}

export function parseThresholds(text: string, source: string): Thresholds {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InputError(`${source}: not valid JSON`);
  }
  // Keys starting with "$" carry comments.
  const body = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith('$'))) : raw;
  const parsed = thresholdsSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${source}: invalid field "${issue?.path.join('.') || '(root)'}": ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export function readThresholds(path: string): Thresholds {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`cannot read coverage thresholds ${path}`);
  }
  return parseThresholds(text, path);
}

export { targetName };

/** Coverage of each target over its correct-protocol campaign cells (mutant hunts excluded). */
export function coverageByTarget(sets: readonly RunSet[]): Map<string, CoverageData> {
  const groups = new Map<string, CoverageData[]>();
  for (const r of sets) {
    if (r.kind !== 'campaign' || r.mutant !== null) continue;
    const t = targetName(r);
    const g = groups.get(t);
    if (g) g.push(r.coverage);
    else groups.set(t, [r.coverage]);
  }
  return new Map([...groups.entries()].map(([t, cs]) => [t, mergeCoverage(cs)]));
}

export function orderPairs(c: CoverageData): number {
  return c.messageOrders.filter((o) => o.runs > 0).length;
}

/** Every shortfall of `sets` against `thresholds`, in thresholds-file order. */
export function evaluateGate(thresholds: Thresholds, sets: readonly RunSet[]): Shortfall[] {
  const cov = coverageByTarget(sets);
  const out: Shortfall[] = [];
  for (const [target, t] of Object.entries(thresholds)) {
    const c = cov.get(target);
    if (!c) {
      out.push({ target, what: 'target', line: `coverage gate: ${target}: no campaign runs of this target to measure` });
      continue;
    }
    const labels = reachedLabels(c);
    for (const l of t.labels) {
      if (!labels.has(l)) out.push({ target, what: 'label', line: `coverage gate: ${target}: branch label "${l}" never reached` });
    }
    for (const p of t.crashPoints) {
      if ((c.crashPoints[p] ?? 0) === 0) out.push({ target, what: 'crash-point', line: `coverage gate: ${target}: crash point "${p}" never exercised` });
    }
    const pairs = orderPairs(c);
    if (pairs < t.minMessageOrderPairs) {
      out.push({ target, what: 'message-orders', line: `coverage gate: ${target}: ${pairs} message-order pairs seen, at least ${t.minMessageOrderPairs} required` });
    }
    if (c.distinctStates < t.minDistinctStates) {
      out.push({ target, what: 'distinct-states', line: `coverage gate: ${target}: ${c.distinctStates} distinct states, at least ${t.minDistinctStates} required` });
    }
  }
  return out;
}

export interface SuggestOptions {
  /** Require a label only if taken at least this often (default 1: everything reached). */
  readonly minLabelHits?: number;
  /** Require a crash point only if hit at least this often (default 1). */
  readonly minCrashHits?: number;
  /** Fraction of the message-order pairs seen to require (default 1). */
  readonly pairsFraction?: number;
}

/**
 * Thresholds that the given run sets meet: the labels and crash points they reached (at least
 * as often as asked), a fraction of the pairs they saw. With margins, a starting point for the
 * checked-in file that does not break on every small change of a protocol.
 */
export function suggestThresholds(sets: readonly RunSet[], o: SuggestOptions = {}): Thresholds {
  const out: Thresholds = {};
  for (const [target, c] of coverageByTarget(sets)) {
    out[target] = {
      labels: Object.values(c.labels)
        .flatMap((ls) => Object.entries(ls))
        .filter(([, n]) => n >= (o.minLabelHits ?? 1))
        .map(([l]) => l)
        .sort(),
      crashPoints: Object.entries(c.crashPoints)
        .filter(([, n]) => n >= (o.minCrashHits ?? 1))
        .map(([k]) => k)
        .sort(),
      minMessageOrderPairs: Math.floor(orderPairs(c) * (o.pairsFraction ?? 1)),
      minDistinctStates: 0,
    };
  }
  return out;
}
