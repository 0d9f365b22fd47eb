// Symmetry reduction over interchangeable nodes (System.symmetry): a state is identified by the
// least fingerprint of its renamings under every permutation of the symmetry groups, so the
// search expands one state per orbit. The states expanded stay concrete (the first one reached
// of each orbit), and paths are recorded as action indices of those concrete states, so a
// counterexample replays as it is, with no permutation to undo.
//
// The hash mirrors the kernel fingerprint (src/kernel/fingerprint.ts) with every part read
// through the renaming: agents and servers in renamed positions with node ids inside their
// states renamed by the protocol, packets with renamed ends and messages, timers and writes of
// renamed nodes, the partition permuted, and the property history renamed. Parts are hashed once
// per object and permutation: states share most of their objects with their predecessors.

import type { Event } from '../../kernel/events.js';
import type { Hash64 } from '../../kernel/hash.js';
import { Hasher, Unordered, hashValue } from '../../kernel/hash.js';
import type { Json, NodeId, Packet, PacketBody, Rename, Symmetry, System, TimerEntry } from '../../kernel/types.js';
import type { World } from '../../kernel/world.js';
import type { History } from '../../properties/index.js';
import { renameHistory } from '../../properties/rename.js';
import { ascending, sortSmall } from '../../kernel/sort-small.js';

/** Largest group product enumerated; beyond it a canonical form would cost too much per state. */
export const MAX_PERMUTATIONS = 720;

export interface Permutation {
  /** New id of each node. */
  readonly fwd: Int32Array;
  /** Old id of the node that lands on each id. */
  readonly inv: Int32Array;
  readonly rename: Rename;
}

