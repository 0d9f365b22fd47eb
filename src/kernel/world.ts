import type { Event, FaultBudget, FaultsUsed } from './events.js';
import { noFaultsUsed } from './events.js';
import { applyOp, emptyServer, faultsFor } from './servers.js';
import type {
  AgentBehaviour,
  Context,
  DurableStore,
  Json,
  NodeId,
  OpFault,
  Packet,
  PendingWrite,
  ServerData,
  ServerRequest,
  System,
  TimerEntry,
  Value,
} from './types.js';

export interface AgentSlot {
  readonly up: boolean;
  /** null while crashed. */
  readonly state: unknown;
  readonly durable: DurableStore;
  readonly incarnation: number;
}

export interface ServerSlot {
  readonly up: boolean;
  readonly data: ServerData;
}

/** One immutable snapshot; a step returns a new World sharing every part it did not change. */
export interface World {
  readonly agents: readonly AgentSlot[];
  readonly servers: readonly ServerSlot[];
  readonly net: readonly Packet[];
  readonly timers: readonly TimerEntry[];
  readonly writes: readonly PendingWrite[];
  /** Group of each node while a partition is in force. */
  readonly partition: readonly number[] | null;
  /** Workload entries not yet submitted. */
  readonly pending: readonly number[];
  readonly nextSeq: number;
  readonly used: FaultsUsed;
}

export interface Decision {
  readonly node: NodeId;
  readonly slot: number;
  readonly value: Value;
}

export interface HandlerError {
  readonly node: NodeId;
  readonly message: string;
}

/** What one step did, for properties, coverage and the trace. */
export interface Effects {
  /** The node whose handler ran or whose state changed (agent or server), if any. */
  readonly node: NodeId | null;
  readonly sent: readonly Packet[];
  readonly timersSet: readonly TimerEntry[];
  readonly writesStarted: readonly PendingWrite[];
  readonly decisions: readonly Decision[];
  readonly covers: readonly string[];
  readonly error: HandlerError | null;
  /** A delivery that found its target down or cut off: the packet is gone. */
  readonly lost: boolean;
}

const noEffects: Effects = {
  node: null,
  sent: [],
  timersSet: [],
  writesStarted: [],
  decisions: [],
  covers: [],
  error: null,
  lost: false,
};

export function isServer(sys: System, n: NodeId): boolean {
  return n >= sys.agents.length;
}

/** Collects a handler's effects; turned into a new world after the handler returns. */
class Draft implements Context {
  sent: Packet[] = [];
  timersSet: TimerEntry[] = [];
  cancelled: string[] = [];
  writesStarted: PendingWrite[] = [];
  decisions: Decision[] = [];
  covers: string[] = [];
  constructor(
    readonly self: NodeId,
    readonly incarnation: number,
    private seq: number,
  ) {}
  get nextSeq(): number {
    return this.seq;
  }
  send(to: NodeId, msg: Json): void {
    this.sent.push({ seq: this.seq++, from: this.self, to, body: { kind: 'msg', msg } });
  }
  op(server: NodeId, req: ServerRequest): void {
    this.sent.push({ seq: this.seq++, from: this.self, to: server, body: { kind: 'op', req, inc: this.incarnation } });
  }
  setTimer(name: string, after: number, jitter = 0): void {
    this.timersSet = this.timersSet.filter((t) => t.name !== name);
    this.timersSet.push({ seq: this.seq++, node: this.self, name, after, jitter });
    this.cancelled.push(name);
  }
  cancelTimer(name: string): void {
    this.timersSet = this.timersSet.filter((t) => t.name !== name);
    this.cancelled.push(name);
  }
  write(key: string, value: Json): void {
    this.writesStarted.push({ seq: this.seq++, node: this.self, key, value });
  }
  decide(slot: number, value: Value): void {
    this.decisions.push({ node: this.self, slot, value });
  }
  cover(label: string): void {
    this.covers.push(label);
  }
}

function replaceAt<T>(xs: readonly T[], i: number, x: T): readonly T[] {
  const out = xs.slice();
  out[i] = x;
  return out;
}

