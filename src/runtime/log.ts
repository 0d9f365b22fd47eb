import { setTimeout as sleep } from 'node:timers/promises';
import type { Value } from '../kernel/types.js';
import type { AgentNode } from './agent/node.js';
import { startAgentNode } from './agent/node.js';
import type { RuntimeService } from './system.js';

// A replicated log for applications (a shared database among agents): this process runs one
// passive-Paxos agent over the given stores, in-process, with its durable state in `dataDir`.
// `append` resolves once the command is decided and the decision is durable here; `log` is the
// decided log in slot order as far as this agent has learned it (it keeps polling the stores,
// so other processes' commands show up without any messages between the processes).

export interface LogOptions {
  readonly service: RuntimeService;
  /** One store spec per passive server, e.g. three `sqlite:/path/sN.db` files. */
  readonly stores: readonly string[];
  /** 0 ≤ agentId < agents; distinct for every process sharing the stores. */
  readonly agentId: number;
  /** This process's own durable state (never shared). */
  readonly dataDir: string;
  /** How many agents may ever share the stores (ballots are unique per agent). Default 8. */
  readonly agents?: number;
  /** Real ms per unit of protocol time (retry/poll period = 60 units). Default 0.25. */
  readonly unitMs?: number;
  /** A store op with no reply after this long is abandoned. Default 1000. */
  readonly opTimeoutMs?: number;
}

export interface LogEntry {
  readonly slot: number;
  /** Who appended it: `<agent>.<incarnation>.<n>`. */
  readonly id: string;
  readonly command: string;
}

export interface ReplicatedLog {
  /** Resolves with the slot the command was decided in. */
  append(command: string): Promise<number>;
  /** Decided entries in slot order, as far as learned. */
  log(): LogEntry[];
  /** Resolves once at least `n` entries are learned (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function entryOf(slot: number, value: Value): LogEntry {
  const colon = value.indexOf(':');
  return colon < 0 ? { slot, id: '', command: value } : { slot, id: value.slice(0, colon), command: value.slice(colon + 1) };
}

export async function openLog(o: LogOptions): Promise<ReplicatedLog> {
  const agents = o.agents ?? 8;
  if (!Number.isInteger(o.agentId) || o.agentId < 0 || o.agentId >= agents) throw new Error(`agentId must be in 0..${agents - 1}`);
  const entries: LogEntry[] = [];
  const waiting = new Map<number, { resolve(slot: number): void; reject(e: Error): void }>();
  let failure: Error | null = null;
  const node: AgentNode = await startAgentNode(
    { service: o.service, agents, self: o.agentId, dataDir: o.dataDir, stores: [...o.stores], unitMs: o.unitMs ?? 0.25, opTimeoutMs: o.opTimeoutMs ?? 1000, seed: o.agentId },
    {
      // The agent decides slots in order from 0 in each incarnation: entries stay dense.
      onDecide: (slot, value) => {
        if (slot === entries.length) entries.push(entryOf(slot, value));
      },
      onAck: (id, a) => {
        waiting.get(id)?.resolve(a.slot);
        waiting.delete(id);
      },
      onError: (err) => {
        failure = err;
        for (const w of waiting.values()) w.reject(err);
        waiting.clear();
      },
    },
  );
  let n = 0;
  return {
    append(command) {
      if (failure) return Promise.reject(failure);
      const id = ++n;
      const p = new Promise<number>((resolve, reject) => waiting.set(id, { resolve, reject }));
      node.submit(id, `${o.agentId}.${node.host.incarnation}.${id}:${command}`);
      return p;
    },
    log: () => entries.slice(),
    async waitFor(count, timeoutMs = 10_000) {
      const until = performance.now() + timeoutMs;
      while (entries.length < count) {
        if (failure) throw failure;
        if (performance.now() > until) throw new Error(`log has ${entries.length} of ${count} entries after ${timeoutMs} ms`);
        await sleep(10);
      }
    },
    async close() {
      for (const w of waiting.values()) w.reject(new Error('log closed'));
      waiting.clear();
      await node.close();
    },
  };
}