function permutationsOf(xs: readonly NodeId[]): NodeId[][] {
  if (xs.length <= 1) return [xs.slice()];
  const out: NodeId[][] = [];
  xs.forEach((x, i) => {
    for (const rest of permutationsOf([...xs.slice(0, i), ...xs.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

/** Every permutation of the groups at once (their product), the identity first. */
export function groupPermutations(nodes: number, groups: readonly (readonly NodeId[])[]): Permutation[] {
  let maps: Int32Array[] = [Int32Array.from({ length: nodes }, (_, i) => i)];
  for (const g of groups) {
    const next: Int32Array[] = [];
    for (const base of maps) {
      for (const image of permutationsOf(g)) {
        const fwd = base.slice();
        g.forEach((n, i) => (fwd[n] = image[i] as NodeId));
        next.push(fwd);
      }
    }
    maps = next;
    if (maps.length > MAX_PERMUTATIONS) throw new Error(`symmetry: more than ${MAX_PERMUTATIONS} permutations`);
  }
  return maps.map((fwd) => {
    const inv = new Int32Array(nodes);
    fwd.forEach((to, from) => (inv[to] = from));
    return { fwd, inv, rename: (n: NodeId) => (n >= 0 && n < nodes ? (fwd[n] as number) : n) };
  });
}

/**
 * A permutation as one number (mixed radix over the node count): a map key without a string.
 * Exact while nodeCount^nodeCount < 2^53, i.e. up to 13 nodes; larger worlds key by string.
 */
function permCode(fwd: ArrayLike<number>): number | string {
  if (fwd.length > 13) return Array.from(fwd).join(',');
  let c = 0;
  for (let i = 0; i < fwd.length; i++) c = c * fwd.length + (fwd[i] as number);
  return c;
}

export interface Canonical {
  readonly fp: Hash64;
  /** Indices of the permutations that map the state to its canonical form. */
  readonly perms: readonly number[];
}

const before = (a: Hash64, b: Hash64): number => (a.hi >>> 0) - (b.hi >>> 0) || (a.lo >>> 0) - (b.lo >>> 0);

/**
 * What was computed of one object under each permutation, filled on demand. Looked up and
 * filled in two calls, not through a callback: a closure per lookup, on every state's every
 * part, was a good share of what the search allocated.
 */
class PerObject<K extends object, V> {
  private readonly map = new WeakMap<K, (V | undefined)[]>();

  get(k: K, slot: number): V | undefined {
    return this.map.get(k)?.[slot];
  }

  set(k: K, slot: number, v: V): V {
    let xs = this.map.get(k);
    if (xs === undefined) {
      xs = [];
      this.map.set(k, xs);
    }
    xs[slot] = v;
    return v;
  }
}

/** An agent state's hash under one permutation, and the labels it gave the tags it waits on. */
interface Renamed {
  readonly hash: Hash64;
  readonly labels: ReadonlyMap<number, number>;
}

const noLabels: ReadonlyMap<number, number> = new Map();

/** The agent a request or reply packet belongs to (its tag is that agent's), or -1. */
function tagOwner(pk: Packet): number {
  return pk.body.kind === 'op' ? pk.from : pk.body.kind === 'reply' ? pk.to : -1;
}

function tagOf(b: PacketBody): number | null {
  return b.kind === 'op' ? b.req.tag : b.kind === 'reply' ? b.reply.tag : null;
}

export class Canonicalizer {
  readonly perms: readonly Permutation[];
  private readonly agents: number;
  private readonly states = new PerObject<object, Renamed>();
  private readonly plain = new PerObject<object, Hash64>();
  private readonly packets = new PerObject<Packet, Hash64>();
  private readonly histories = new PerObject<History, Hash64>();
  private readonly indexOf = new Map<number | string, number>();
  private readonly bodies = new PerObject<Packet, Hash64>();
  private readonly sides = new PerObject<Packet, readonly [Hash64 | null, Hash64 | null]>();
  private readonly timerHashes = new PerObject<TimerEntry, Hash64>();
  private readonly inGroup: ReadonlySet<NodeId>;
  private readonly identity: readonly number[];
  /** Per node, the packets to and from it as `traffic` last summed them (kept: one per node, not per state). */
  private readonly trafficOf: readonly Unordered[];
  // Scratch of hashUnder(), which never nests (what it calls hashes with hashers of its own).
  private readonly under = new Hasher();
  private readonly netSum = new Unordered();
  private readonly timerSum = new Unordered();
  /** Digests of the traffic and packet sums, for candidates() and hashUnder(), which run one after the other. */
  private readonly scratch = new Hasher();
  // Scratch of candidates(), which never nests: each node's own hash, a group's order, the permutation.
  private readonly own = new Hasher();
  private readonly ownHi: Uint32Array;
  private readonly ownLo: Uint32Array;
  private readonly at: number[];
  private readonly fwd: number[];

  /**
   * @param maxTimerFires the explorer's timer budget per agent: an agent whose count (the
   *   per-agent counters `canon` is given) has reached it is quiet.
   */
  constructor(
    sys: System,
    readonly symmetry: Symmetry,
    private readonly maxTimerFires?: number,
  ) {
    this.agents = sys.agents.length;
    for (const g of symmetry.groups) {
      if (sys.workload.some((s) => g.includes(s.node))) throw new Error('symmetry: a group node takes client submissions');
    }
    this.perms = groupPermutations(sys.agents.length + sys.servers.length, symmetry.groups);
    this.perms.forEach((p, i) => this.indexOf.set(permCode(p.fwd), i));
    this.identity = Array.from((this.perms[0] as Permutation).fwd);
    this.inGroup = new Set(symmetry.groups.flat());
    const nodes = sys.agents.length + sys.servers.length;
    this.trafficOf = Array.from({ length: nodes }, () => new Unordered());
    this.ownHi = new Uint32Array(nodes);
    this.ownLo = new Uint32Array(nodes);
    this.at = new Array<number>(Math.max(0, ...symmetry.groups.map((g) => g.length))).fill(0);
    this.fwd = Array.from(this.identity);
  }

  /**
   * The least renamed fingerprint of (world, history, per-agent counters, tag), and the
   * permutations reaching it. Only permutations that put each group's nodes in the order of
   * their own data are tried (all orders of ties): a node's own data names no other node of its
   * group, so this choice is the same for every state of an orbit and the least fingerprint over
   * it is still a function of the orbit.
   */
  canon(w: World, hist: History, perAgent: readonly number[], tag: string | null): Canonical {
    let best: Hash64 | null = null;
    let which: number[] = [];
    for (const p of this.candidates(w, perAgent)) {
      const h = this.hashUnder(w, hist, perAgent, tag, p);
      const c = best === null ? -1 : before(h, best);
      if (c < 0) {
        best = h;
        which = [p];
      } else if (c === 0) which.push(p);
    }
    return { fp: best as Hash64, perms: sortSmall(which, ascending) };
  }

  /**
   * A node's own data and the packets to and from it, with the other end named only when it is
   * outside every group: what the candidate orders sort by. Written to `ownHi[n]`, `ownLo[n]`.
   */
  private ownHash(w: World, n: NodeId, perAgent: readonly number[]): void {
    const h = (this.trafficOf[n] as Unordered).digestInto(this.own.reset(), this.scratch);
    if (n >= this.agents) {
      const s = w.servers[n - this.agents];
      if (s !== undefined) h.word(s.up ? 1 : 0).hash(this.plainHash(s.data.store)).hash(this.plainHash(s.data.versions));
    } else {
      const a = w.agents[n];
      if (a !== undefined) h.word(a.up ? 1 : 0).word(a.incarnation).hash(this.renamed(w, n, 0, perAgent).hash).hash(this.plainHash(a.durable));
      h.word(perAgent[n] ?? 0);
    }
    this.ownHi[n] = h.hi;
    this.ownLo[n] = h.lo;
  }

  /** Compares the own hashes of nodes i and j, as `before` compares digests. */
  private ownOrder(i: number, j: number): number {
    return (this.ownHi[i] as number) - (this.ownHi[j] as number) || (this.ownLo[i] as number) - (this.ownLo[j] as number);
  }

  /** Per group node, its packets seen from its side (direction, outside end, body without tag), into `trafficOf`. */
  private traffic(w: World): void {
    for (const n of this.inGroup) (this.trafficOf[n] as Unordered).clear();
    for (const pk of w.net) {
      const toIn = this.inGroup.has(pk.to);
      const fromIn = this.inGroup.has(pk.from);
      if (!toIn && !fromIn) continue;
      // A packet reads the same from its ends in every state it is in: hashed once.
      const sides = this.sides.get(pk, 0) ?? this.sides.set(pk, 0, this.sidesOf(pk, toIn, fromIn));
      if (sides[0] !== null) (this.trafficOf[pk.to] as Unordered).add(sides[0]);
      if (sides[1] !== null) (this.trafficOf[pk.from] as Unordered).add(sides[1]);
    }
  }

  private sidesOf(pk: Packet, toIn: boolean, fromIn: boolean): readonly [Hash64 | null, Hash64 | null] {
    const body = this.anonymous(pk);
    return [
      toIn ? new Hasher().word(0).word(fromIn ? -1 : pk.from).hash(body).digest() : null,
      fromIn ? new Hasher().word(1).word(toIn ? -1 : pk.to).hash(body).digest() : null,
    ];
  }

  /** A packet body as it reads under any renaming: messages that may name nodes are left out. */
  private anonymous(pk: Packet): Hash64 {
    const known = this.bodies.get(pk, 0);
    if (known !== undefined) return known;
    const h = pk.body.kind === 'msg' && this.symmetry.renameMessage ? hashValue('msg') : hashValue(this.renameBody(pk.body, identity));
    return this.bodies.set(pk, 0, h);
  }

  /**
   * Indices of the permutations that sort every group by its nodes' own data. Without ties (the
   * common case) that is one permutation, found by sorting each group.
   */
  private candidates(w: World, perAgent: readonly number[]): number[] {
    this.traffic(w);
    for (const g of this.symmetry.groups) for (const n of g) this.ownHash(w, n, perAgent);
    const fwd = this.fwd;
    for (let i = 0; i < fwd.length; i++) fwd[i] = i;
    for (const g of this.symmetry.groups) if (!this.orderGroup(g, fwd)) return this.tiedCandidates();
    return [this.indexOf.get(permCode(fwd)) as number];
  }

  /** Maps group `g`'s nodes, in the order of their own data, onto its ids in `fwd`; false on a tie. */
  private orderGroup(g: readonly NodeId[], fwd: number[]): boolean {
    const at = this.at;
    for (let i = 0; i < g.length; i++) {
      const n = g[i] as NodeId;
      let j = i - 1;
      while (j >= 0 && this.ownOrder(at[j] as number, n) > 0) {
        at[j + 1] = at[j] as number;
        j--;
      }
      at[j + 1] = n;
    }
    for (let k = 1; k < g.length; k++) if (this.ownOrder(at[k - 1] as number, at[k] as number) === 0) return false;
    for (let k = 0; k < g.length; k++) fwd[at[k] as number] = g[k] as NodeId;
    return true;
  }

  /** With ties: every permutation under which each group's ids hold nodes in the order of their own data. */
  private tiedCandidates(): number[] {
    const out: number[] = [];
    for (let p = 0; p < this.perms.length; p++) if (this.sortsGroups((this.perms[p] as Permutation).inv)) out.push(p);
    return out;
  }

  private sortsGroups(inv: Int32Array): boolean {
    for (const g of this.symmetry.groups) {
      for (let k = 1; k < g.length; k++) if (this.ownOrder(inv[g[k - 1] as NodeId] as number, inv[g[k] as NodeId] as number) > 0) return false;
    }
    return true;
  }

  private plainHash(o: object): Hash64 {
    return this.plain.get(o, 0) ?? this.plain.set(o, 0, hashValue(o));
  }

  private renamed(w: World, node: NodeId, p: number, perAgent: readonly number[]): Renamed {
    const state = w.agents[node]?.state ?? null;
    if (state === null || typeof state !== 'object') return { hash: hashValue(state), labels: noLabels };
    const perm = this.perms[p] as Permutation;
    const quiet = this.maxTimerFires !== undefined && (perAgent[node] ?? 0) >= this.maxTimerFires;
    const slot = 2 * (node * this.perms.length + p) + (quiet ? 1 : 0);
    return this.states.get(state, slot) ?? this.states.set(state, slot, this.rename(node, state, perm, quiet));
  }

  private rename(node: NodeId, state: object, perm: Permutation, quiet: boolean): Renamed {
    const labels = new Map<number, number>();
    const label = (t: number): number => {
      let l = labels.get(t);
      if (l === undefined) {
        l = labels.size + 1;
        labels.set(t, l);
      }
      return l;
    };
    return { hash: hashValue(this.symmetry.renameState(node, state, perm.rename, label, quiet)), labels };
  }

  /** A packet under permutation `p`, its tag (if any) replaced by its owner's label; 0 for stale. Into `pkHi`, `pkLo`. */
  private packetLanes(w: World, pk: Packet, p: number, perAgent: readonly number[]): void {
    const base = this.packets.get(pk, p) ?? this.packets.set(pk, p, this.packetUnder(pk, this.perms[p] as Permutation));
    const t = tagOf(pk.body);
    if (t === null) {
      this.pkHi = base.hi;
      this.pkLo = base.lo;
      return;
    }
    const owner = tagOwner(pk);
    const label = owner >= 0 && owner < this.agents ? (this.renamed(w, owner, p, perAgent).labels.get(t) ?? 0) : 0;
    const h = this.tagged.reset().hash(base).word(label);
    this.pkHi = h.hi;
    this.pkLo = h.lo;
  }

  // What packetLanes() computed last, and its hasher: it never nests (the renaming it may call
  // hashes with hashers of its own).
  private pkHi = 0;
  private pkLo = 0;
  private readonly tagged = new Hasher();

  private packetUnder(pk: Packet, perm: Permutation): Hash64 {
    return new Hasher().word(perm.rename(pk.from)).word(perm.rename(pk.to)).value(this.renameBody(pk.body, perm.rename)).digest();
  }

  /** The body with node ids in messages renamed and request tags left to packetLanes. */
  private renameBody(b: PacketBody, rename: Rename): unknown {
    switch (b.kind) {
      case 'msg':
        return this.symmetry.renameMessage ? { kind: 'msg', msg: this.symmetry.renameMessage(b.msg, rename) } : b;
      case 'op':
        return { kind: 'op', inc: b.inc, req: { ...b.req, tag: 0 } };
      case 'reply':
        return { kind: 'reply', inc: b.inc, reply: { ...b.reply, tag: 0 } };
    }
  }

  private hashUnder(w: World, hist: History, perAgent: readonly number[], tag: string | null, p: number): Hash64 {
    const perm = this.perms[p] as Permutation;
    const { fwd, inv } = perm;
    const A = this.agents;
    const h = this.under.reset();
    h.word(0x51).word(w.agents.length);
    for (let j = 0; j < w.agents.length; j++) {
      const i = inv[j] as number;
      const a = w.agents[i];
      if (a === undefined) continue;
      h.word(a.up ? 1 : 0).word(a.incarnation).hash(this.renamed(w, i, p, perAgent).hash).hash(this.plainHash(a.durable));
    }
    h.word(0x52).word(w.servers.length);
    for (let j = 0; j < w.servers.length; j++) {
      const s = w.servers[(inv[A + j] as number) - A];
      if (s === undefined) continue;
      h.word(s.up ? 1 : 0).hash(this.plainHash(s.data.store)).hash(this.plainHash(s.data.versions));
    }
    const net = this.netSum.clear();
    for (const pk of w.net) {
      this.packetLanes(w, pk, p, perAgent);
      net.addLanes(this.pkHi, this.pkLo);
    }
    net.digestInto(h.word(0x53), this.scratch);
    const timers = this.timerSum.clear();
    for (const t of w.timers) timers.add(this.timerHashes.get(t, p) ?? this.timerHashes.set(t, p, timerUnder(t, fwd)));
    timers.digestInto(h.word(0x54), this.scratch);
    h.word(0x55).word(w.writes.length);
    const writes = w.writes.length < 2 ? w.writes : sortSmall([...w.writes], (a, b) => (fwd[a.node] as number) - (fwd[b.node] as number) || a.seq - b.seq);
    for (const x of writes) h.word(fwd[x.node] as number).str(x.key).value(x.value);
    h.word(0x56);
    if (w.partition === null) h.word(0);
    else {
      const groups = w.partition.slice();
      w.partition.forEach((g, n) => (groups[fwd[n] as number] = g));
      h.word(1).value(groups);
    }
    h.value(w.pending);
    const u = w.used;
    h.word(u.crashes).word(u.drops).word(u.dups).word(u.partitions).word(u.downs).word(u.storage);
    h.hash(this.histories.get(hist, p) ?? this.histories.set(hist, p, hashValue(renameHistory(hist, perm.rename))));
    h.word(0x57).word(perAgent.length);
    for (let j = 0; j < perAgent.length; j++) h.word(perAgent[inv[j] as number] ?? 0);
    if (tag !== null) h.str(tag);
    return h.digest();
  }

  /** Content key of event `e` of `w` read through permutation `p`. */
  eventKey(w: World, perAgent: readonly number[], e: Event, p: number): number {
    this.keyWorld = w;
    this.keyPerAgent = perAgent;
    this.keyPerm = p;
    return eventKey(w, e, this.keyPacket, (this.perms[p] as Permutation).rename);
  }

  // What eventKey() is reading, for the one packet-hash function it hands on: no closure per key.
  private keyWorld: World | null = null;
  private keyPerAgent: readonly number[] = [];
  private keyPerm = 0;
  private readonly keyPacket = (h: Hasher, pk: Packet): void => {
    this.packetLanes(this.keyWorld as World, pk, this.keyPerm, this.keyPerAgent);
    h.word(this.pkHi).word(this.pkLo);
  };
}

const identity: Rename = (n) => n;

function timerUnder(t: TimerEntry, fwd: Int32Array): Hash64 {
  return new Hasher().word(fwd[t.node] as number).str(t.name).digest();
}

/** The item numbered `seq` (a loop, not `find`: this runs for every event of every state). */
function withSeq<T extends { readonly seq: number }>(xs: readonly T[], seq: number): T | undefined {
  for (let i = 0; i < xs.length; i++) if ((xs[i] as T).seq === seq) return xs[i];
  return undefined;
}

/** One hasher for every event key: they are made one at a time and never nest. */
const eventHasher = new Hasher();

/**
 * What an event does, without the sequence numbers that name its packet, timer or write, as a
 * 53-bit key: equal in every state with the same fingerprint, and unchanged by steps of other
 * nodes.
 */
export function eventKey(w: World, e: Event, packet: (h: Hasher, p: Packet) => void, rename: Rename = identity): number {
  const h = eventHasher.reset().str(e.k);
  switch (e.k) {
    case 'deliver':
    case 'drop':
    case 'dup': {
      const pk = withSeq(w.net, e.seq);
      if (pk !== undefined) packet(h, pk);
      if (e.k === 'deliver' && e.fault !== undefined) h.str(e.fault);
      break;
    }
    case 'timer': {
      const t = withSeq(w.timers, e.seq);
      if (t !== undefined) h.word(rename(t.node)).str(t.name);
      break;
    }
    case 'write': {
      const x = withSeq(w.writes, e.seq);
      if (x !== undefined) h.word(rename(x.node)).str(x.key).value(x.value as Json);
      break;
    }
    case 'crash':
    case 'restart':
    case 'down':
    case 'up':
      h.word(rename(e.node));
      break;
    case 'submit':
      h.word(e.idx);
      break;
    case 'partition': {
      const groups = e.groups.slice();
      e.groups.forEach((g, n) => (groups[rename(n)] = g));
      h.value(groups);
      break;
    }
    case 'heal':
      break;
  }
  return h.key53();
}