function withoutSeq<T extends { readonly seq: number }>(xs: readonly T[], seq: number): readonly T[] {
  const i = xs.findIndex((x) => x.seq === seq);
  if (i < 0) return xs;
  return xs.slice(0, i).concat(xs.slice(i + 1));
}

function bump(used: FaultsUsed, key: keyof FaultsUsed): FaultsUsed {
  return { ...used, [key]: used[key] + 1 };
}

/**
 * Runs one handler of agent `node` and folds its effects into the world. A handler that throws
 * leaves the node as it was and reports the error; the checker turns it into a violation.
 */
function runHandler(
  w: World,
  node: NodeId,
  run: (b: AgentBehaviour, s: unknown, ctx: Context) => unknown,
  sys: System,
  base: { readonly net: readonly Packet[]; readonly timers: readonly TimerEntry[] },
): { world: World; fx: Effects } {
  const slot = w.agents[node] as AgentSlot;
  const behaviour = sys.agents[node] as AgentBehaviour;
  const draft = new Draft(node, slot.incarnation, w.nextSeq);
  let state: unknown;
  try {
    state = run(behaviour, slot.state, draft);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      world: { ...w, net: base.net, timers: base.timers },
      fx: { ...noEffects, node, error: { node, message } },
    };
  }
  let timers = base.timers;
  if (draft.cancelled.length > 0) {
    const gone = new Set(draft.cancelled);
    timers = timers.filter((t) => t.node !== node || !gone.has(t.name));
  }
  if (draft.timersSet.length > 0) timers = timers.concat(draft.timersSet);
  const world: World = {
    ...w,
    agents: replaceAt(w.agents, node, { ...slot, state }),
    net: draft.sent.length > 0 ? base.net.concat(draft.sent) : base.net,
    timers,
    writes: draft.writesStarted.length > 0 ? w.writes.concat(draft.writesStarted) : w.writes,
    nextSeq: draft.nextSeq,
  };
  return {
    world,
    fx: {
      node,
      sent: draft.sent,
      timersSet: draft.timersSet,
      writesStarted: draft.writesStarted,
      decisions: draft.decisions,
      covers: draft.covers,
      error: null,
      lost: false,
    },
  };
}

export function initWorld(sys: System): { world: World; fx: Effects[] } {
  const n = sys.agents.length;
  let world: World = {
    agents: sys.agents.map(() => ({ up: true, state: null, durable: {}, incarnation: 0 })),
    servers: sys.servers.map((s) => ({ up: true, data: emptyServer(s.kind) })),
    net: [],
    timers: [],
    writes: [],
    partition: null,
    pending: sys.workload.map((_, i) => i),
    nextSeq: 1,
    used: noFaultsUsed,
  };
  const fx: Effects[] = [];
  for (let i = 0; i < n; i++) {
    const r = runHandler(world, i, (b, _s, ctx) => b.init(ctx), sys, world);
    world = r.world;
    fx.push(r.fx);
  }
  return { world, fx };
}

function cutOff(w: World, a: NodeId, b: NodeId): boolean {
  return w.partition !== null && w.partition[a] !== w.partition[b];
}

function nodeUp(w: World, sys: System, n: NodeId): boolean {
  return isServer(sys, n) ? (w.servers[n - sys.agents.length]?.up ?? false) : (w.agents[n]?.up ?? false);
}

/** A packet arrives: a request is served; a message or a reply runs the receiver's handler. */
function deliver(sys: System, w: World, seq: number, fault: OpFault | undefined): { world: World; fx: Effects } {
  const p = w.net.find((x) => x.seq === seq);
  if (!p) throw new Error(`no packet #${seq} in flight`);
  const net = withoutSeq(w.net, seq);
  if (!nodeUp(w, sys, p.to) || cutOff(w, p.from, p.to)) {
    return { world: { ...w, net }, fx: { ...noEffects, node: p.to, lost: true } };
  }
  const body = p.body;
  if (body.kind === 'op') return serve(sys, { ...w, net }, p, body, fault);
  const from = p.from;
  if (body.kind === 'msg') {
    const msg = body.msg;
    return runHandler(w, p.to, (b, s, ctx) => b.onMessage(s, from, msg, ctx), sys, { net, timers: w.timers });
  }
  // A reply answers a request of one incarnation: like a reply on a connection that died with
  // the crash, it never reaches the restarted node, which could not tell it from its own.
  if ((w.agents[p.to] as AgentSlot).incarnation !== body.inc) {
    return { world: { ...w, net }, fx: { ...noEffects, node: p.to, lost: true } };
  }
  const reply = body.reply;
  return runHandler(w, p.to, (b, s, ctx) => b.onReply(s, from, reply, ctx), sys, { net, timers: w.timers });
}

