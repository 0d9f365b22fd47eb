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

/** Where a protocol registered from a module was loaded from: failure files record it. */
export interface ModuleRef {
  readonly path: string;
  readonly hash: string;
}

// Protocols the user brings (the public API's check, the CLI's --protocol ./module): engines and
// worker threads look targets up by name, so a user's protocol is registered under its own.
const registered = new Map<string, { readonly family: ProtocolFamily; readonly module: ModuleRef | null }>();

/** Makes `family` known by its name; refuses to shadow a built-in family. */
export function registerProtocol(family: ProtocolFamily, module: ModuleRef | null = null): void {
  const builtIn = families.find((f) => f.name === family.name);
  if (builtIn && builtIn !== family) throw new InputError(`protocol name "${family.name}" is taken by a built-in family; choose another name`);
  if (!builtIn) registered.set(family.name, { family, module });
}

/** The module a registered protocol came from, if it came from one. */
export function moduleOf(name: string): ModuleRef | null {
  return registered.get(name)?.module ?? null;
}

export function findFamily(name: string): ProtocolFamily | undefined {
  return families.find((f) => f.name === name) ?? registered.get(name)?.family;
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
  if (!family) throw new InputError(`unknown protocol "${spec.protocol}" (known: ${[...families.map((f) => f.name), ...registered.keys()].join(', ')}, or a module path such as ./my-protocol.ts)`);
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

