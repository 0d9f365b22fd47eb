import { describe, expect, it } from 'vitest';
import type { Event } from '../src/kernel/events.js';
import { fingerprint } from '../src/kernel/fingerprint.js';
import { hashValue, hex64, Hasher } from '../src/kernel/hash.js';
import { RngStreams } from '../src/kernel/rng.js';
import { applyOp, emptyServer } from '../src/kernel/servers.js';
import type { AgentBehaviour, Json, System } from '../src/kernel/types.js';
import { asAgent } from '../src/kernel/types.js';
import { enabled, initWorld, step } from '../src/kernel/world.js';
import type { World } from '../src/kernel/world.js';

/** A counter node: counts pings, persists the count, pongs back after the write is durable. */
interface Counter {
  readonly count: number;
  readonly durableCount: number;
  readonly owed: readonly number[];
}
type Msg = { readonly t: 'ping' } | { readonly t: 'pong'; readonly n: number };

const counter: AgentBehaviour<Counter, Msg> = {
  role: 'counter',
  init: (ctx) => {
    if (ctx.self === 0) ctx.send(1, { t: 'ping' });
    ctx.setTimer('tick', 10);
    return { count: 0, durableCount: 0, owed: [] };
  },
  onMessage: (s, from, msg, ctx) => {
    if (msg.t === 'ping') {
      ctx.write('count', s.count + 1);
      return { ...s, count: s.count + 1, owed: [...s.owed, from] };
    }
    ctx.decide(msg.n - 1, `c${msg.n}`);
    return s;
  },
  onTimer: (s, _name, ctx) => {
    ctx.cover('counter.tick');
    return s;
  },
  onWriteDone: (s, _key, ctx) => {
    const [to, ...rest] = s.owed;
    if (to !== undefined) ctx.send(to, { t: 'pong', n: s.count });
    return { ...s, durableCount: s.count, owed: rest };
  },
  onReply: (s) => s,
  onSubmit: (s, _v, ctx) => {
    ctx.send(1, { t: 'ping' });
    return s;
  },
  recover: (durable) => {
    const c = typeof durable['count'] === 'number' ? durable['count'] : 0;
    return { count: c, durableCount: c, owed: [] };
  },
  view: (s) => ({ promised: s.durableCount }),
};

const sys: System = {
  protocol: 'counter',
  agents: [asAgent(counter), asAgent(counter)],
  servers: [{ kind: 'list' }],
  workload: [{ node: 0, value: 'c1' }],
  acceptors: [1],
  replicas: [],
  slots: 1,
};

function first(w: World, k: Event['k']): Event {
  const e = enabled(sys, w, { budget: { crashes: 1, drops: 1, dups: 1, partitions: 1, downs: 1 }, partitionShapes: [[0, 1, 1]] }).find((x) => x.k === k);
  if (!e) throw new Error(`no ${k} enabled`);
  return e;
}

