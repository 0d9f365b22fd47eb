import { describe, expect, it } from 'vitest';
import type { ServerData } from '../src/kernel/types.js';
import type { World } from '../src/kernel/world.js';
import { defaultTopology } from '../src/protocols/family.js';
import type { Topology } from '../src/protocols/family.js';
import { decodeBlock, encodeBlock } from '../src/protocols/disk/block.js';
import { diskFamily, diskInvariants } from '../src/protocols/disk/index.js';
import { ballotAbove } from '../src/protocols/disk/processor.js';
import { allDecidedAlike, seeded, timersLast, walk } from './storage-harness.js';

const topo = (over: Partial<Topology> = {}): Topology => ({ ...defaultTopology, ...over });

const disk = (entries: Record<string, [value: ReturnType<typeof encodeBlock>, version: number]>): ServerData => ({
  kind: 'kv',
  store: Object.fromEntries(Object.entries(entries).map(([k, [v]]) => [k, v])),
  versions: Object.fromEntries(Object.entries(entries).map(([k, [, n]]) => [k, n])),
});

describe('Disk Paxos family', () => {
  it('lists its five mutants and rejects unknown ones', () => {
    expect(diskFamily.name).toBe('disk');
    expect(diskFamily.services).toBeUndefined();
    expect(diskFamily.mutants.map((m) => m.name)).toEqual([
      'read-before-write',
      'minority-disks',
      'no-recovery-phase',
      'new-ballot-drops-vote',
      'ignore-own-block',
    ]);
    for (const m of diskFamily.mutants) {
      expect(m.protocol).toBe('disk');
      expect(() => diskFamily.build({ topology: defaultTopology, mutant: m.name })).not.toThrow();
    }
    expect(() => diskFamily.build({ topology: defaultTopology, mutant: 'nope' })).toThrow(/unknown mutant/);
  });

  it('lays out processors, then disks as passive key-value servers', () => {
    const sys = diskFamily.build({ topology: topo({ proposers: 3, servers: 5, commands: 4 }) });
    expect(sys.agents.map((a) => a.role)).toEqual(['processor', 'processor', 'processor']);
    expect(sys.servers).toEqual(Array.from({ length: 5 }, () => ({ kind: 'kv' })));
    expect(sys.acceptors).toEqual([3, 4, 5, 6, 7]);
    expect(sys.replicas).toEqual([0, 1, 2]);
    expect(sys.slots).toBe(4);
    expect(sys.workload.map((s) => s.node)).toEqual([0, 1, 2, 0]);
  });

  it('gives each processor disjoint ballots above any seen', () => {
    expect([0, 1, 2, 3].map((m) => ballotAbove(m, 0, 2))).toEqual([1, 3, 3, 5]);
    expect([0, 1, 2, 3].map((m) => ballotAbove(m, 1, 2))).toEqual([2, 2, 4, 4]);
  });

  it('fences blocks: a record landing out of turn or torn is unreadable', () => {
    const b = { mbal: 3, bal: 3, inp: 'x' };
    expect(decodeBlock(null, 0)).toEqual({ block: { mbal: 0, bal: 0, inp: null }, done: null, valid: true });
    expect(decodeBlock(encodeBlock(b, null, 4), 4).valid).toBe(true);
    expect(decodeBlock(encodeBlock(b, null, 4), 5).valid).toBe(false);
    // A torn write keeps the old v: {...old, bal: new.bal}.
    const torn = { ...(encodeBlock({ mbal: 3, bal: 0, inp: null }, null, 4) as object), bal: 3 };
    expect(decodeBlock(torn, 5).valid).toBe(false);
    // A decision is trusted even when fenced: nothing but its owner's decision writes `done`.
    expect(decodeBlock(encodeBlock(b, 'x', 2), 3)).toMatchObject({ done: 'x', valid: false });
  });

  it('shows a disk as an acceptor: votes at or above every mbal, none while a block is unreadable', () => {
    const sys = diskFamily.build({ topology: topo() });
    const view = (d: ServerData) => sys.serverView?.(2, d);
    expect(view(disk({ '0/0': [encodeBlock({ mbal: 3, bal: 3, inp: 'a' }, null, 1), 1], '0/1': [encodeBlock({ mbal: 2, bal: 0, inp: null }, null, 1), 1] }))?.votes).toEqual([[0, 3, 'a']]);
    // A higher mbal on the disk: the block is not a vote (the disk has promised more).
    expect(view(disk({ '0/0': [encodeBlock({ mbal: 3, bal: 3, inp: 'a' }, null, 1), 1], '0/1': [encodeBlock({ mbal: 4, bal: 0, inp: null }, null, 1), 1] }))?.votes).toEqual([]);
    expect(view(disk({ '0/0': [encodeBlock({ mbal: 3, bal: 3, inp: 'a' }, null, 1), 1], '0/1': [encodeBlock({ mbal: 2, bal: 0, inp: null }, null, 1), 2] }))?.votes).toEqual([]);
    const broken = view(disk({ '1/0': [encodeBlock({ mbal: 1, bal: 2, inp: null }, null, 1), 1] }))?.broken ?? [];
    expect(broken.join(';')).toMatch(/mbal 1 < bal 2/);
    expect(broken.join(';')).toMatch(/bal 2 without a value/);
  });

  it('decides every command with a timers-last schedule', () => {
    const sys = diskFamily.build({ topology: topo() });
    const r = walk(sys, timersLast);
    expect(r.violation).toBeNull();
    expect(r.quiescent).toBe(true);
    expect(allDecidedAlike(sys, r.world)).toEqual([]);
    expect(r.covers).toContain('processor.phase2.decided');
  });

  it('decides every command alike under seeded random schedules', () => {
    const covers = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const t = topo({ proposers: 2 + (seed % 2), servers: [3, 1, 5][seed % 3], commands: 3 + (seed % 2) });
      const sys = diskFamily.build({ topology: t });
      const r = walk(sys, seeded(seed));
      expect(r.violation, `seed ${seed}: ${r.violation?.message}`).toBeNull();
      expect(r.quiescent, `seed ${seed}`).toBe(true);
      expect(allDecidedAlike(sys, r.world), `seed ${seed}`).toEqual([]);
      for (const c of r.covers) covers.add(c);
    }
    for (const label of ['processor.phase1.aborted', 'processor.phase1.adopted', 'processor.learn.done-block']) expect(covers).toContain(label);
  });

  it('stays safe with a crash and a storage fault (torn write)', () => {
    const covers = new Set<string>();
    let crashed = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const sys = diskFamily.build({ topology: topo() });
      const r = walk(sys, seeded(seed, { crash: 0.02, fault: 0.2 }), { crashes: 1, storage: 1 });
      expect(r.violation, `seed ${seed}: ${r.violation?.message}\n${r.trace.slice(-20).join('\n')}`).toBeNull();
      if (r.world.used.crashes > 0) crashed++;
      for (const c of r.covers) covers.add(c);
    }
    expect(crashed).toBeGreaterThan(15);
    expect(covers).toContain('processor.recover.start');
    expect(covers).toContain('processor.verify.unreadable');
  });

  it('stays safe and live when ops are lost, duplicated and disks go down', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const sys = diskFamily.build({ topology: topo() });
      const r = walk(sys, seeded(seed, { drop: 0.05, dup: 0.05, down: 0.01 }), { drops: 4, dups: 4, downs: 1 });
      expect(r.violation, `seed ${seed}: ${r.violation?.message}`).toBeNull();
      expect(allDecidedAlike(sys, r.world), `seed ${seed}`).toEqual([]);
    }
  });

  it('checks HInv: a disk counted as written holds the current dblock', () => {
    const sys = diskFamily.build({ topology: topo({ proposers: 1, servers: 3 }) });
    const state = {
      p: 0,
      cmds: ['a'],
      decided: {},
      slot: 0,
      restarted: false,
      dblock: { mbal: 1, bal: 0, inp: null },
      maxSeen: 1,
      known: [1, 1, 1],
      mode: { k: 'ballot', phase: 1, best: null, disks: [{ k: 'done' }, { k: 'done' }, { k: 'done' }] },
      tag: 9,
    };
    const held = encodeBlock({ mbal: 1, bal: 0, inp: null }, null, 1);
    const other = encodeBlock({ mbal: 1, bal: 1, inp: 'a' }, null, 2);
    const world = {
      agents: [{ up: true, state, durable: {}, incarnation: 0 }],
      servers: [
        { up: true, data: disk({ '0/0': [held, 1] }) },
        { up: true, data: disk({ '0/0': [other, 2] }) },
        // Fenced: an older write landed on top; allowed, its owner rewrites it.
        { up: true, data: disk({ '0/0': [held, 2] }) },
      ],
    } as unknown as World;
    const v = diskInvariants(sys, world);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatch(/disk n2 counts as written but holds \(1, 1, "a"\)/);
  });

  it('catches read-before-write, minority-disks and no-recovery-phase in random walks', () => {
    for (const mutant of ['read-before-write', 'minority-disks', 'no-recovery-phase']) {
      let caught = false;
      for (let seed = 1; seed <= 120 && !caught; seed++) {
        const sys = diskFamily.build({ topology: topo({ proposers: 2 + (seed % 2) }), mutant });
        caught = walk(sys, seeded(seed, { crash: 0.02, fault: 0.1, timer: 0.1 }), { crashes: 1, storage: 1 }, 8000).violation !== null;
      }
      expect(caught, mutant).toBe(true);
    }
  });
});
