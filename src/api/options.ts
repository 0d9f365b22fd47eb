// The options of `check`, validated: a bad option is one clear error naming it.

import { z } from 'zod';
import { InputError } from '../errors.js';
import { scenarioSchema, topologySchema } from '../scenario/schema.js';

const count = z.number().int().nonnegative();

export const strategies = ['simulate', 'random', 'pct', 'swarm', 'bfs', 'dfs', 'fast-check'] as const;
export type CheckStrategy = (typeof strategies)[number];

export const checkOptionsSchema = z
  .object({
    /** simulate: seeded timed runs under a scenario; random/pct/swarm: walks; bfs/dfs: exhaustive search; fast-check: shrinking choice sequences. */
    strategy: z.enum(strategies).default('simulate'),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(1),
    /** Runs (simulate, walks, fast-check); default: the scenario's own for simulate, else 300. */
    runs: z.number().int().min(1).max(10_000_000).optional(),
    /** A built-in scenario name, a JSON file path, or a scenario object (simulate, swarm). */
    scenario: z.union([z.string().min(1), scenarioSchema]).default('default'),
    service: z.string().optional(),
    mutant: z.string().optional(),
    topology: topologySchema.partial().default({}),
    /**
     * Fault budgets for untimed strategies (default crashes=1, drops=1); `ballots` and `timers`
     * bound bfs/dfs. bfs/dfs given no budget, topology, maxStates or maxDepth search the default
     * bound ladder instead (search/ladder.ts); the protocol's own default topology is not a bound.
     */
    budget: z
      .object({ crashes: count, drops: count, dups: count, partitions: count, downs: count, storage: count, ballots: z.number().int().min(1), timers: count })
      .partial()
      .strict()
      .optional(),
    maxDepth: z.number().int().min(1).optional(),
    maxStates: z.number().int().min(1).optional(),
    /** bfs/dfs: MiB of memory (heap and off-heap tables) the search may hold (default ¾ of node's old-generation limit, at most 1536). */
    maxMemoryMiB: z.number().int().min(16).optional(),
    /** bfs/dfs: milliseconds before the search stops (default 10 minutes). */
    maxTimeMs: z.number().int().min(1).optional(),
    /** pct: bug depth d. */
    depth: z.number().int().min(1).optional(),
    /**
     * checkParallel: worker threads for the default bound ladder (bfs/dfs given no bound), each
     * running whole rung attempts; default: the machine's available parallelism. `check` runs on
     * its own thread and refuses more than 1.
     */
    workers: z.number().int().min(1).max(64).optional(),
    /** bfs/dfs reductions (both on by default; states and verdicts are those of the full search). */
    por: z.boolean().default(true),
    symmetry: z.boolean().default(true),
    /** Where failure files and run sets go; false: write nothing. */
    out: z.union([z.string().min(1), z.literal(false)]).default('reports'),
  })
  .strict();

export type CheckOptions = z.input<typeof checkOptionsSchema>;
export type ResolvedOptions = z.output<typeof checkOptionsSchema>;

export function parseCheckOptions(o: unknown): ResolvedOptions {
  const r = checkOptionsSchema.safeParse(o ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(options)';
  throw new InputError(`check: option "${field}": ${issue?.message ?? 'invalid'}`);
}