describe('kernel', () => {
  it('runs init handlers and enumerates the choice point canonically', () => {
    const { world } = initWorld(sys);
    expect(world.net).toHaveLength(1);
    expect(world.timers).toHaveLength(2);
    const evs = enabled(sys, world, { budget: {} });
    expect(evs.map((e) => e.k)).toEqual(['submit', 'deliver', 'timer', 'timer', 'restart'].filter((k) => k !== 'restart'));
    const withFaults = enabled(sys, world, { budget: { crashes: 1, drops: 1, dups: 1 } });
    expect(withFaults.filter((e) => e.k === 'crash')).toHaveLength(2);
    expect(withFaults.filter((e) => e.k === 'drop')).toHaveLength(1);
  });

  it('completes durable writes in order and replies only after', () => {
    let { world } = initWorld(sys);
    world = step(sys, world, first(world, 'deliver')).world;
    expect(world.writes).toHaveLength(1);
    expect(world.net).toHaveLength(0);
    const r = step(sys, world, first(world, 'write'));
    expect(r.world.agents[1]?.durable).toEqual({ count: 1 });
    expect(r.fx.sent).toHaveLength(1);
    const d = step(sys, r.world, first(r.world, 'deliver'));
    expect(d.fx.decisions).toEqual([{ node: 0, slot: 0, value: 'c1' }]);
  });

  it('a crash loses volatile state, timers and unfinished writes; restart recovers from durable state', () => {
    let { world } = initWorld(sys);
    world = step(sys, world, first(world, 'deliver')).world;
    world = step(sys, world, { k: 'crash', node: 1 }).world;
    expect(world.agents[1]?.up).toBe(false);
    expect(world.writes).toHaveLength(0);
    expect(world.timers.filter((t) => t.node === 1)).toHaveLength(0);
    world = step(sys, world, { k: 'restart', node: 1 }).world;
    expect(world.agents[1]?.state).toEqual({ count: 0, durableCount: 0, owed: [] });
    expect(world.agents[1]?.incarnation).toBe(1);
  });

  it('loses deliveries to down nodes and across a partition', () => {
    let { world } = initWorld(sys);
    world = step(sys, world, { k: 'partition', groups: [0, 1, 1] }).world;
    const r = step(sys, world, first(world, 'deliver'));
    expect(r.fx.lost).toBe(true);
    expect(r.world.writes).toHaveLength(0);
    const healed = step(sys, r.world, { k: 'heal' }).world;
    expect(healed.partition).toBeNull();
  });

  it('duplicates and drops packets within budget', () => {
    let { world } = initWorld(sys);
    world = step(sys, world, first(world, 'dup')).world;
    expect(world.net).toHaveLength(2);
    expect(world.used.dups).toBe(1);
    expect(enabled(sys, world, { budget: { dups: 1 } }).some((e) => e.k === 'dup')).toBe(false);
    world = step(sys, world, first(world, 'drop')).world;
    expect(world.net).toHaveLength(1);
  });

  it('keeps the world immutable: an earlier world can be branched from', () => {
    const { world } = initWorld(sys);
    const before = JSON.stringify(world);
    step(sys, world, first(world, 'deliver'));
    step(sys, world, { k: 'crash', node: 0 });
    expect(JSON.stringify(world)).toBe(before);
  });

  it('fingerprints ignore sequence numbers so commuting paths meet', () => {
    const { world } = initWorld(sys);
    const [t1, t2] = world.timers;
    if (!t1 || !t2) throw new Error('timers');
    const a = step(sys, step(sys, world, { k: 'timer', seq: t1.seq }).world, { k: 'timer', seq: t2.seq }).world;
    const b = step(sys, step(sys, world, { k: 'timer', seq: t2.seq }).world, { k: 'timer', seq: t1.seq }).world;
    expect(hex64(fingerprint(a))).toBe(hex64(fingerprint(b)));
    expect(hex64(fingerprint(a))).not.toBe(hex64(fingerprint(world)));
  });

  it('reports a throwing handler as an error effect instead of crashing', () => {
    const bad: System = { ...sys, agents: [asAgent({ ...counter, onSubmit: () => { throw new Error('boom'); } }), asAgent(counter)] };
    const { world } = initWorld(bad);
    const r = step(bad, world, { k: 'submit', idx: 0 });
    expect(r.fx.error).toEqual({ node: 0, message: 'boom' });
  });
});

