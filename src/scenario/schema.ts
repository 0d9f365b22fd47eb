import { z } from 'zod';
import type { OpFault } from '../kernel/types.js';

const time = z.number().nonnegative();
const probability = z.number().min(0).max(1);
const count = z.number().int().nonnegative();

const opFaults = ['lost-append', 'phantom-append', 'stale-listing', 'gapped-listing', 'cas-conflict', 'torn-write'] as const satisfies readonly OpFault[];

export const distributionSchema = z.discriminatedUnion('dist', [
  z.object({ dist: z.literal('fixed'), value: time }).strict(),
  z.object({ dist: z.literal('uniform'), min: time, max: time }).strict(),
  z.object({ dist: z.literal('exponential'), mean: z.number().positive() }).strict(),
  z.object({ dist: z.literal('longtail'), scale: z.number().positive(), alpha: z.number().positive(), cap: z.number().positive() }).strict(),
]);

export const topologySchema = z
  .object({
    proposers: z.number().int().min(1).max(9),
    acceptors: z.number().int().min(1).max(9),
    learners: z.number().int().min(1).max(9),
    servers: z.number().int().min(1).max(9),
    commands: z.number().int().min(1).max(50),
    collapsed: z.boolean(),
    backoff: z.enum(['randomized', 'deterministic']),
  })
  .strict();

/** A scenario: topology, workload, fault model and horizon of a set of timed runs. */
export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string(),
    topology: topologySchema.partial().default({}),
    runs: z.number().int().positive().default(200),
    horizon: z.number().positive().default(4000),
    maxSteps: z.number().int().positive().default(20000),
    workload: z.object({ spread: time }).strict().default({ spread: 20 }),
    network: z
      .object({
        delay: distributionSchema,
        drop: probability,
        duplicate: probability,
      })
      .strict(),
    storage: z
      .object({
        latency: distributionSchema,
        /** Chance that one server operation meets a storage fault (lost append, stale listing, …). */
        faults: probability.default(0),
        /** The fault kinds drawn from when a fault strikes (default: every kind the operation allows). */
        kinds: z.array(z.enum(opFaults)).min(1).optional(),
      })
      .strict(),
    crashes: z
      .object({ count, downtime: distributionSchema, within: time })
      .strict()
      .default({ count: 0, downtime: { dist: 'fixed', value: 100 }, within: 1000 }),
    partitions: z
      .object({ count, duration: distributionSchema, within: time })
      .strict()
      .default({ count: 0, duration: { dist: 'fixed', value: 100 }, within: 1000 }),
    servers: z
      .object({ outages: count, downtime: distributionSchema, within: time, slow: probability, slowFactor: z.number().min(1) })
      .strict()
      .default({ outages: 0, downtime: { dist: 'fixed', value: 100 }, within: 1000, slow: 0, slowFactor: 1 }),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
