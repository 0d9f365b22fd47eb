import { z } from 'zod';
import { NEMESES, RUNTIME_SERVICES } from './names.js';

// Options of a real run (`paxcheck run`), validated once; everything below trusts them.

export { NEMESES } from './names.js';
export type { NemesisKind } from './names.js';

export const runOptions = z.object({
  service: z.enum(RUNTIME_SERVICES),
  /** dir | sqlite | redis, optionally with a spec: dir:PATH, sqlite:PATH, redis:HOST:PORT[,HOST:PORT…]. */
  store: z.string().regex(/^(dir|sqlite|redis)(:.+)?$/, 'expected dir|sqlite|redis[:spec]'),
  agents: z.number().int().min(1).max(16),
  servers: z.number().int().min(1).max(9),
  durationMs: z.number().positive(),
  nemesis: z.array(z.enum(NEMESES)),
  mutant: z.string().optional(),
  seed: z.number().int(),
  out: z.string(),
  /** Client processes per agent. */
  clientsPerAgent: z.number().int().min(1).default(2),
  /** Keys the clients read and write: few keys, much contention. */
  keys: z.number().int().min(1).default(3),
  /** A client gives up on an operation after this long (its outcome is then unknown). */
  opTimeoutMs: z.number().positive().default(2_000),
  /** Real ms per unit of protocol time: the agents' retry/poll period is 60 units. */
  unitMs: z.number().positive().default(0.25),
  /** A store op with no reply after this long is never replied. */
  storeTimeoutMs: z.number().positive().default(500),
  /** Mean time between two nemesis actions. */
  faultEveryMs: z.number().positive().default(800),
  /** After the workload: time for the restarted agents to re-learn the log. */
  settleMs: z.number().positive().default(2_000),
  linearizabilityMs: z.number().positive().default(10_000),
  html: z.boolean().default(true),
});
export type RunOptions = z.infer<typeof runOptions>;
export type RunInput = z.input<typeof runOptions>;
