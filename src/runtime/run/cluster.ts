import type { AgentConfig, FromAgent } from '../agent/channel.js';
import type { History } from '../history.js';
import { AgentProcess } from '../proc/agent-process.js';
import type { AgentNetwork } from '../proc/network.js';

// The N agent processes of a run and the routing of what they report: decisions go to the
// history, acknowledgements to the waiting clients, exits to whoever needs to know that the
// operations in flight at that agent now have an unknown outcome.

export interface ClusterEvents {
  onAck(agent: number, id: number, slot: number, result: string | null): void;
  onDown(agent: number): void;
  /** A decision, after it is in the history. */
  onDecide?(agent: number, slot: number, value: string): void;
}

export class Cluster {
  readonly agents: AgentProcess[];
  /** Per agent: slots decided by its current incarnation (it decides them in order from 0). */
  private readonly learned: number[];

  constructor(
    configs: readonly AgentConfig[],
    private readonly history: History,
    private readonly events: ClusterEvents,
    net?: AgentNetwork,
  ) {
    this.learned = configs.map(() => 0);
    this.agents = configs.map((cfg, i) => new AgentProcess(i, cfg, { onMessage: (a, m) => this.onMessage(a, m), onExit: (a) => this.events.onDown(a) }, net?.wrap(i)));
  }

  private onMessage(agent: number, m: FromAgent): void {
    switch (m.t) {
      case 'ready':
        this.learned[agent] = 0;
        return;
      case 'decide':
        this.history.add({ type: 'decide', agent, inc: m.inc, slot: m.slot, value: m.value });
        if (m.slot + 1 > (this.learned[agent] ?? 0)) this.learned[agent] = m.slot + 1;
        this.events.onDecide?.(agent, m.slot, m.value);
        return;
      case 'ack':
        this.events.onAck(agent, m.id, m.slot, m.result);
        return;
      case 'error':
        this.history.add({ type: 'error', agent, message: m.message });
        return;
    }
  }

  /** Slots the agent's current incarnation has decided. */
  learnedBy(agent: number): number {
    return this.learned[agent] ?? 0;
  }

  async startAll(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.start()));
  }

  async restart(agent: number): Promise<void> {
    const a = this.agents[agent];
    if (!a) return;
    await a.kill();
    this.learned[agent] = 0;
    await a.start();
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled(this.agents.map((a) => a.stop()));
  }

  async killAll(): Promise<void> {
    await Promise.allSettled(this.agents.map((a) => a.kill()));
  }
}
