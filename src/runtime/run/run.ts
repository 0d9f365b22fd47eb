import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeAtomic } from '../../artifacts/atomic.js';
import { RngStreams } from '../../kernel/rng.js';
import type { AgentConfig } from '../agent/channel.js';
import { readDecisions } from '../agent/durable.js';
import type { AgentLog, RunVerdict } from '../check/index.js';
import { checkRun } from '../check/index.js';
import type { AuditResult } from '../check/audit.js';
import { auditStores } from '../check/audit.js';
import { DecisionAudit } from './decision-audit.js';
import { History, writeHistory } from '../history.js';
import { runtimeSystem } from '../system.js';
import { Cluster } from './cluster.js';
import type { NemesisStats } from './nemesis.js';
import { Nemesis } from './nemesis.js';
import type { RunInput, RunOptions } from './options.js';
import { runOptions } from './options.js';
import type { RunStats } from './stats.js';
import { runStats } from './stats.js';
import type { RunStores } from './stores.js';
import { networkedStore, setUpStores } from './stores.js';
import { AgentNetwork, netnsUnavailable } from '../proc/network.js';
import { Workload } from './workload.js';

// One real run: stores, agent processes, clients and nemesis for the duration; then every fault
// healed, every agent restarted once more and given time to re-learn the log from the stores;
// then the checks over the history and the agents' durable logs. Whatever happens, every
// process the run started is gone when it returns.

export interface RunResult {
  readonly options: RunOptions;
  /** 0 no violation, 1 a violation, 130 interrupted. */
  readonly exitCode: 0 | 1 | 130;
  readonly interrupted: boolean;
  readonly check: RunVerdict;
  readonly stats: RunStats;
  readonly nemesis: NemesisStats & { readonly finalRestarts: number };
  readonly wallMs: number;
  /** The store specs the agents used (redis: the ports of the servers the run started). */
  readonly stores: readonly string[];
  readonly files: { readonly dir: string; readonly history: string; readonly result: string; readonly failing?: string; readonly report?: string };
}

function agentConfigs(o: RunOptions, stores: RunStores, dir: string): AgentConfig[] {
  return Array.from({ length: o.agents }, (_, self) => ({
    service: o.service,
    ...(o.mutant !== undefined ? { mutant: o.mutant } : {}),
    agents: o.agents,
    self,
    dataDir: join(dir, 'agents', `a${self}`),
    stores: [...stores.specsFor(self)],
    unitMs: o.unitMs,
    opTimeoutMs: o.storeTimeoutMs,
    seed: o.seed,
  }));
}

/** The agents' own network, when the partition nemesis is asked for and can be given one. */
function runNetwork(o: RunOptions): { net?: AgentNetwork; skipped?: string } {
  if (!o.nemesis.includes('partition')) return {};
  if (!networkedStore(o.store)) {
    const scheme = o.store.split(':')[0] ?? o.store;
    return { skipped: scheme === 'redis' ? 'redis servers named by the user are outside the run network' : `a ${scheme} store is a local file with no network to partition` };
  }
  const why = netnsUnavailable();
  if (why !== null) return { skipped: `no network namespaces here (${why})` };
  return { net: AgentNetwork.create(o.agents, o.servers) };
}

/** Waits `ms`, or less if the signal aborts first. */
const waitFor = (ms: number, signal?: AbortSignal): Promise<void> => sleep(ms, undefined, signal ? { signal } : {}).catch(() => undefined);

/** Every agent restarted from its data directory, then time to re-learn up to `target` slots. */
async function finalRestart(cluster: Cluster, history: History, target: number, settleMs: number, signal?: AbortSignal): Promise<void> {
  await cluster.killAll();
  for (const [i] of cluster.agents.entries()) history.add({ type: 'fault', fault: 'kill', target: `agent ${i}`, detail: 'final restart' });
  await cluster.startAll();
  for (const [i, a] of cluster.agents.entries()) history.add({ type: 'fault', fault: 'restart', target: `agent ${i}`, detail: `final, incarnation ${a.inc}` });
  const until = performance.now() + settleMs;
  while (performance.now() < until && !signal?.aborted) {
    if (cluster.agents.every((_, i) => cluster.learnedBy(i) >= target)) return;
    await waitFor(50, signal);
  }
}

/** Every slot some agent logged a decision for (some may never have been reported: a kill). */
function loggedSlots(logs: readonly AgentLog[]): number[] {
  return [...new Set(logs.flatMap((l) => l.records.map((r) => r.slot)))];
}

function maxAckedSlot(history: History): number {
  return history.events.reduce((m, e) => (e.type === 'ok' && e.slot !== undefined ? Math.max(m, e.slot) : m), -1);
}

