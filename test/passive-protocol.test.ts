import { describe, expect, it } from 'vitest';
import type { Json, ServerData } from '../src/kernel/types.js';
import { defaultTopology } from '../src/protocols/family.js';
import type { Topology } from '../src/protocols/family.js';
import { chosenValue, passiveBallot } from '../src/protocols/passive/agent.js';
import { passiveRulesFor } from '../src/protocols/passive/mutants.js';
import { correctPassiveRules } from '../src/protocols/passive/rules.js';
import type { PassiveRules } from '../src/protocols/passive/rules.js';
import { casAccess } from '../src/protocols/passive/cas.js';
import { buildPassive } from '../src/protocols/passive/index.js';
import { passiveAgent } from '../src/protocols/passive/agent.js';
import { asAgent } from '../src/kernel/types.js';
import { check, defineProtocol, formatResult } from '../src/index.js';
import { foldList, listServerView } from '../src/protocols/passive/list.js';
import { casServerView } from '../src/protocols/passive/cas.js';
import { passiveFamily } from '../src/protocols/passive/index.js';
import { allDecidedAlike, seeded, timersLast, walk } from './storage-harness.js';

const topo = (over: Partial<Topology> = {}): Topology => ({ ...defaultTopology, ...over });
const services = ['list', 'cas', 'register'] as const;

const P = (b: number): Json => ({ t: 'PREPARE', b });
const A = (b: number, v: string): Json => ({ t: 'ACCEPT', b, v });

describe('passive Paxos family', () => {
  it('offers three services and seven mutants bound to them', () => {
    expect(passiveFamily.name).toBe('passive');
    expect(passiveFamily.services).toEqual(['list', 'cas', 'register']);
    expect(passiveFamily.mutants.map((m) => `${m.service}:${m.name}`)).toEqual([
      'list:replay-overwrite',
      'list:decide-by-value',
      'list:stale-read',
      'list:gap-as-complete',
      'list:commit-before-majority',
      'cas:blind-put',
      'cas:conflict-as-success',
    ]);
    for (const m of passiveFamily.mutants) {
      expect(m.protocol).toBe('passive');
      expect(() => passiveFamily.build({ topology: defaultTopology, service: m.service, mutant: m.name })).not.toThrow();
    }
    expect(() => passiveFamily.build({ topology: defaultTopology, service: 'queue' })).toThrow(/unknown service "queue"/);
    expect(() => passiveFamily.build({ topology: defaultTopology })).toThrow(/unknown service/);
    expect(() => passiveFamily.build({ topology: defaultTopology, service: 'cas', mutant: 'stale-read' })).toThrow(/unknown mutant/);
    expect(() => passiveFamily.build({ topology: defaultTopology, service: 'register', mutant: 'blind-put' })).toThrow(/unknown mutant/);
  });

  it('lays out agents, then servers of the service kind', () => {
    for (const [service, kind] of [['list', 'list'], ['cas', 'cas'], ['register', 'kv']] as const) {
      const sys = passiveFamily.build({ topology: topo({ proposers: 3, servers: 5, commands: 4 }), service });
      expect(sys.protocol).toBe('passive');
      expect(sys.agents).toHaveLength(3);
      expect(sys.servers).toEqual(Array.from({ length: 5 }, () => ({ kind })));
      expect(sys.acceptors).toEqual([3, 4, 5, 6, 7]);
      expect(sys.replicas).toEqual([0, 1, 2]);
      expect(sys.slots).toBe(4);
    }
  });

  it('folds a list like an acceptor; the replay-overwrite fold does not', () => {
    expect(foldList([P(2), A(1, 'x')])).toEqual({ promise: 2, vote: null, accepted: [] });
    expect(foldList([P(1), A(1, 'x'), P(3), A(2, 'y'), A(3, 'z')])).toEqual({
      promise: 3,
      vote: [3, 'z'],
      accepted: [
        [1, 'x'],
        [3, 'z'],
      ],
    });
    // An ACCEPT raises the promise: a later lower ACCEPT is rejected...
    expect(foldList([A(5, 'x'), A(3, 'y')]).vote).toEqual([5, 'x']);
    // ...unless the fold forgets to (MetaSync's replay): the lower one overwrites the higher vote.
    expect(foldList([A(5, 'x'), A(3, 'y')], passiveRulesFor('replay-overwrite', 'list')).vote).toEqual([3, 'y']);
  });

  it('shows list and CAS servers as acceptors', () => {
    const list: ServerData = { kind: 'list', store: { '0': [P(1), A(1, 'x')], '1': [P(4)] }, versions: { '0': 2, '1': 1 } };
    expect(listServerView(list)).toEqual({ promised: 4, votes: [[0, 1, 'x']] });
    const cas: ServerData = { kind: 'cas', store: { '0': { promise: 3, ballot: 2, value: 'y' } }, versions: { '0': 4 } };
    expect(casServerView(cas)).toEqual({ promised: 3, votes: [[0, 2, 'y']] });
  });

  it('decides on a majority at one ballot; the decide-by-value check mixes ballots', () => {
    const seen = [[[1, 'x']], [[2, 'x']], []] as const;
    expect(chosenValue(seen, correctPassiveRules)).toBeNull();
    expect(chosenValue(seen, passiveRulesFor('decide-by-value', 'list'))).toBe('x');
    expect(chosenValue([[[2, 'x']], [[2, 'x']], [[1, 'y']]], correctPassiveRules)).toBe('x');
  });

  it('gives ballots unique per agent and incarnation', () => {
    const all = [0, 1].flatMap((p) => [0, 1, 2].flatMap((inc) => [0, 5000].map((above) => passiveBallot(above, p, 2, inc))));
    expect(new Set(all).size).toBe(all.length);
    expect(passiveBallot(0, 0, 2, 0)).toBe(1);
    expect(passiveBallot(1, 0, 2, 0)).toBeGreaterThan(1);
  });

  for (const service of services) {
    describe(service, () => {
      it('decides every command with a timers-last schedule, without a single message between agents', () => {
        const sys = passiveFamily.build({ topology: topo(), service });
        const r = walk(sys, timersLast);
        expect(r.violation).toBeNull();
        expect(r.quiescent).toBe(true);
        expect(r.messages).toBe(0);
        expect(allDecidedAlike(sys, r.world)).toEqual([]);
      });

      it('decides every command alike under seeded random schedules, one server included', () => {
        for (let seed = 1; seed <= 25; seed++) {
          const t = topo({ proposers: 2 + (seed % 2), servers: [3, 1, 5][seed % 3], commands: 3 + (seed % 2) });
          const sys = passiveFamily.build({ topology: t, service });
          const r = walk(sys, seeded(seed));
          expect(r.violation, `seed ${seed}: ${r.violation?.message}`).toBeNull();
          expect(r.quiescent, `seed ${seed}`).toBe(true);
          expect(r.messages).toBe(0);
          expect(allDecidedAlike(sys, r.world), `seed ${seed}`).toEqual([]);
        }
      });

      it('stays safe with a crash and a storage fault', () => {
        for (let seed = 1; seed <= 30; seed++) {
          const sys = passiveFamily.build({ topology: topo(), service });
          const r = walk(sys, seeded(seed, { crash: 0.02, fault: 0.2 }), { crashes: 1, storage: 1 });
          expect(r.violation, `seed ${seed}: ${r.violation?.message}\n${r.trace.slice(-20).join('\n')}`).toBeNull();
        }
      });

      it('stays safe and live under lost, duplicated and faulty operations and a server outage', () => {
        for (let seed = 1; seed <= 20; seed++) {
          const sys = passiveFamily.build({ topology: topo(), service });
          const r = walk(sys, seeded(seed, { drop: 0.05, dup: 0.05, fault: 0.2, down: 0.01 }), { drops: 4, dups: 4, storage: 4, downs: 1 });
          expect(r.violation, `seed ${seed}: ${r.violation?.message}`).toBeNull();
          expect(allDecidedAlike(sys, r.world), `seed ${seed}`).toEqual([]);
        }
      });
    });
  }

  it('exercises the list faults it must survive', () => {
    const covers = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      const sys = passiveFamily.build({ topology: topo(), service: 'list' });
      for (const c of walk(sys, seeded(seed, { fault: 0.5 }), { storage: 6 }).covers) covers.add(c);
    }
    for (const label of ['list.append.failed', 'list.read.without-own', 'list.prepare.rejected', 'list.learn.chosen']) expect(covers).toContain(label);
  });

  it('catches every mutant in random walks with storage faults', () => {
    for (const m of passiveFamily.mutants) {
      let caught = false;
      for (let seed = 1; seed <= 120 && !caught; seed++) {
        const sys = passiveFamily.build({ topology: topo({ proposers: 2 + (seed % 2) }), service: m.service, mutant: m.name });
        caught = walk(sys, seeded(seed, { fault: 0.3, timer: 0.1 }), { storage: 3 }, 8000).violation !== null;
      }
      expect(caught, m.name).toBe(true);
    }
  });
});

