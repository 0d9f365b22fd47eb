// The command that re-runs the seed a failure file records: what `replay` offers when the file's
// choices cannot be replayed (the code changed under them, or the file was altered).

import { builtInScenarioNames } from '../scenario/load.js';
import { commandLine } from './invocation.js';
import type { TopologyKey } from './flags/topology.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);

/** What each family's topology reads, for a --topology that states only those sizes. */
const sizes: Readonly<Record<string, readonly TopologyKey[]>> = {
  static: ['proposers', 'acceptors', 'learners', 'commands'],
  disk: ['proposers', 'servers', 'commands'],
  passive: ['proposers', 'servers', 'commands'],
};

function topologyArg(protocol: string, t: unknown): string[] {
  if (t === null || typeof t !== 'object') return [];
  const o = t as Record<string, unknown>;
  const keys = sizes[protocol] ?? (['proposers', 'acceptors', 'learners', 'servers', 'commands'] as const);
  const parts = keys.filter((k) => int(o[k]) !== null).map((k) => `${k}=${String(o[k])}`);
  return parts.length > 0 ? ['--topology', parts.join(',')] : [];
}

/** paxcheck arguments that re-run the recorded seed, from whatever fields of the file are known. */
export function rerunArgs(f: Readonly<Record<string, unknown>>): string[] | null {
  const recorded = f['rerun'];
  if (Array.isArray(recorded) && recorded.length > 0 && recorded.every((x) => typeof x === 'string')) return recorded as string[];
  const protocol = str(f['protocol']);
  if (protocol === null) return null;
  const target = ['--protocol', protocol, ...(str(f['service']) ? ['--service', str(f['service']) as string] : []), ...(str(f['mutant']) ? ['--mutant', str(f['mutant']) as string] : [])];
  const strategy = str(f['strategy']) ?? 'random';
  const seed = int(f['seed']) ?? 1;
  const runs = (int(f['run']) ?? 0) + 1;
  const scenario = f['scenario'] !== null && typeof f['scenario'] === 'object' ? str((f['scenario'] as Record<string, unknown>)['name']) : null;
  if (strategy === 'bfs' || strategy === 'dfs') return ['explore', ...target, '--strategy', strategy, ...topologyArg(protocol, f['topology'])];
  if (strategy === 'fast-check') return ['explore', ...target, '--strategy', strategy, '--seed', String(seed), ...topologyArg(protocol, f['topology'])];
  // A timed run of simulate or check: its scenario by name when it is a built-in one.
  const known = scenario !== null && builtInScenarioNames().includes(scenario);
  if (strategy === 'random' && scenario !== null) return ['simulate', ...target, ...(known ? ['--scenario', scenario] : []), '--seed', String(seed), '--runs', String(runs)];
  const base = strategy === 'swarm' && known ? ['--scenario', scenario] : [];
  return ['explore', ...target, '--strategy', strategy, ...base, '--seed', String(seed), '--runs', String(runs), ...(strategy === 'swarm' ? [] : topologyArg(protocol, f['topology']))];
}

/** "re-run the recorded seed instead: npx paxcheck …", or a hint when nothing is known. */
export function rerunHint(f: Readonly<Record<string, unknown>> | null): string {
  const args = f ? rerunArgs(f) : null;
  return args ? `re-run the recorded seed instead: ${commandLine(args)}` : 're-run the search that wrote it';
}
