import type { System } from '../kernel/types.js';
import type { MutantInfo, ProtocolFamily, Topology } from './family.js';
import { defaultTopology } from './family.js';
import { InputError } from '../errors.js';
import { diskFamily } from './disk/index.js';
import { passiveFamily } from './passive/index.js';
import { staticFamily } from './static/index.js';

export type { MutantInfo, ProtocolFamily, Topology } from './family.js';
export { defaultTopology } from './family.js';

/** Every protocol family the checker knows, in the order `list` shows them. */
export const families: readonly ProtocolFamily[] = [staticFamily, diskFamily, passiveFamily];

export function findFamily(name: string): ProtocolFamily | undefined {
  return families.find((f) => f.name === name);
}

export function allMutants(): MutantInfo[] {
  return families.flatMap((f) => f.mutants);
}

export interface SystemSpec {
  readonly protocol: string;
  readonly service?: string;
  readonly mutant?: string;
  readonly topology?: Partial<Topology>;
}

/** The configured instance for a (protocol, service, mutant, topology); throws on unknown names. */
export function buildSystem(spec: SystemSpec): System {
  const family = findFamily(spec.protocol);
  if (!family) throw new InputError(`unknown protocol "${spec.protocol}" (known: ${families.map((f) => f.name).join(', ')})`);
  if (family.services && spec.service === undefined) throw new InputError(`protocol "${spec.protocol}" needs --service (${family.services.join('|')})`);
  if (!family.services && spec.service !== undefined) throw new InputError(`protocol "${spec.protocol}" has no services`);
  if (spec.service !== undefined && !family.services?.includes(spec.service)) {
    throw new InputError(`unknown service "${spec.service}" for ${spec.protocol} (known: ${family.services?.join(', ') ?? 'none'})`);
  }
  if (spec.mutant !== undefined && !family.mutants.some((m) => m.name === spec.mutant && (m.service === undefined || m.service === spec.service))) {
    const known = family.mutants.filter((m) => m.service === undefined || m.service === spec.service).map((m) => m.name);
    throw new InputError(`unknown mutant "${spec.mutant}" for ${spec.protocol}${spec.service ? `/${spec.service}` : ''} (known: ${known.join(', ')})`);
  }
  const topology: Topology = { ...defaultTopology, ...spec.topology };
  return family.build({ topology, mutant: spec.mutant, service: spec.service });
}

export interface Target {
  readonly protocol: string;
  readonly service?: string;
}

/** `protocol[/service]`, as tables and reports name a target. */
export function targetName(t: { readonly protocol: string; readonly service?: string | null }): string {
  return t.service ? `${t.protocol}/${t.service}` : t.protocol;
}

/** Every protocol, once per service where it has services. */
export function allTargets(fams: readonly ProtocolFamily[] = families): Target[] {
  return fams.flatMap((f) => (f.services ? f.services.map((service) => ({ protocol: f.name, service })) : [{ protocol: f.name }]));
}

