import { setTimeout as sleep } from 'node:timers/promises';
import type { Rng } from '../../kernel/rng.js';
import type { History, OpKind } from '../history.js';
import { getCommand, putCommand } from '../replica.js';
import type { Cluster } from './cluster.js';

// Jepsen-style clients of the replicated key-value store. Each client runs one operation at a
// time against its agent: invoke, then ok (acknowledged: the command was decided), fail (it
// certainly never reached an agent) or info (timed out, or the agent died: outcome unknown).
// After an info the client continues as a new process, since the old one may still take effect.

interface Waiting {
  readonly agent: number;
  resolve(r: { ok: true; slot: number; result: string | null } | { ok: false; reason: string }): void;
}

export interface WorkloadOptions {
  readonly clients: number;
  readonly keys: number;
  readonly opTimeoutMs: number;
}

export class Workload {
  private nextId = 1;
  private stopped = false;
  private readonly waiting = new Map<number, Waiting>();
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly cluster: Cluster,
    private readonly history: History,
    private readonly rng: Rng,
    private readonly o: WorkloadOptions,
  ) {}

  onAck(id: number, slot: number, result: string | null): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    w.resolve({ ok: true, slot, result });
  }

  /** The agent died: what was in flight there may or may not be decided later. */
  onDown(agent: number): void {
    for (const [id, w] of this.waiting) {
      if (w.agent !== agent) continue;
      this.waiting.delete(id);
      w.resolve({ ok: false, reason: `agent ${agent} died` });
    }
  }

  start(): void {
    const n = this.cluster.agents.length;
    for (let c = 0; c < this.o.clients; c++) this.loops.push(this.client(c, c % n));
  }

  /** Stops issuing operations; those still in flight end as info (their outcome is unknown). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.resolve({ ok: false, reason: 'run ended' });
    }
    await Promise.all(this.loops);
  }

  private async client(c: number, agent: number): Promise<void> {
    let proc = c;
    while (!this.stopped) {
      const outcome = await this.one(proc, agent);
      if (outcome === 'info') proc += this.o.clients;
      if (outcome === 'fail') await sleep(50);
    }
  }

  private async one(process: number, agent: number): Promise<'ok' | 'fail' | 'info'> {
    const id = this.nextId++;
    const f: OpKind = this.rng.chance(0.5) ? 'put' : 'get';
    const key = `k${this.rng.int(this.o.keys)}`;
    const value = String(id);
    const command = f === 'put' ? putCommand(`w${id}`, key, value) : getCommand(`r${id}`, key);
    const base = { id, process, agent, f, key };
    this.history.add({ type: 'invoke', ...base, ...(f === 'put' ? { value } : {}), command });
    const a = this.cluster.agents[agent];
    const reply = new Promise<Parameters<Waiting['resolve']>[0]>((resolve) => this.waiting.set(id, { agent, resolve }));
    if (!a || !a.send({ t: 'submit', id, value: command })) {
      this.waiting.delete(id);
      this.history.add({ type: 'fail', ...base, reason: `agent ${agent} is down` });
      return 'fail';
    }
    // The timer is cancelled as soon as the reply is in, so a stopped run leaves no timer behind.
    const cancel = new AbortController();
    const timeout = sleep(this.o.opTimeoutMs, undefined, { signal: cancel.signal }).then(
      () => ({ ok: false as const, reason: 'timeout' }),
      () => ({ ok: false as const, reason: 'cancelled' }),
    );
    const r = await Promise.race([reply, timeout]);
    cancel.abort();
    this.waiting.delete(id);
    if (!r.ok) {
      this.history.add({ type: 'info', ...base, reason: r.reason });
      return 'info';
    }
    this.history.add({ type: 'ok', ...base, slot: r.slot, ...(f === 'get' ? { value: r.result } : {}) });
    return 'ok';
  }
}
