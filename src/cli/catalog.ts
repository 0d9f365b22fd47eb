import { properties } from '../properties/index.js';
import { allMutants, families } from '../protocols/index.js';
import { builtInScenarioNames } from '../scenario/load.js';

export const strategies = ['random', 'fast-check', 'bfs', 'dfs', 'pct', 'swarm'] as const;

/** Everything `list` shows: protocols, services, mutants, scenarios, properties, strategies. */
export function catalog() {
  return {
    protocols: families.map((f): { name: string; services?: string[] } => (f.services ? { name: f.name, services: [...f.services] } : { name: f.name })),
    mutants: allMutants().map((m): { name: string; protocol: string; service?: string; description: string } => ({ name: m.name, protocol: m.protocol, ...(m.service ? { service: m.service } : {}), description: m.description })),
    scenarios: builtInScenarioNames(),
    properties: properties.map((p) => ({ name: p.name, description: p.description })),
    strategies: [...strategies],
  };
}