/** A passive server applies a request (`w.net` already without it) and sends the reply back. */
function serve(sys: System, w: World, p: Packet, body: Extract<Packet['body'], { kind: 'op' }>, fault: OpFault | undefined): { world: World; fx: Effects } {
  const si = p.to - sys.agents.length;
  const server = w.servers[si] as ServerSlot;
  const { data, reply } = applyOp(server.data, body.req, fault);
  const back: Packet = { seq: w.nextSeq, from: p.to, to: p.from, body: { kind: 'reply', reply, inc: body.inc } };
  return {
    world: {
      ...w,
      servers: data === server.data ? w.servers : replaceAt(w.servers, si, { ...server, data }),
      net: w.net.concat([back]),
      nextSeq: w.nextSeq + 1,
      used: fault ? bump(w.used, 'storage') : w.used,
    },
    fx: { ...noEffects, node: p.to, sent: [back] },
  };
}

/** An agent stops: its volatile state, timers and unfinished writes are gone. */
function crash(w: World, node: NodeId): { world: World; fx: Effects } {
  const slot = w.agents[node];
  if (!slot?.up) throw new Error(`n${node} is not up`);
  return {
    world: {
      ...w,
      agents: replaceAt(w.agents, node, { ...slot, up: false, state: null }),
      timers: w.timers.filter((t) => t.node !== node),
      writes: w.writes.filter((x) => x.node !== node),
      used: bump(w.used, 'crashes'),
    },
    fx: { ...noEffects, node },
  };
}

/** A passive server goes down (its data kept) or comes back. */
function serverUpDown(sys: System, w: World, node: NodeId, up: boolean): { world: World; fx: Effects } {
  const si = node - sys.agents.length;
  const server = w.servers[si];
  if (!server) throw new Error(`n${node} is not a server`);
  return {
    world: { ...w, servers: replaceAt(w.servers, si, { ...server, up }), used: up ? w.used : bump(w.used, 'downs') },
    fx: { ...noEffects, node },
  };
}

/** Applies one event. Throws only on an event that is not enabled (a corrupt choice sequence). */
export function step(sys: System, w: World, e: Event): { world: World; fx: Effects } {
  switch (e.k) {
    case 'deliver':
      return deliver(sys, w, e.seq, e.fault);
    case 'drop': {
      if (!w.net.some((x) => x.seq === e.seq)) throw new Error(`no packet #${e.seq} to drop`);
      return { world: { ...w, net: withoutSeq(w.net, e.seq), used: bump(w.used, 'drops') }, fx: noEffects };
    }
    case 'dup': {
      const p = w.net.find((x) => x.seq === e.seq);
      if (!p) throw new Error(`no packet #${e.seq} to duplicate`);
      const copy: Packet = { ...p, seq: w.nextSeq };
      return {
        world: { ...w, net: w.net.concat([copy]), nextSeq: w.nextSeq + 1, used: bump(w.used, 'dups') },
        fx: { ...noEffects, sent: [copy] },
      };
    }
    case 'timer': {
      const t = w.timers.find((x) => x.seq === e.seq);
      if (!t) throw new Error(`no timer #${e.seq}`);
      const timers = withoutSeq(w.timers, e.seq);
      const name = t.name;
      return runHandler(w, t.node, (b, s, ctx) => b.onTimer(s, name, ctx), sys, { net: w.net, timers });
    }
    case 'write': {
      const wr = w.writes.find((x) => x.seq === e.seq);
      if (!wr) throw new Error(`no pending write #${e.seq}`);
      const slot = w.agents[wr.node] as AgentSlot;
      const durable = { ...slot.durable, [wr.key]: wr.value };
      const w2: World = {
        ...w,
        writes: withoutSeq(w.writes, e.seq),
        agents: replaceAt(w.agents, wr.node, { ...slot, durable }),
      };
      const key = wr.key;
      return runHandler(w2, wr.node, (b, s, ctx) => b.onWriteDone(s, key, ctx), sys, w2);
    }
    case 'crash':
      return crash(w, e.node);
    case 'restart': {
      const slot = w.agents[e.node];
      if (!slot || slot.up) throw new Error(`n${e.node} is not down`);
      const w2: World = {
        ...w,
        agents: replaceAt(w.agents, e.node, { ...slot, up: true, incarnation: slot.incarnation + 1 }),
      };
      const durable = slot.durable;
      return runHandler(w2, e.node, (b, _s, ctx) => b.recover(durable, ctx), sys, w2);
    }
    case 'submit': {
      const sub = sys.workload[e.idx];
      if (!sub || !w.pending.includes(e.idx)) throw new Error(`submission ${e.idx} is not pending`);
      const w2: World = { ...w, pending: w.pending.filter((i) => i !== e.idx) };
      const value = sub.value;
      return runHandler(w2, sub.node, (b, s, ctx) => b.onSubmit(s, value, ctx), sys, w2);
    }
    case 'down':
    case 'up':
      return serverUpDown(sys, w, e.node, e.k === 'up');
    case 'partition':
      return { world: { ...w, partition: e.groups, used: bump(w.used, 'partitions') }, fx: noEffects };
    case 'heal':
      return { world: { ...w, partition: null }, fx: noEffects };
  }
}

