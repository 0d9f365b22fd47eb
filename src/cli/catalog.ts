import { properties } from '../properties/index.js';
import { allMutants, families } from '../protocols/index.js';
import { builtInScenarioNames } from '../scenario/load.js';
import { strategies } from './flags/strategies.js';

export { strategies } from './flags/strategies.js';

export interface CatalogProtocol {
  readonly name: string;
  readonly services?: string[];
  readonly description: string;
  /** Set when the protocol is searched by some strategies only (spec-paxos: bfs, dfs). */
  readonly strategies?: string[];
}

/** Not a kernel family: a TLA+ transliteration that `explore --strategy bfs|dfs` searches. */
const SPEC_PAXOS: CatalogProtocol = {
  name: 'spec-paxos',
  description: "Lamport's Paxos.tla transliterated (3 acceptors, 2 values, Ballot = 0..--max-ballot); explore --strategy bfs|dfs only, counts comparable with TLC",
  strategies: ['bfs', 'dfs'],
};

/** Everything `list` shows: protocols, services, mutants, scenarios, properties, strategies. */
export function catalog() {
  return {
    protocols: [
      ...families.map((f): CatalogProtocol => ({ name: f.name, ...(f.services ? { services: [...f.services] } : {}), description: f.description })),
      SPEC_PAXOS,
    ],
    mutants: allMutants().map((m): { name: string; protocol: string; service?: string; description: string } => ({ name: m.name, protocol: m.protocol, ...(m.service ? { service: m.service } : {}), description: m.description })),
    scenarios: builtInScenarioNames(),
    properties: properties.map((p) => ({ name: p.name, description: p.description })),
    strategies: [...strategies],
  };
}
