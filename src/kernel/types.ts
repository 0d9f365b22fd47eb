// The kernel contract (DESIGN §2). The kernel knows nodes, packets, timers, durable storage and
// passive servers; it knows nothing of ballots or Paxos.

export type NodeId = number;
export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };
/** A client command or a no-op filler; what consensus decides. */
export type Value = string;

export type DurableStore = Readonly<Record<string, Json>>;

/** Requests a passive server understands. `tag` is echoed so the agent can match replies. */
export type ServerRequest =
  | { readonly op: 'get'; readonly tag: number; readonly key: string }
  | { readonly op: 'put'; readonly tag: number; readonly key: string; readonly value: Json }
  | { readonly op: 'append'; readonly tag: number; readonly key: string; readonly record: Json }
  | { readonly op: 'read'; readonly tag: number; readonly key: string; readonly from: number }
  | { readonly op: 'cas'; readonly tag: number; readonly key: string; readonly version: number; readonly value: Json };

export type ServerReply =
  | { readonly op: 'get'; readonly tag: number; readonly key: string; readonly value: Json; readonly version: number }
  | { readonly op: 'put'; readonly tag: number; readonly key: string; readonly ok: true }
  | { readonly op: 'append'; readonly tag: number; readonly key: string; readonly ok: boolean; readonly index: number }
  | {
      readonly op: 'read';
      readonly tag: number;
      readonly key: string;
      readonly from: number;
      /** Records with their list positions; a gapped listing skips positions. */
      readonly entries: readonly (readonly [number, Json])[];
      /** Length of the list as the server reports it. */
      readonly length: number;
    }
  | { readonly op: 'cas'; readonly tag: number; readonly key: string; readonly ok: boolean; readonly version: number };

/** Storage faults applied to one operation as it reaches a server (exploration: an event variant). */
export type OpFault =
  | 'lost-append' // the append is not applied; the agent hears a failure
  | 'phantom-append' // the append is applied but reported failed
  | 'stale-listing' // a read returns a strict prefix of the list
  | 'gapped-listing' // a read skips one record in the middle
  | 'cas-conflict' // a conditional put fails although the version matched
  | 'torn-write'; // a put stores only part of a record (first field kept, rest from the old value)

export type ServerKind = 'kv' | 'list' | 'cas';

export type PacketBody =
  | { readonly kind: 'msg'; readonly msg: Json }
  /** `inc`: the sender's incarnation; the reply carries it back (see world.ts, deliver). */
  | { readonly kind: 'op'; readonly req: ServerRequest; readonly inc: number }
  | { readonly kind: 'reply'; readonly reply: ServerReply; readonly inc: number };

export interface Packet {
  readonly seq: number;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly body: PacketBody;
}

export interface TimerEntry {
  readonly seq: number;
  readonly node: NodeId;
  readonly name: string;
  /** Virtual duration asked for; only the timed scheduler reads it. */
  readonly after: number;
  /** Fraction of `after` the timed scheduler may add at random: randomized back-off. */
  readonly jitter: number;
}

export interface PendingWrite {
  readonly seq: number;
  readonly node: NodeId;
  readonly key: string;
  readonly value: Json;
}

/** Everything a handler may do. All effects go through here. */
export interface Context<M extends Json = Json> {
  readonly self: NodeId;
  readonly incarnation: number;
  send(to: NodeId, msg: M): void;
  /** `jitter` > 0 asks the scheduler to add up to jitter·after at random (randomized back-off). */
  setTimer(name: string, after: number, jitter?: number): void;
  cancelTimer(name: string): void;
  write(key: string, value: Json): void;
  op(server: NodeId, req: ServerRequest): void;
  decide(slot: number, value: Value): void;
  cover(label: string): void;
}

