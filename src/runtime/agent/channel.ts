import { z } from 'zod';

// The local channel between the run (parent) and an agent process: Node's IPC over the fork.
// Both ends validate what they receive; a malformed message is a bug, not a fault to model.

export const toAgent = z.discriminatedUnion('t', [
  z.object({ t: z.literal('submit'), id: z.number().int(), value: z.string() }),
  z.object({ t: z.literal('slow'), server: z.number().int(), ms: z.number(), forMs: z.number() }),
  z.object({ t: z.literal('delay'), ms: z.number(), forMs: z.number() }),
  z.object({ t: z.literal('stop') }),
]);
export type ToAgent = z.infer<typeof toAgent>;

export const fromAgent = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ready'), inc: z.number().int() }),
  z.object({ t: z.literal('decide'), slot: z.number().int(), value: z.string(), inc: z.number().int() }),
  z.object({ t: z.literal('ack'), id: z.number().int(), slot: z.number().int(), result: z.string().nullable() }),
  z.object({ t: z.literal('error'), message: z.string() }),
]);
export type FromAgent = z.infer<typeof fromAgent>;

/** What an agent process is started with (JSON in argv). */
export const agentConfig = z.object({
  service: z.string(),
  mutant: z.string().optional(),
  agents: z.number().int().positive(),
  self: z.number().int().nonnegative(),
  dataDir: z.string(),
  /** One store spec per passive server, in server order. */
  stores: z.array(z.string()).min(1),
  unitMs: z.number().positive(),
  opTimeoutMs: z.number().positive(),
  seed: z.number().int(),
});
export type AgentConfig = z.infer<typeof agentConfig>;
