import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentBehaviour, Context, ServerReply, ServerRequest } from '../src/kernel/types.js';
import { nextIncarnation, readDecisions, readDurable, writeDurable } from '../src/runtime/agent/durable.js';
import { AgentHost } from '../src/runtime/agent/host.js';
import { startAgentNode } from '../src/runtime/agent/node.js';
import type { Store } from '../src/runtime/stores/store.js';
import { Replica, getCommand, putCommand } from '../src/runtime/replica.js';

// The runtime host in-process: durable files, effects after the handler, real timers, op
// timeouts, recovery from the data directory, and a real agent deciding over dir stores.

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'paxcheck-host-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A behaviour that records what it is handed; its state is the list of events seen. */
function recorder(onInit: (ctx: Context) => void): AgentBehaviour<string[]> {
  return {
    role: 'test',
    init: (ctx) => (onInit(ctx), ['init']),
    recover: (d) => ['recover ' + JSON.stringify(d)],
    onMessage: (s) => s,
    onTimer: (s, name) => [...s, `timer ${name}`],
    onWriteDone: (s, key) => [...s, `written ${key}`],
    onReply: (s, server, r) => [...s, `reply ${server} ${r.op} ${r.tag}`],
    onSubmit: (s, v, ctx) => (ctx.write('cmds', [v]), [...s, `submit ${v}`]),
    view: () => ({}),
  };
}

/** A store that answers get after `delay` ms (never, if null). */
function slowStore(delay: number | null, seen: ServerRequest[]): Store {
  return {
    kind: 'kv',
    apply(req) {
      seen.push(req);
      const reply: ServerReply = { op: 'get', tag: req.tag, key: req.key, value: null, version: 0 };
      return delay === null ? new Promise(() => undefined) : sleep(delay).then(() => reply);
    },
    close: () => Promise.resolve(),
  };
}

describe('durable storage of an agent', () => {
  it('writes atomically, reads back, and counts incarnations', async () => {
    const d = tmp();
    expect(nextIncarnation(d)).toEqual({ inc: 0, fresh: true });
    expect(nextIncarnation(d)).toEqual({ inc: 1, fresh: false });
    await writeDurable(d, 'cmds', ['a'], 1);
    await writeDurable(d, 'cmds', ['a', 'b'], 2);
    await writeDurable(d, 'odd/key', { x: 1 }, 3);
    expect(readDurable(d)).toEqual({ cmds: ['a', 'b'], 'odd/key': { x: 1 } });
    expect(readdirSync(d).filter((f) => f.startsWith('.tmp'))).toEqual([]);
  });
});

describe('AgentHost', () => {
  it('applies effects only after the handler returns, and runs real timers and writes', async () => {
    const d = tmp();
    const seen: ServerRequest[] = [];
    let duringHandler = -1;
    const agent = recorder((ctx) => {
      ctx.op(1, { op: 'get', tag: 7, key: 'k' });
      ctx.setTimer('t', 10);
      duringHandler = seen.length; // the op must not have reached the store yet
    });
    const host = new AgentHost({ agent, self: 0, dataDir: d, stores: new Map([[1, slowStore(5, seen)]]), unitMs: 1, opTimeoutMs: 1000, random: () => 0 });
    host.start();
    expect(duringHandler).toBe(0);
    await sleep(1);
    expect(seen).toHaveLength(1);
    host.submit('v1');
    await sleep(100);
    const state = (host as unknown as { state: string[] }).state;
    expect(state).toEqual(expect.arrayContaining(['init', 'submit v1', 'reply 1 get 7', 'timer t', 'written cmds']));
    host.close();
    expect(readDurable(d)).toEqual({ cmds: ['v1'] });
  });

  it('never delivers a reply that missed its deadline', async () => {
    const seen: ServerRequest[] = [];
    const agent = recorder((ctx) => ctx.op(1, { op: 'get', tag: 1, key: 'k' }));
    const host = new AgentHost({ agent, self: 0, dataDir: tmp(), stores: new Map([[1, slowStore(80, seen)]]), unitMs: 1, opTimeoutMs: 20, random: () => 0 });
    host.start();
    await sleep(150);
    expect(seen).toHaveLength(1);
    expect((host as unknown as { state: string[] }).state).toEqual(['init']);
    host.close();
  });

  it('recovers from the data directory on restart, with a new incarnation', async () => {
    const d = tmp();
    const agent = recorder(() => undefined);
    const first = new AgentHost({ agent, self: 0, dataDir: d, stores: new Map(), unitMs: 1, opTimeoutMs: 100, random: () => 0 });
    first.start();
    first.submit('x');
    await sleep(50);
    first.close();
    const second = new AgentHost({ agent, self: 0, dataDir: d, stores: new Map(), unitMs: 1, opTimeoutMs: 100, random: () => 0 });
    second.start();
    expect(second.incarnation).toBe(1);
    expect((second as unknown as { state: string[] }).state).toEqual(['recover {"cmds":["x"]}']);
    second.close();
  });
});

describe('a passive agent in the runtime', () => {
  it.each(['cas', 'list', 'register'])('%s: decides, acknowledges reads and writes, and re-learns the same log after a restart', async (service) => {
    const root = tmp();
    const stores = [0, 1, 2].map((i) => `dir:${join(root, `s${i}`)}`);
    const cfg = { service, agents: 2, self: 0, dataDir: join(root, 'a0'), stores, unitMs: 0.25, opTimeoutMs: 500, seed: 1 };
    const acks: { id: number; slot: number; result: string | null }[] = [];
    const node = await startAgentNode(cfg, { onAck: (id, a) => acks.push({ id, slot: a.slot, result: a.result }) });
    node.submit(1, putCommand('w1', 'k', 'one'));
    node.submit(2, getCommand('r2', 'k'));
    node.submit(3, putCommand('w3', 'k', 'three'));
    for (let i = 0; i < 200 && acks.length < 3; i++) await sleep(20);
    await node.close();
    expect(acks.map((a) => a.id).sort()).toEqual([1, 2, 3]);
    const read = acks.find((a) => a.id === 2);
    const w1 = acks.find((a) => a.id === 1);
    expect(read?.result).toBe(w1 && read && w1.slot < read.slot ? 'one' : null);
    // A restart recovers the commands from the data directory and re-learns every slot.
    const again = await startAgentNode(cfg);
    for (let i = 0; i < 200 && again.replica.applied < 3; i++) await sleep(20);
    await again.close();
    const log = readDecisions(cfg.dataDir);
    const bySlot = new Map<number, Set<string>>();
    for (const r of log) bySlot.set(r.slot, (bySlot.get(r.slot) ?? new Set()).add(r.value));
    expect([...bySlot.values()].every((s) => s.size === 1)).toBe(true);
    expect(log.some((r) => r.inc === 1)).toBe(true);
    expect(existsSync(join(cfg.dataDir, 'incarnation'))).toBe(true);
  });
});

describe('Replica', () => {
  it('applies in slot order and answers reads at their place in the log', () => {
    const r = new Replica();
    expect(r.decide(1, getCommand('r', 'k'))).toEqual([]);
    const out = r.decide(0, putCommand('w', 'k', 'v'));
    expect(out).toEqual([
      { slot: 0, value: 'w:k=v', result: null },
      { slot: 1, value: 'r:?k', result: 'v' },
    ]);
  });
});