/** The first pending write of each node: durable writes of one node complete in order. */
export function completableWrites(w: World): readonly PendingWrite[] {
  const seen = new Set<NodeId>();
  const out: PendingWrite[] = [];
  for (const x of w.writes) {
    if (seen.has(x.node)) continue;
    seen.add(x.node);
    out.push(x);
  }
  return out;
}

export interface EnumerateOptions {
  readonly budget: FaultBudget;
  /** Restarts are always allowed for crashed agents; servers may go down only within budget. */
  readonly partitionShapes?: readonly (readonly number[])[];
}

/** The choice point: every event enabled in `w`, in a canonical order. */
export function enabled(sys: System, w: World, opts: EnumerateOptions): Event[] {
  const out: Event[] = [];
  const b = opts.budget;
  const u = w.used;
  for (const idx of w.pending) {
    const sub = sys.workload[idx];
    if (sub && w.agents[sub.node]?.up) out.push({ k: 'submit', idx });
  }
  const storageLeft = (b.storage ?? 0) > u.storage;
  for (const p of w.net) {
    out.push({ k: 'deliver', seq: p.seq });
    if (storageLeft && p.body.kind === 'op' && nodeUp(w, sys, p.to) && !cutOff(w, p.from, p.to)) {
      const server = w.servers[p.to - sys.agents.length] as ServerSlot;
      for (const fault of faultsFor(server.data.kind, p.body.req, server.data)) {
        out.push({ k: 'deliver', seq: p.seq, fault });
      }
    }
  }
  for (const t of w.timers) out.push({ k: 'timer', seq: t.seq });
  for (const x of completableWrites(w)) out.push({ k: 'write', seq: x.seq });
  if ((b.drops ?? 0) > u.drops) for (const p of w.net) out.push({ k: 'drop', seq: p.seq });
  if ((b.dups ?? 0) > u.dups) for (const p of w.net) out.push({ k: 'dup', seq: p.seq });
  const crashesLeft = (b.crashes ?? 0) > u.crashes;
  w.agents.forEach((a, node) => {
    if (a.up && crashesLeft) out.push({ k: 'crash', node });
    if (!a.up) out.push({ k: 'restart', node });
  });
  const downsLeft = (b.downs ?? 0) > u.downs;
  w.servers.forEach((s, i) => {
    const node = sys.agents.length + i;
    if (s.up && downsLeft) out.push({ k: 'down', node });
    if (!s.up) out.push({ k: 'up', node });
  });
  if (w.partition !== null) out.push({ k: 'heal' });
  else if ((b.partitions ?? 0) > u.partitions) {
    for (const groups of opts.partitionShapes ?? []) out.push({ k: 'partition', groups });
  }
  return out;
}

export type { OpFault };
