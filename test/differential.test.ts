import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RngStreams } from '../src/kernel/rng.js';
import { differential } from '../src/campaign/differential.js';
import { planFaults, resolvePlan } from '../src/sim/fault-plan.js';
import { topologyOf } from '../src/sim/simulate.js';
import { runTimed } from '../src/sim/timed.js';
import { buildSystem } from '../src/protocols/index.js';
import { loadScenario } from '../src/scenario/load.js';
import { paxcheck } from './cli.js';

const scenario = loadScenario('default');
const topology = topologyOf(scenario);
const staticSys = buildSystem({ protocol: 'static', topology });
const diskSys = buildSystem({ protocol: 'disk', topology });

describe('differential run: one workload and one fault plan through every family', () => {
  it('a plan picks nodes by fraction, so it maps onto any topology', () => {
    const plan = planFaults({ ...scenario, crashes: { ...scenario.crashes, count: 3 } }, new RngStreams(5).get('faults'));
    const onStatic = resolvePlan(plan, staticSys);
    const onDisk = resolvePlan(plan, diskSys);
    const shape = (fs: readonly { at: number; k: string }[]): unknown[] => fs.filter((f) => f.k !== 'down' && f.k !== 'up').map((f) => [f.at, f.k]);
    expect(shape(onStatic)).toEqual(shape(onDisk));
    expect(onDisk.filter((f) => f.k === 'down')).toHaveLength(scenario.servers.outages);
    for (const f of onDisk) if (f.k === 'crash' || f.k === 'restart') expect(f.node).toBeLessThan(diskSys.agents.length);
    for (const f of onDisk) if (f.k === 'down' || f.k === 'up') expect(f.node).toBeGreaterThanOrEqual(diskSys.agents.length);
    // Static Paxos has no servers: its plan has no outages, the rest is the same.
    const noServers = { ...staticSys, servers: [] };
    expect(resolvePlan(plan, noServers).filter((f) => f.k === 'down' || f.k === 'up')).toHaveLength(0);
  });

  it('run i of every family faces the same fault times and the same submissions', () => {
    const a = runTimed(staticSys, scenario, 11, 4);
    const b = runTimed(diskSys, scenario, 11, 4);
    const shape = (fs: readonly { at: number; k: string }[]): unknown[] => fs.filter((f) => f.k !== 'down' && f.k !== 'up').map((f) => [f.at, f.k]);
    expect(shape(a.plan)).toEqual(shape(b.plan));
    expect(shape(a.plan).length).toBeGreaterThan(0);
    expect(a.choices.filter((e) => e.k === 'submit')).toHaveLength(scenario.topology.commands ?? 0);
  });

  it('puts every family side by side with decisions, costs and rounds per decision', () => {
    const s = differential({ scenario, seed: 4, runs: 12 });
    expect(s.columns.map((c) => c.label)).toEqual(['static', 'disk', 'passive/list', 'passive/cas', 'passive/register']);
    expect(s.violations).toBe(0);
    expect(s.runs).toBe(12);
    for (const c of s.columns) {
      expect(c.runs).toBe(12);
      expect(c.slotsDecided).toBeGreaterThan(0);
      expect(c.roundsPerDecision).toBeGreaterThan(0);
    }
    // Static Paxos talks in messages; the passive families only in storage operations.
    expect(s.columns[0]?.messagesPerDecision).toBeGreaterThan(0);
    expect(s.columns[0]?.storageOpsPerDecision).toBe(0);
    for (const c of s.columns.slice(1)) expect(c.storageOpsPerDecision).toBeGreaterThan(0);
    for (const r of s.perRun) {
      for (const c of s.columns) expect(r.logs[c.label]).toHaveLength(topology.commands);
      const logs = Object.values(r.logs);
      const same = logs.every((l) => l.every((v, i) => v !== null && v === logs[0]?.[i]));
      expect(r.sameLog).toBe(same);
    }
    expect(s.sameLogRuns).toBe(s.perRun.filter((r) => r.sameLog).length);
    // Deterministic: the same seed gives the same table.
    const again = differential({ scenario, seed: 4, runs: 12 });
    expect(again.perRun).toEqual(s.perRun);
    expect(again.columns.map((c) => [c.slotsDecided, c.messagesPerDecision, c.storageOpsPerDecision])).toEqual(
      s.columns.map((c) => [c.slotsDecided, c.messagesPerDecision, c.storageOpsPerDecision]),
    );
  });

  it('CLI: simulate --protocol all prints the table, --json the contract fields; --mutant with all is bad input', () => {
    const out = mkdtempSync(join(tmpdir(), 'paxcheck-diff-'));
    const text = paxcheck(['simulate', '--protocol', 'all', '--runs', '4', '--seed', '2', '--out', out]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/rounds\/decision/);
    expect(text.stdout).toMatch(/passive\/register/);
    const json = paxcheck(['simulate', '--protocol', 'all', '--runs', '4', '--seed', '2', '--out', out, '--json']);
    expect(json.code).toBe(0);
    const j = JSON.parse(json.stdout) as Record<string, unknown> & { columns: unknown[] };
    for (const k of ['protocol', 'service', 'mutant', 'strategy', 'seed', 'runs', 'events', 'violations', 'firstViolation', 'wallMs', 'eventsPerSec']) {
      expect(j).toHaveProperty(k);
    }
    expect(j['protocol']).toBe('all');
    expect(j.columns).toHaveLength(5);
    const bad = paxcheck(['simulate', '--protocol', 'all', '--mutant', 'no-adopt', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