/** The run's folder without a previous run's agents and stores; the files it will hold. */
function freshRunDir(dir: string): { dir: string; history: string; result: string } {
  rmSync(join(dir, 'agents'), { recursive: true, force: true });
  rmSync(join(dir, 'stores'), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return { dir, history: join(dir, 'history.jsonl'), result: join(dir, 'result.json') };
}

export async function runReal(input: RunInput, signal?: AbortSignal): Promise<RunResult> {
  const o = runOptions.parse(input);
  const sys = runtimeSystem(o.service, o.agents, o.servers, o.mutant); // unknown service or mutant: throws now
  const t0 = performance.now();
  const dir = o.out;
  const files = freshRunDir(dir);
  const history = new History(files.history);
  history.add({ type: 'note', message: `run passive/${o.service} store=${o.store} agents=${o.agents} servers=${o.servers} duration=${o.durationMs}ms nemesis=${o.nemesis.join(',') || 'none'} mutant=${o.mutant ?? 'none'} seed=${o.seed}` });
  const rng = new RngStreams(o.seed);
  const { net, skipped } = runNetwork(o);
  const stores = await setUpStores(o.store, o.servers, dir, net).catch((e: unknown) => {
    net?.close();
    throw e;
  });
  const atDecision = await DecisionAudit.open(stores.specs, sys.kind, o.agents).catch(async (e: unknown) => {
    await stores.close();
    net?.close();
    throw e;
  });
  let workload: Workload | null = null;
  const cluster = new Cluster(
    agentConfigs(o, stores, dir),
    history,
    {
      onAck: (_a, id, slot, result) => workload?.onAck(id, slot, result),
      onDown: (a) => workload?.onDown(a),
      onDecide: (a, slot, value) => atDecision.onDecide(a, slot, value),
    },
    net,
  );
  workload = new Workload(cluster, history, rng.get('workload'), { clients: o.agents * o.clientsPerAgent, keys: o.keys, opTimeoutMs: o.opTimeoutMs });
  const nemesis = new Nemesis(o.nemesis, cluster, stores, history, rng.get('nemesis'), o.faultEveryMs, net, skipped);
  let workloadMs = 0;
  let audit: AuditResult | null = null;
  let logs: AgentLog[] = [];
  try {
    try {
      await cluster.startAll();
      const w0 = performance.now();
      workload.start();
      nemesis.start();
      await waitFor(o.durationMs, signal);
      await nemesis.halt();
      await workload.stop();
      workloadMs = performance.now() - w0;
      const f0 = performance.now();
      if (!signal?.aborted) await finalRestart(cluster, history, maxAckedSlot(history) + 1, o.settleMs, signal);
      history.add({ type: 'note', message: `final restart and re-learning: ${Math.round(performance.now() - f0)} ms` });
    } finally {
      await nemesis.halt();
      await cluster.stopAll();
      await cluster.killAll();
    }
    await atDecision.close();
    history.add({ type: 'note', message: `stores read at ${atDecision.snapshots.size} first decisions (${atDecision.skipped} reads abandoned: a store did not answer)` });
    logs = cluster.agents.map((a, i) => ({ agent: i, records: readDecisions(join(dir, 'agents', `a${i}`)), finalInc: a.inc }));
    const a0 = performance.now();
    if (!signal?.aborted) audit = await auditStores(stores.specs, sys.kind, o.agents, loggedSlots(logs));
    history.add({ type: 'note', message: `store audit: ${Math.round(performance.now() - a0)} ms` });
  } finally {
    await atDecision.close();
    await stores.close();
    net?.close();
  }
  const c0 = performance.now();
  const check = checkRun(history.events, logs, audit, atDecision, { linearizabilityMs: o.linearizabilityMs });
  history.add({ type: 'note', message: `checks: ${Math.round(performance.now() - c0)} ms` });
  const interrupted = signal?.aborted ?? false;
  const stats = runStats(history.events, workloadMs);
  const result: RunResult = {
    options: o,
    exitCode: interrupted ? 130 : check.verdict === 'violation' ? 1 : 0,
    interrupted,
    check,
    stats,
    nemesis: { ...nemesis.stats, finalRestarts: interrupted ? 0 : o.agents },
    wallMs: Math.round(performance.now() - t0),
    stores: stores.specs,
    files: {
      ...files,
      ...(check.violated ? { failing: join(dir, 'failing.jsonl') } : {}),
      ...(o.html ? { report: join(dir, 'report.html') } : {}),
    },
  };
  if (result.files.failing) writeHistory(result.files.failing, check.failing);
  writeAtomic(files.result, JSON.stringify({ ...result, check: { ...check, failing: undefined } }, null, 2) + '\n');
  if (result.files.report) writeAtomic(result.files.report, (await import('../report.js')).runReportHtml(result, history.events));
  return result;
}