/** The shape every protocol exposes to the properties (DESIGN §2). */
export interface NodeView {
  /** Promised ballot of an acceptor, or undefined for nodes that are not acceptors. */
  readonly promised?: number;
  /** Votes currently held: [slot, ballot, value]. */
  readonly votes?: readonly (readonly [number, number, Value])[];
  /** Decisions this node currently knows. */
  readonly decided?: Readonly<Record<number, Value>>;
  /** A replica's applied prefix and the canonical state of its state machine after it. */
  readonly replica?: { readonly applied: number; readonly state: string };
  /** The ballot this node currently runs as a proposer (0 or absent: none). */
  readonly leading?: number;
  /** Protocol-specific invariant failures detected from this node's state (e.g. mbal < bal). */
  readonly broken?: readonly string[];
}

export interface AgentBehaviour<S = unknown, M extends Json = Json> {
  readonly role: string;
  init(ctx: Context<M>): S;
  onMessage(s: S, from: NodeId, msg: M, ctx: Context<M>): S;
  onTimer(s: S, name: string, ctx: Context<M>): S;
  onWriteDone(s: S, key: string, ctx: Context<M>): S;
  onReply(s: S, server: NodeId, reply: ServerReply, ctx: Context<M>): S;
  onSubmit(s: S, value: Value, ctx: Context<M>): S;
  /** Volatile state is rebuilt from durable state only. */
  recover(durable: DurableStore, ctx: Context<M>): S;
  view(s: S): NodeView;
}

export interface ServerSpec {
  readonly kind: ServerKind;
}

export interface Submission {
  readonly node: NodeId;
  readonly value: Value;
}

/** A configured protocol instance: the nodes, the passive servers and the workload. */
export interface System {
  readonly protocol: string;
  readonly agents: readonly AgentBehaviour[];
  readonly servers: readonly ServerSpec[];
  readonly workload: readonly Submission[];
  /** Nodes whose views carry votes and promises (acceptors, disks, lists, registers). */
  readonly acceptors: readonly NodeId[];
  /** Nodes that apply the decided log to a state machine. */
  readonly replicas: readonly NodeId[];
  /** Slots the workload needs decided for the run to count as decided. */
  readonly slots: number;
  /** Views of passive servers, for protocols that keep acceptor state in storage. */
  serverView?(server: NodeId, data: ServerData): NodeView;
  /**
   * Protocol invariants that need more than one node's state (e.g. Disk Paxos: a disk in
   * disksWritten holds the current block). Receives the kernel World; returns what is broken.
   */
  invariants?(world: unknown): readonly string[];
  /** Interchangeable nodes, for symmetry reduction; absent when the protocol has none. */
  readonly symmetry?: Symmetry;
}

/** A renaming of node ids: a permutation of each symmetry group, the identity elsewhere. */
export type Rename = (n: NodeId) => NodeId;

/**
 * Nodes that play the same role with the same behaviour, like a TLA+ symmetry set: renaming them
 * into one another maps runs to runs. The explorer renames node positions, packet ends, timers,
 * writes and the partition; the protocol renames the node ids inside its own states and messages,
 * which only it can read. Nodes of a group must not receive client submissions.
 */
export interface Symmetry {
  readonly groups: readonly (readonly NodeId[])[];
  /**
   * The state of agent `node` (its id before renaming) with every node id in it renamed. A
   * protocol whose request tags are only ever compared for equality also passes each tag it
   * still waits on through `tag`, in an order fixed by the renamed state, and leaves out its
   * fresh-tag counter: tags then stop telling apart states that differ only in which request got
   * which number (the explorer relabels the packets alike, and tags nobody waits on any more).
   * `quiet`: the node's timers will never fire again (the explorer's timer budget for it is
   * spent), so what only its timer handlers read may be left out.
   */
  renameState(node: NodeId, state: unknown, rename: Rename, tag: (t: number) => number, quiet: boolean): unknown;
  /** A protocol message with every node id in it renamed; absent when messages hold none. */
  renameMessage?(msg: Json, rename: Rename): Json;
}

export interface ServerData {
  readonly kind: ServerKind;
  /** kv and cas: key -> value; list: key -> records. */
  readonly store: Readonly<Record<string, Json>>;
  readonly versions: Readonly<Record<string, number>>;
}

export const asAgent = <S, M extends Json>(b: AgentBehaviour<S, M>): AgentBehaviour =>
  b as unknown as AgentBehaviour;
