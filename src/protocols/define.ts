// How a protocol is written: `defineAgent` for each role (unhandled events are no-ops) and
// `defineProtocol` for the whole (its nodes per topology, servers, workload, symmetry and the
// properties it is checked against). The built-in families are defined exactly this way.

import type { AgentBehaviour, Context, DurableStore, Json, NodeId, NodeView, ServerKind, ServerReply, ServerSpec, Submission, Symmetry, System, Value, ServerData } from '../kernel/types.js';
import type { Check } from '../properties/index.js';
import { bindProperties, properties as builtInProperties } from '../properties/index.js';
import type { BuildOptions, MutantInfo, ProtocolFamily, Topology } from './family.js';
import { makeWorkload } from './family.js';

/** One role's behaviour; every handler but `init` and `view` may be left out. */
export interface AgentSpec<S, M extends Json = Json> {
  readonly role: string;
  init(ctx: Context<M>): S;
  onMessage?(s: S, from: NodeId, msg: M, ctx: Context<M>): S;
  onTimer?(s: S, name: string, ctx: Context<M>): S;
  onWriteDone?(s: S, key: string, ctx: Context<M>): S;
  onReply?(s: S, server: NodeId, reply: ServerReply, ctx: Context<M>): S;
  onSubmit?(s: S, value: Value, ctx: Context<M>): S;
  /** Volatile state rebuilt from durable state only; default: a fresh `init` (nothing survives). */
  recover?(durable: DurableStore, ctx: Context<M>): S;
  /** What the properties read; only what survives a crash (durable promises and votes). */
  view(s: S): NodeView;
}

const same = <S>(s: S): S => s;

/** An agent behaviour with no-op defaults for the handlers `spec` leaves out. */
export function defineAgent<S, M extends Json = Json>(spec: AgentSpec<S, M>): AgentBehaviour<S, M> {
  return {
    role: spec.role,
    init: (ctx) => spec.init(ctx),
    onMessage: spec.onMessage ? (s, f, m, c) => spec.onMessage!(s, f, m, c) : same,
    onTimer: spec.onTimer ? (s, n, c) => spec.onTimer!(s, n, c) : same,
    onWriteDone: spec.onWriteDone ? (s, k, c) => spec.onWriteDone!(s, k, c) : same,
    onReply: spec.onReply ? (s, sv, r, c) => spec.onReply!(s, sv, r, c) : same,
    onSubmit: spec.onSubmit ? (s, v, c) => spec.onSubmit!(s, v, c) : same,
    recover: spec.recover ? (d, c) => spec.recover!(d, c) : (_d, c) => spec.init(c),
    view: (s) => spec.view(s),
  };
}

/** What `build` returns: the agents, and whatever differs from the defaults. */
export interface SystemParts {
  /** Node ids are positions: agents 0..n-1, then servers n.. in order. */
  readonly agents: readonly AgentBehaviour<never, never>[] | readonly AgentBehaviour[];
  /** Passive servers after the agents; default none. */
  readonly servers?: readonly (ServerKind | ServerSpec)[];
  /** Client submissions; default: `topology.commands` distinct commands round-robin over every agent. */
  readonly workload?: readonly Submission[];
  /** Nodes whose views carry promises and votes (default: every agent). */
  readonly acceptors?: readonly NodeId[];
  /** Nodes that apply the decided log to a state machine (default: none). */
  readonly replicas?: readonly NodeId[];
  /** Slots the workload needs decided (default: one per submission). */
  readonly slots?: number;
  readonly symmetry?: Symmetry;
  serverView?(server: NodeId, data: ServerData): NodeView;
  invariants?(world: unknown): readonly string[];
}

