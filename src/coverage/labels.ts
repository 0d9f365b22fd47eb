// The cover labels a target declares (ProtocolFamily.labels), beside those a run set reached: what
// coverage reports as never taken, with a zero count, the way TLC lists actions never enabled.

import type { ProtocolFamily } from '../protocols/family.js';
import { findFamily } from '../protocols/index.js';
import type { CoverageData } from './coverage.js';
import { labelRole } from './coverage.js';

/**
 * The labels one target of a family can emit: all of them, or for a family with services the
 * ones whose first segment is the service. Null when the family declares none.
 */
export function declaredLabels(f: Pick<ProtocolFamily, 'labels' | 'services'>, service?: string | null): readonly string[] | null {
  if (!f.labels) return null;
  if (!f.services || !service) return f.labels;
  return f.labels.filter((l) => labelRole(l) === service);
}

/** `declaredLabels` of a built-in target by name; null for an unknown protocol or one that declares none. */
export function declaredLabelsOf(protocol: string, service?: string | null): readonly string[] | null {
  const f = findFamily(protocol);
  return f ? declaredLabels(f, service) : null;
}

export interface LabelCoverage {
  /** role → label → times taken, every declared label included (0 when never taken). */
  readonly labels: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly declared: number;
  readonly reached: number;
  /** Declared labels no run took, sorted. */
  readonly unreached: readonly string[];
  /** Labels taken that the protocol does not declare (a stale declaration), sorted. */
  readonly undeclared: readonly string[];
}

/** The labels of a run set's coverage completed with the declared ones it never reached. */
export function labelCoverage(c: Pick<CoverageData, 'labels'>, declared: readonly string[] | null): LabelCoverage {
  const out: Record<string, Record<string, number>> = {};
  const taken = new Map<string, number>();
  for (const ls of Object.values(c.labels)) for (const [l, n] of Object.entries(ls)) taken.set(l, (taken.get(l) ?? 0) + n);
  const all = new Set([...taken.keys(), ...(declared ?? [])]);
  for (const l of [...all].sort()) (out[labelRole(l)] ??= {})[l] = taken.get(l) ?? 0;
  const decl = new Set(declared ?? []);
  const reachedDeclared = [...decl].filter((l) => (taken.get(l) ?? 0) > 0).length;
  return {
    labels: out,
    declared: decl.size,
    reached: declared ? reachedDeclared : [...taken.values()].filter((n) => n > 0).length,
    unreached: [...decl].filter((l) => (taken.get(l) ?? 0) === 0).sort(),
    undeclared: declared ? [...taken.keys()].filter((l) => !decl.has(l) && (taken.get(l) ?? 0) > 0).sort() : [],
  };
}