describe('ballot-uniqueness covers passive agents', () => {
  // An agent that forgets its incarnation when it draws a ballot: after a restart it runs the
  // ballots of its previous life again, whose appends and puts may still be at the servers.
  const reuse: PassiveRules = { ...correctPassiveRules, ballot: (above, p, agents) => passiveBallot(above, p, agents, 0) };
  const variant = (name: string, rules: PassiveRules) =>
    defineProtocol({
      name,
      topology: { proposers: 2, servers: 3, commands: 2 },
      build: (t) => {
        const sys = buildPassive({ topology: t, service: 'cas' });
        const servers = sys.acceptors;
        const cfg = { agents: sys.agents.length, servers, slots: sys.slots, randomized: false, rules };
        return { ...sys, agents: sys.agents.map((_, p) => asAgent(passiveAgent(p, cfg, casAccess(rules)))) };
      },
    });
  // Random walks: the search space of even one agent with restarts is beyond a unit test's bfs.
  const options = { strategy: 'random', runs: 200, budget: { crashes: 2, drops: 0 }, out: false } as const;

  it('a restarted agent reusing a ballot is caught by ballot-uniqueness', () => {
    const r = check(variant('passive-cas-ballot-reuse', reuse), options);
    expect(r.violation?.property, formatResult(r)).toBe('ballot-uniqueness');
    expect(r.violation?.message).toMatch(/ballot \d+ run by n(\d) incarnation \d+ and again by n\1 incarnation \d+/);
  });

  it('the correct agents never reuse one', () => {
    const r = check(variant('passive-cas', correctPassiveRules), options);
    expect(r.ok, formatResult(r)).toBe(true);
  });
});
