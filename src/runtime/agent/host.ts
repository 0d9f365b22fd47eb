import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentBehaviour, Context, Json, NodeId, ServerReply, ServerRequest, Value } from '../../kernel/types.js';
import type { Store } from '../stores/store.js';
import { appendDecision, nextIncarnation, readDurable, writeDurable } from './durable.js';
import type { Effect } from './effects.js';
import { recordingContext } from './effects.js';

// Runs one AgentBehaviour against the real world. Every event (start, submit, timer, write
// done, reply) runs one handler to completion; only then are the effects it recorded applied:
// timers become real timers, writes become fsynced files, ops go to store adapters, decisions
// go to the durable decision log. A reply that misses its deadline is dropped for good, the
// runtime's counterpart of a lost message: the agent's own retry timer has to cope.

export interface HostEvents {
  /** After the decision is durable in the decision log. */
  onDecide?(slot: number, value: Value, inc: number): void;
  /** A handler threw: the agent is stopped (the no-exception property is violated). */
  onError?(err: Error): void;
}

export interface HostOptions {
  readonly agent: AgentBehaviour;
  readonly self: NodeId;
  readonly dataDir: string;
  /** The passive servers, by node id. */
  readonly stores: ReadonlyMap<NodeId, Store>;
  /** Real milliseconds per unit of the protocol's virtual time (timer durations). */
  readonly unitMs: number;
  /** An op with no reply after this long is never replied. */
  readonly opTimeoutMs: number;
  /** Uniform draws in [0, 1) for timer jitter. */
  readonly random: () => number;
  readonly events?: HostEvents;
}

export class AgentHost {
  private state: unknown = null;
  private inc = -1;
  private closed = false;
  private writeSeq = 0;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Writes of one key complete in issue order: each waits for the previous one. */
  private readonly writes = new Map<string, Promise<void>>();
  /** Per server: until when (ms, Date.now) and by how much its ops are delayed (slow store). */
  private readonly slow = new Map<NodeId, { until: number; ms: number }>();
  /** Until when and at what scale every op and every reply is delayed (network delay). */
  private delayed = { until: 0, ms: 0 };

  constructor(private readonly o: HostOptions) {}

  get incarnation(): number {
    return this.inc;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Bumps the durable incarnation, then runs init (first start) or recover (any restart). */
  start(): void {
    const { inc, fresh } = nextIncarnation(this.o.dataDir);
    this.inc = inc;
    const a = this.o.agent;
    if (fresh) this.step((ctx) => a.init(ctx));
    else {
      const durable = readDurable(this.o.dataDir);
      this.step((ctx) => a.recover(durable, ctx));
    }
  }

  submit(value: Value): void {
    this.step((ctx) => this.o.agent.onSubmit(this.state, value, ctx));
  }

  /** Delays every op to `server` by up to `ms` until `forMs` from now: a slow store. */
  slowDown(server: NodeId, ms: number, forMs: number): void {
    this.slow.set(server, { until: Date.now() + forMs, ms });
  }

  /**
   * Delays every op to every store, and every reply, by an independent random while until
   * `forMs` from now: most by little, a few by up to `ms`, as a congested network does. Ops sent
   * together then land in different orders at different stores, and replies come back late.
   */
  delayLinks(ms: number, forMs: number): void {
    this.delayed = { until: Date.now() + forMs, ms };
  }

  private linkDelay(): number {
    // Cubed: a long tail, so that late messages are rare and the protocol still makes progress.
    return this.delayed.until > Date.now() ? this.delayed.ms * this.o.random() ** 3 : 0;
  }

  /** The agent's current view (what the properties read). */
  view(): ReturnType<AgentBehaviour['view']> {
    return this.o.agent.view(this.state);
  }

  /** Stops the agent: no handler runs again; late replies and write completions are dropped. */
  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private step(handler: (ctx: Context) => unknown): void {
    if (this.closed) return;
    const rec = recordingContext(this.o.self, this.inc);
    try {
      this.state = handler(rec.ctx);
    } catch (e) {
      this.close();
      this.o.events?.onError?.(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    for (const effect of rec.effects) {
      if (this.closed) return;
      this.apply(effect);
    }
  }

  private apply(e: Effect): void {
    switch (e.k) {
      case 'timer':
        return this.setTimer(e.name, e.after, e.jitter);
      case 'cancel':
        clearTimeout(this.timers.get(e.name));
        this.timers.delete(e.name);
        return;
      case 'write':
        return this.write(e.key, e.value);
      case 'op':
        return this.op(e.server, e.req);
      case 'decide':
        appendDecision(this.o.dataDir, { slot: e.slot, value: e.value, inc: this.inc });
        this.o.events?.onDecide?.(e.slot, e.value, this.inc);
        return;
      case 'send':
        // Passive agents never message each other; the runtime offers no agent network.
        return;
    }
  }

  private setTimer(name: string, after: number, jitter: number): void {
    clearTimeout(this.timers.get(name));
    const ms = after * this.o.unitMs * (1 + Math.max(0, jitter) * this.o.random());
    const t = setTimeout(() => {
      this.timers.delete(name);
      this.step((ctx) => this.o.agent.onTimer(this.state, name, ctx));
    }, ms);
    this.timers.set(name, t);
  }

  private write(key: string, value: Json): void {
    const seq = this.writeSeq++;
    const previous = this.writes.get(key) ?? Promise.resolve();
    const done = previous.then(() => (this.closed ? undefined : writeDurable(this.o.dataDir, key, value, seq)));
    this.writes.set(key, done.catch(() => undefined));
    done.then(
      () => this.step((ctx) => this.o.agent.onWriteDone(this.state, key, ctx)),
      // A failed write never completes, as if the process had crashed before it did.
      () => undefined,
    );
  }

  private op(server: NodeId, req: ServerRequest): void {
    const store = this.o.stores.get(server);
    if (!store) return;
    const deadline = Date.now() + this.o.opTimeoutMs;
    const slow = this.slow.get(server);
    // A slow store delays each op by a random amount, so ops of different agents also reorder.
    const delay = (slow && slow.until > Date.now() ? slow.ms * this.o.random() : 0) + this.linkDelay();
    const back = this.linkDelay();
    const reply = (delay > 0 ? sleep(delay) : Promise.resolve()).then(() => store.apply(req));
    reply.then(
      async (r: ServerReply) => {
        if (back > 0) await sleep(back);
        if (Date.now() > deadline) return;
        this.step((ctx) => this.o.agent.onReply(this.state, server, r, ctx));
      },
      // A store that failed (down, connection broken) gives no answer: outcome unknown.
      () => undefined,
    );
  }
}
