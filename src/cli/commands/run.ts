import { InputError } from '../../errors.js';
import type { RunResult } from '../../runtime/run/run.js';
import { runReal } from '../../runtime/run/run.js';
import type { RunArgs } from '../flags/run.js';

// `paxcheck run`: the passive agents as real processes over real stores under a nemesis, with
// the history checked at the end (DESIGN §5, §8). Thin: parse, validate, call the runtime, print.

function print(r: RunResult): void {
  const o = r.options;
  const s = r.stats;
  const n = r.nemesis;
  const lines = [
    `run passive/${o.service} store=${o.store} agents=${o.agents} servers=${o.servers}${o.mutant ? ` mutant=${o.mutant}` : ''} seed=${o.seed}${r.interrupted ? ' — interrupted' : ''}`,
    `  ops ${s.ops}: ${s.ok} ok, ${s.fail} fail, ${s.info} info; ${s.slots} slots decided (${s.decidedPerSec}/s); latency p50 ${s.latencyMs.p50 ?? '-'} ms, p99 ${s.latencyMs.p99 ?? '-'} ms`,
    `  faults: ${n.kills} kills, ${n.pauses} pauses, ${n.storeFaults} store faults (${n.storeRestarts} store restarts), ${n.partitions} partitions, ${n.finalRestarts} final restarts`,
    ...r.check.properties.map((p) => `  ${p.status === 'ok' ? 'ok  ' : p.status === 'unknown' ? '??  ' : 'FAIL'} ${p.property}: ${p.message.split('\n')[0]}`),
    `  verdict ${r.check.verdict}${r.check.violated ? `: ${r.check.violated.property} violated` : ''}`,
    `  history ${r.files.history}${r.files.failing ? `, failing sub-history ${r.files.failing}` : ''}${r.files.report ? `, report ${r.files.report}` : ''}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

export async function runCommand(a: RunArgs): Promise<number> {
  const { service, out, nemesis } = a;
  // First Ctrl-C: stop the run cleanly (partial history, exit 130); a second one exits at once
  // (the runtime's exit hook still kills every child process).
  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\ninterrupted: stopping the run and writing the partial history (Ctrl-C again to abort)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const r = await runReal({ service, store: a.store, agents: a.agents, servers: a.servers, durationMs: a.duration, nemesis, mutant: a.mutant, seed: a.seed, out }, abort.signal).catch((e: unknown) => {
      // Unknown mutant for the service, unknown store: bad input, not a crash.
      if (e instanceof Error && /unknown (mutant|service)|not installed|store spec/.test(e.message)) throw new InputError(e.message);
      throw e;
    });
    if (a.json) process.stdout.write(JSON.stringify(jsonSummary(r)) + '\n');
    else print(r);
    return r.exitCode;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function jsonSummary(r: RunResult): Record<string, unknown> {
  const v = r.check.violated;
  return {
    protocol: 'passive',
    service: r.options.service,
    store: r.options.store,
    mutant: r.options.mutant ?? null,
    strategy: 'run',
    seed: r.options.seed,
    runs: 1,
    events: r.stats.ops,
    violations: v ? 1 : 0,
    firstViolation: v ? { property: v.property, slot: v.slots?.[0] ?? null, file: r.files.failing ?? null, depth: null, message: v.message } : null,
    verdict: r.check.verdict,
    interrupted: r.interrupted,
    properties: r.check.properties,
    stats: r.stats,
    nemesis: r.nemesis,
    files: r.files,
    wallMs: r.wallMs,
    eventsPerSec: Math.round((r.stats.ops * 1000) / Math.max(1, r.wallMs)),
  };
}
