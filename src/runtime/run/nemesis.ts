import { setTimeout as sleep } from 'node:timers/promises';
import type { Rng } from '../../kernel/rng.js';
import type { History } from '../history.js';
import type { Cluster } from './cluster.js';
import type { NemesisKind } from './options.js';
import type { RunStores } from './stores.js';
import { storeFaults } from './store-faults.js';
import type { AgentNetwork } from '../proc/network.js';
import type { StoreFault } from './store-faults.js';

// The nemesis: real faults at random times, each healed after a random while. At most one
// agent is faulty at a time and only a minority of stores, so that a quorum of stores and a
// live agent remain and the run can make progress; safety must hold regardless.

export interface NemesisStats {
  kills: number;
  pauses: number;
  storeFaults: number;
  storeRestarts: number;
  /** Agent–store links cut (network namespaces; see proc/network.ts). */
  partitions: number;
  /** Periods of network delay on every agent–store link. */
  delays: number;
}

type Action = () => Promise<void>;

export class Nemesis {
  readonly stats: NemesisStats = { kills: 0, pauses: 0, storeFaults: 0, storeRestarts: 0, partitions: 0, delays: 0 };
  private readonly stop = new AbortController();
  private readonly running = new Set<Promise<void>>();
  private agentFaults = 0;
  private storeFaultsActive = 0;
  private partitionsActive = 0;
  private delaying = false;
  private readonly storeMenu: readonly StoreFault[];
  private loop: Promise<void> | null = null;

  constructor(
    private readonly kinds: readonly NemesisKind[],
    private readonly cluster: Cluster,
    private readonly stores: RunStores,
    private readonly history: History,
    private readonly rng: Rng,
    private readonly everyMs: number,
    /** The run network: present when partitions can be made (see partitionSkipped). */
    private readonly net?: AgentNetwork,
    partitionSkipped?: string,
  ) {
    this.storeMenu = kinds.includes('store') ? storeFaults(stores, cluster) : [];
    if (net) history.add({ type: 'note', message: net.describe() });
    if (kinds.includes('partition') && !net) history.add({ type: 'note', message: `partition nemesis skipped: ${partitionSkipped ?? 'no run network'}` });
  }

  /** A wait that ends early when the nemesis stops, so every fault is healed promptly. */
  private wait(ms: number): Promise<void> {
    return sleep(ms, undefined, { signal: this.stop.signal }).catch(() => undefined);
  }

  private between(lo: number, hi: number): number {
    return lo + this.rng.next() * (hi - lo);
  }

  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stop.signal.aborted) {
      await this.wait(this.everyMs * this.between(0.5, 1.5));
      if (this.stop.signal.aborted) break;
      const action = this.pick();
      if (!action) continue;
      const p = action().catch((e: unknown) => void this.history.add({ type: 'note', message: `nemesis action failed: ${String(e)}` }));
      this.running.add(p);
      void p.finally(() => this.running.delete(p));
    }
  }

  private pick(): Action | null {
    const menu: Action[] = [];
    const majorityLeft = this.storeFaultsActive < Math.floor((this.stores.specs.length - 1) / 2);
    if (this.agentFaults === 0) {
      if (this.kinds.includes('kill')) menu.push(() => this.kill());
      if (this.kinds.includes('pause')) menu.push(() => this.pause());
    }
    if (majorityLeft && this.storeMenu.length > 0) menu.push(() => this.storeFault());
    if (this.net && this.partitionsActive === 0) menu.push(() => this.partition());
    if (this.kinds.includes('delay') && !this.delaying) menu.push(() => this.delay());
    return menu.length === 0 ? null : this.rng.pick(menu);
  }

  private async kill(): Promise<void> {
    const i = this.rng.int(this.cluster.agents.length);
    const a = this.cluster.agents[i];
    if (!a?.up) return;
    this.agentFaults++;
    try {
      await a.kill();
      this.stats.kills++;
      this.history.add({ type: 'fault', fault: 'kill', target: `agent ${i}`, detail: 'SIGKILL' });
      await this.wait(this.between(200, 1000));
      await a.start();
      this.history.add({ type: 'fault', fault: 'restart', target: `agent ${i}`, detail: `incarnation ${a.inc}` });
    } finally {
      this.agentFaults--;
    }
  }

  private async pause(): Promise<void> {
    const i = this.rng.int(this.cluster.agents.length);
    const a = this.cluster.agents[i];
    if (!a?.up) return;
    this.agentFaults++;
    try {
      a.pause();
      this.stats.pauses++;
      this.history.add({ type: 'fault', fault: 'pause', target: `agent ${i}`, detail: 'SIGSTOP' });
      await this.wait(this.between(200, 1200));
      a.resume();
      this.history.add({ type: 'fault', fault: 'resume', target: `agent ${i}`, detail: 'SIGCONT' });
    } finally {
      this.agentFaults--;
    }
  }

  private async storeFault(): Promise<void> {
    const fault = this.rng.pick(this.storeMenu);
    const s = this.rng.int(this.stores.specs.length);
    this.storeFaultsActive++;
    try {
      const heal = await fault.inject(s, this.rng);
      this.stats.storeFaults++;
      this.history.add({ type: 'fault', fault: fault.name, target: `store ${s}`, ...(fault.detail ? { detail: fault.detail } : {}) });
      await this.wait(this.between(fault.minMs, fault.maxMs));
      await heal();
      if (fault.heal === 'store-restart') this.stats.storeRestarts++;
      this.history.add({ type: 'fault', fault: fault.heal, target: `store ${s}` });
    } finally {
      this.storeFaultsActive--;
    }
  }

  /** Cuts one agent off one store, then heals the link: what was sent meanwhile arrives late. */
  private async partition(): Promise<void> {
    const net = this.net;
    if (!net) return;
    const i = this.rng.int(net.agents);
    const s = this.rng.int(net.stores);
    this.partitionsActive++;
    try {
      net.partition(i, s);
      this.stats.partitions++;
      this.history.add({ type: 'fault', fault: 'partition', target: `agent ${i} | store ${s}`, detail: 'link down' });
      await this.wait(this.between(200, 1500));
      net.heal(i, s);
      this.history.add({ type: 'fault', fault: 'heal', target: `agent ${i} | store ${s}`, detail: 'link up' });
    } finally {
      this.partitionsActive--;
    }
  }

  /**
   * Network delay on every agent–store link for 1–3 s, each agent at its own scale (20–150 ms,
   * most ops far less: see host.ts linkDelay). Ops sent together then land in different orders at
   * different stores and replies come back late, which is where decisions taken on partial
   * evidence go wrong. An agent restarted meanwhile starts with fast links.
   */
  private async delay(): Promise<void> {
    const forMs = Math.round(this.between(1000, 3000));
    this.delaying = true;
    try {
      const scales = this.cluster.agents.map(() => Math.round(this.between(20, 150)));
      this.cluster.agents.forEach((a, i) => a.send({ t: 'delay', ms: scales[i] ?? 0, forMs }));
      this.stats.delays++;
      this.history.add({ type: 'fault', fault: 'delay', target: 'every link', detail: `ops and replies delayed by up to ${scales.join('/')} ms per agent for ${forMs} ms` });
      await this.wait(forMs);
      for (const a of this.cluster.agents) a.send({ t: 'delay', ms: 0, forMs: 0 });
      this.history.add({ type: 'fault', fault: 'undelay', target: 'every link' });
    } finally {
      this.delaying = false;
    }
  }

  /** Stops injecting and heals every fault still active. */
  async halt(): Promise<void> {
    this.stop.abort();
    await this.loop;
    await Promise.allSettled([...this.running]);
  }
}
