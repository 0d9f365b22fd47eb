import { RngStreams } from '../../kernel/rng.js';
import type { NodeId, Value } from '../../kernel/types.js';
import type { Applied } from '../replica.js';
import { Replica } from '../replica.js';
import { openStores } from '../stores/store.js';
import type { Store } from '../stores/store.js';
import { runtimeSystem } from '../system.js';
import type { AgentConfig } from './channel.js';
import { AgentHost } from './host.js';

// One agent with everything around it: its stores, its host and the replica of the key-value
// store it serves to clients. Used by the agent process and, in-process, by openLog.

export interface NodeEvents {
  onDecide?(slot: number, value: Value, inc: number): void;
  /** A command submitted here reached its place in the log (after the decision is durable). */
  onAck?(id: number, applied: Applied): void;
  onError?(err: Error): void;
}

export interface AgentNode {
  readonly host: AgentHost;
  readonly replica: Replica;
  submit(id: number, value: Value): void;
  /** Delays ops to store `index` (slow-store fault). */
  slowDown(index: number, ms: number, forMs: number): void;
  close(): Promise<void>;
}

export async function startAgentNode(cfg: AgentConfig, events: NodeEvents = {}): Promise<AgentNode> {
  const sys = runtimeSystem(cfg.service, cfg.agents, cfg.stores.length, cfg.mutant);
  const agent = sys.agents[cfg.self];
  if (!agent) throw new Error(`agent ${cfg.self} is not one of the ${cfg.agents} agents`);
  const stores = await openStores(cfg.stores, sys.kind);
  const byNode = new Map<NodeId, Store>(stores.map((s, i) => [sys.servers[i] as NodeId, s]));
  const replica = new Replica();
  // Commands submitted to this incarnation and not yet decided: value → client op id.
  const waiting = new Map<Value, number>();
  const rng = new RngStreams(cfg.seed);
  const host: AgentHost = new AgentHost({
    agent,
    self: cfg.self,
    dataDir: cfg.dataDir,
    stores: byNode,
    unitMs: cfg.unitMs,
    opTimeoutMs: cfg.opTimeoutMs,
    random: () => rng.get(`agent-${cfg.self}-${host.incarnation}`).next(),
    events: {
      onDecide(slot, value, inc) {
        events.onDecide?.(slot, value, inc);
        for (const a of replica.decide(slot, value)) {
          const id = waiting.get(a.value);
          if (id === undefined) continue;
          waiting.delete(a.value);
          events.onAck?.(id, a);
        }
      },
      onError: (err) => events.onError?.(err),
    },
  });
  host.start();
  return {
    host,
    replica,
    submit(id, value) {
      waiting.set(value, id);
      host.submit(value);
    },
    slowDown(index, ms, forMs) {
      const node = sys.servers[index];
      if (node !== undefined) host.slowDown(node, ms, forMs);
    },
    async close() {
      host.close();
      await Promise.allSettled(stores.map((s) => s.close()));
    },
  };
}