export interface ProtocolDefinition {
  readonly name: string;
  readonly description?: string;
  /** Service variants (`--service`), e.g. passive's list|cas|register. */
  readonly services?: readonly string[];
  /** Named bugs (`--mutant`); `build` receives the chosen one. */
  readonly mutants?: readonly { readonly name: string; readonly description: string; readonly service?: string }[];
  /** Every cover label the protocol can emit, so reports can list those never reached. */
  readonly labels?: readonly string[];
  /** A fixed set of agents; or `build` for nodes that depend on the topology. */
  readonly agents?: readonly AgentBehaviour<never, never>[] | readonly AgentBehaviour[];
  readonly servers?: readonly ServerKind[];
  readonly workload?: readonly Submission[];
  /** With fixed `agents`: who holds promises and votes, who applies the log, slots to decide. */
  readonly acceptors?: readonly NodeId[];
  readonly replicas?: readonly NodeId[];
  readonly slots?: number;
  readonly symmetry?: Symmetry;
  build?(topology: Topology, opts: { readonly mutant?: string; readonly service?: string }): SystemParts;
  /**
   * The module that defines (default-exports or exports) this protocol, for replaying its
   * failures from the CLI: `import.meta.url` or a path. Default: the file that called defineProtocol.
   */
  readonly module?: string;
  /** Default topology sizes for this protocol (e.g. commands: 1 for single-decree). */
  readonly topology?: Partial<Topology>;
  /** The properties checked after every step: a list, or a function of the built-in list. */
  readonly properties?: readonly Check[] | ((builtIn: readonly Check[]) => readonly Check[]);
}

/** A protocol the checker runs: a family with its checks bound to every system it builds. */
export interface Protocol extends ProtocolFamily {
  readonly properties: readonly Check[];
  /** The sizes the definition sets; the rest come from the scenario or the strategy. */
  readonly topology: Partial<Topology>;
  /** The defining module (a file path or URL), when known. */
  readonly module: string | null;
}

/** The file of the first stack frame outside this one: where defineProtocol was called. */
function callerModule(): string | null {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  const here = frames[0] ?? '';
  for (const f of frames.slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(f);
    if (m && m[1] && !here.includes(m[1])) return m[1];
  }
  return null;
}

export function defineProtocol(def: ProtocolDefinition): Protocol {
  if (!def.build && !def.agents) throw new Error(`defineProtocol(${def.name}): give agents or build`);
  const props = typeof def.properties === 'function' ? def.properties(builtInProperties) : (def.properties ?? builtInProperties);
  const topology: Partial<Topology> = def.topology ?? {};
  const mutants: MutantInfo[] = (def.mutants ?? []).map((m) => ({ ...m, protocol: def.name }));
  const build = (opts: BuildOptions): System => {
    const parts: SystemParts = def.build
      ? def.build(opts.topology, { mutant: opts.mutant, service: opts.service })
      : { agents: def.agents ?? [], servers: def.servers, workload: def.workload, acceptors: def.acceptors, replicas: def.replicas, slots: def.slots, symmetry: def.symmetry };
    return bindProperties(assemble(def.name, parts, opts.topology), props);
  };
  return {
    name: def.name,
    description: def.description ?? def.name,
    ...(def.services ? { services: def.services } : {}),
    ...(def.labels ? { labels: def.labels } : {}),
    mutants,
    build,
    properties: props,
    topology,
    module: def.module ?? callerModule(),
  };
}

function assemble(name: string, p: SystemParts, t: Topology): System {
  const agents = p.agents as readonly AgentBehaviour[];
  const all = agents.map((_, i) => i);
  const workload = p.workload ?? makeWorkload(all, t.commands);
  return {
    protocol: name,
    agents,
    servers: (p.servers ?? []).map((s) => (typeof s === 'string' ? { kind: s } : s)),
    workload,
    acceptors: p.acceptors ?? all,
    replicas: p.replicas ?? [],
    slots: p.slots ?? workload.length,
    ...(p.serverView ? { serverView: p.serverView } : {}),
    ...(p.invariants ? { invariants: p.invariants } : {}),
    ...(p.symmetry ? { symmetry: p.symmetry } : {}),
  };
}
