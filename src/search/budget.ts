// Memory and time budgets of a search or a batch of walks (`--max-memory`, `--max-time`).
//
// A search that outgrows the heap must end with what it has, never in V8's out-of-memory abort,
// and a search left running must end by itself. Both budgets act through the stop flag every
// engine already reads at its step boundaries (bfs, dfs, sleep sets, workers, shards, walks), so
// none of them needs a code path of its own: the flag comes up, the engine ends as if
// interrupted, and the caller reads `reason` to tell a budget from a Ctrl-C. Nothing here feeds
// the search itself, so a budget that is not reached leaves every count unchanged.

import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import type { StopFlag } from '../step/drive.js';

import type { StopReason } from '../step/summary.js';

export type { StopReason } from '../step/summary.js';

export interface Budgets {
  /**
   * MiB of memory the search may hold: long-lived heap (V8's old generation) plus the off-heap
   * buffers its visited set and compact frontier live in; default: defaultMaxMemoryMiB().
   */
  readonly maxMemoryMiB?: number;
  /** Milliseconds of wall time; default DEFAULT_MAX_TIME_MS. */
  readonly maxTimeMs?: number;
}

/** Ten minutes: long enough for every completing bound here, short enough for a CI step. */
export const DEFAULT_MAX_TIME_MS = 10 * 60 * 1000;

/** Part of the old-generation limit a search may fill: the rest is for the report written after it. */
export const MEMORY_FRACTION = 0.75;

/**
 * V8's heap limit counts the young generation too (three semi-spaces, 48 MiB at most on 64-bit
 * builds), whose objects never cause the abort: only the old generation's limit matters.
 */
const YOUNG_RESERVE_MIB = 48;

const MiB = 1024 * 1024;

/** The old generation's limit in MiB (what --max-old-space-size sets). */
export function oldGenerationLimitMiB(): number {
  const limit = getHeapStatistics().heap_size_limit / MiB;
  return limit - Math.min(YOUNG_RESERVE_MIB, limit / 2);
}

/**
 * Memory a search holds by default at most, whatever the heap limit: the process around it
 * (code, the collector's slack, the report written afterwards) adds about a quarter, so a default
 * search stays under 2 GB resident. A larger --max-memory (and node --max-old-space-size) goes further.
 */
export const DEFAULT_MEMORY_CAP_MIB = 1536;

/** The default memory budget: a safe fraction of the heap Node runs with, capped. */
export function defaultMaxMemoryMiB(): number {
  return Math.min(DEFAULT_MEMORY_CAP_MIB, Math.floor(oldGenerationLimitMiB() * MEMORY_FRACTION));
}

/** MiB of heap outside the young generation: what V8 must keep under its limit. */
export function oldGenerationUsedMiB(): number {
  let young = 0;
  const spaces = getHeapSpaceStatistics();
  for (const s of spaces) if (s.space_name === 'new_space' || s.space_name === 'new_large_object_space') young += s.space_used_size;
  return (getHeapStatistics().used_heap_size - young) / MiB;
}

/** MiB the search holds: the old generation plus off-heap buffers (tables, compact states). */
export function searchMemoryMiB(): number {
  return oldGenerationUsedMiB() + getHeapStatistics().external_memory / MiB;
}

/** Whatever the budget, the heap alone must stay clear of V8's limit. */
function nearHeapLimit(): boolean {
  return oldGenerationUsedMiB() >= oldGenerationLimitMiB() * MEMORY_FRACTION;
}

/** A stop flag that also comes up when a budget is spent; `reason` says which. */
export interface BudgetFlag extends StopFlag {
  readonly reason: 'memory' | 'time' | null;
  /** The budgets in force (defaults filled in), for the summary. */
  readonly limits: { readonly maxMemoryMiB: number; readonly maxTimeMs: number };
}

/**
 * Reads of the flag between two heap measurements: engines read it once per kernel state or
 * once per 64 packed states, and a measurement costs a few microseconds.
 */
const MEMORY_EVERY = 64;

/** `inner` (Ctrl-C) or a spent budget. The clock starts now. */
export function budgetFlag(b: Budgets = {}, inner?: StopFlag): BudgetFlag {
  const maxMemoryMiB = b.maxMemoryMiB ?? defaultMaxMemoryMiB();
  const maxTimeMs = b.maxTimeMs ?? DEFAULT_MAX_TIME_MS;
  const t0 = performance.now();
  let reason: 'memory' | 'time' | null = null;
  let reads = 0;
  return {
    limits: { maxMemoryMiB, maxTimeMs },
    get reason() {
      return reason;
    },
    get stopped() {
      if (reason !== null) return true;
      if (inner?.stopped === true) return true;
      if (performance.now() - t0 >= maxTimeMs) reason = 'time';
      else if (++reads % MEMORY_EVERY === 0 && (searchMemoryMiB() >= maxMemoryMiB || nearHeapLimit())) reason = 'memory';
      return reason !== null;
    },
  };
}

/** The engines' own stop causes, as a StopReason; a budget flag's reason comes first. */
export function stopReasonOf(stoppedBy: string | null, stop?: StopFlag): StopReason | null {
  if (stoppedBy === null || stoppedBy === 'violation') return null;
  const r = (stop as Partial<BudgetFlag> | undefined)?.reason;
  if (r) return r;
  if (stoppedBy === 'maxStates') return 'states';
  if (stoppedBy === 'maxDepth') return 'depth';
  return null;
}

/** Stopped by Ctrl-C, not by a budget. */
export function interruptedBy(stoppedBy: string | null, stop?: StopFlag): boolean {
  return stoppedBy === 'interrupted' && !(stop as Partial<BudgetFlag> | undefined)?.reason;
}

/** "90s", "5m", "1h", "250ms" or a bare number of seconds, in milliseconds; null if malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = Number(m[1]) * unit;
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : null;
}

/** "2,131,084 states, depth 17, 1,450,112 queued": what a search stopped early had covered. */
export function coveredLine(reason: StopReason, c: { readonly distinctStates: number; readonly depth: number; readonly queued?: number | null }, limits?: BudgetFlag['limits']): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const why =
    reason === 'memory' ? `memory budget reached (${limits ? `${n(limits.maxMemoryMiB)} MiB` : '--max-memory'}; raise --max-memory or node --max-old-space-size)`
    : reason === 'time' ? `time budget reached (${limits ? `${Math.round(limits.maxTimeMs / 1000)} s` : '--max-time'}; raise --max-time)`
    : reason === 'states' ? 'state bound reached (--max-states)'
    : 'depth bound reached (--max-depth)';
  const queued = c.queued !== undefined && c.queued !== null ? `, ${n(c.queued)} queued` : '';
  return `paxcheck: stopped early, ${why}: covered ${n(c.distinctStates)} distinct states, depth ${c.depth}${queued}; results are partial (complete: false)`;
}

/**
 * The process's peak resident memory so far (heap, buffers, code: all of it), in MiB and per
 * distinct state: what a search really costs, where `bytesPerState` counts only its table.
 */
export function peakMemory(distinctStates: number): { readonly peakRssMiB: number; readonly rssBytesPerState: number } {
  const bytes = process.resourceUsage().maxRSS * 1024;
  return { peakRssMiB: Math.round(bytes / MiB), rssBytesPerState: distinctStates > 0 ? Math.round(bytes / distinctStates) : 0 };
}