describe('passive servers', () => {
  it('list: append, read from offset, stale and gapped listings, lost and phantom appends', () => {
    let d = emptyServer('list');
    for (const rec of ['a', 'b', 'c', 'd'] as Json[]) d = applyOp(d, { op: 'append', tag: 1, key: 'l', record: rec }).data;
    const full = applyOp(d, { op: 'read', tag: 2, key: 'l', from: 1 }).reply;
    expect(full).toMatchObject({ entries: [[1, 'b'], [2, 'c'], [3, 'd']], length: 4 });
    const stale = applyOp(d, { op: 'read', tag: 2, key: 'l', from: 0 }, 'stale-listing').reply;
    expect(stale).toMatchObject({ entries: [[0, 'a'], [1, 'b']], length: 2 });
    const gapped = applyOp(d, { op: 'read', tag: 2, key: 'l', from: 0 }, 'gapped-listing').reply;
    expect(gapped).toMatchObject({ entries: [[0, 'a'], [1, 'b'], [3, 'd']], length: 4 });
    const lost = applyOp(d, { op: 'append', tag: 3, key: 'l', record: 'e' }, 'lost-append');
    expect(lost.data).toBe(d);
    expect(lost.reply).toMatchObject({ ok: false });
    const phantom = applyOp(d, { op: 'append', tag: 3, key: 'l', record: 'e' }, 'phantom-append');
    expect(phantom.reply).toMatchObject({ ok: false, index: 4 });
    expect(phantom.data.store['l']).toHaveLength(5);
  });

  it('cas: conditional put succeeds only at the version read; kv: torn writes mix blocks', () => {
    let d = emptyServer('cas');
    const put = applyOp(d, { op: 'cas', tag: 1, key: 'r', version: 0, value: { p: 1 } });
    expect(put.reply).toMatchObject({ ok: true, version: 1 });
    d = put.data;
    expect(applyOp(d, { op: 'cas', tag: 2, key: 'r', version: 0, value: { p: 2 } }).reply).toMatchObject({ ok: false, version: 1 });
    expect(applyOp(d, { op: 'cas', tag: 2, key: 'r', version: 1, value: { p: 2 } }, 'cas-conflict').reply).toMatchObject({ ok: false });
    let kv = emptyServer('kv');
    kv = applyOp(kv, { op: 'put', tag: 1, key: 'b', value: { bal: 1, inp: 'x', mbal: 1 } }).data;
    kv = applyOp(kv, { op: 'put', tag: 1, key: 'b', value: { bal: 2, inp: 'y', mbal: 2 } }, 'torn-write').data;
    expect(kv.store['b']).toEqual({ bal: 2, inp: 'x', mbal: 1 });
  });
});

describe('hashing and seeded streams', () => {
  it('hashes structurally with sorted keys', () => {
    expect(hex64(hashValue({ a: 1, b: [1, 'x'] }))).toBe(hex64(hashValue({ b: [1, 'x'], a: 1 })));
    expect(hex64(hashValue({ a: 1 }))).not.toBe(hex64(hashValue({ a: 2 })));
    expect(hex64(new Hasher().str('ab').digest())).not.toBe(hex64(new Hasher().str('ba').digest()));
  });

  it('named child streams are independent and reproducible', () => {
    const a = new RngStreams(7);
    const b = new RngStreams(7);
    const xs = [a.get('network').next(), a.get('network').next()];
    b.get('faults').next();
    expect([b.get('network').next(), b.get('network').next()]).toEqual(xs);
    expect(new RngStreams(8).get('network').next()).not.toBe(xs[0]);
  });
  it('a reply addressed to an earlier incarnation of its requester is lost', () => {
    const asker: AgentBehaviour<{ readonly replies: number }, Json> = {
      role: 'asker',
      init: (ctx) => {
        ctx.op(1, { op: 'append', tag: 1, key: 'log', record: 'x' });
        return { replies: 0 };
      },
      onMessage: (s) => s,
      onTimer: (s) => s,
      onWriteDone: (s) => s,
      onReply: (s) => ({ replies: s.replies + 1 }),
      onSubmit: (s) => s,
      recover: () => ({ replies: 0 }),
      view: () => ({}),
    };
    const one: System = { protocol: 'asker', agents: [asAgent(asker)], servers: [{ kind: 'list' }], workload: [], acceptors: [], replicas: [], slots: 0 };
    const { world: w0 } = initWorld(one);
    const op = w0.net[0];
    if (!op) throw new Error('no op sent');
    const served = step(one, w0, { k: 'deliver', seq: op.seq }).world;
    const reply = served.net[0];
    if (!reply) throw new Error('no reply');
    // The same incarnation hears its reply.
    const heard = step(one, served, { k: 'deliver', seq: reply.seq });
    expect(heard.fx.lost).toBe(false);
    expect(heard.world.agents[0]?.state).toEqual({ replies: 1 });
    // After a crash and restart the reply is gone, although the append was applied.
    const restarted = step(one, step(one, served, { k: 'crash', node: 0 }).world, { k: 'restart', node: 0 }).world;
    const late = step(one, restarted, { k: 'deliver', seq: reply.seq });
    expect(late.fx.lost).toBe(true);
    expect(late.world.agents[0]?.state).toEqual({ replies: 0 });
    expect(late.world.servers[0]?.data.store['log']).toEqual(['x']);
  });
});
