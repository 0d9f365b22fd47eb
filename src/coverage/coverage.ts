// Coverage of a set of runs, collected as a StepObserver so that every strategy that applies
// kernel steps can feed it: the timed scheduler directly, choice-sequence strategies through
// `observeChoices`. Everything here is a pure function of the steps it sees, so a run set's
// coverage is as reproducible as the runs themselves.

import type { Event } from '../kernel/events.js';
import type { Hash64 } from '../kernel/hash.js';
import { Hasher, hex64 } from '../kernel/hash.js';
import type { NodeId, Packet, System } from '../kernel/types.js';
import type { Effects, World } from '../kernel/world.js';
import { isServer } from '../kernel/world.js';
import type { Checked } from '../step/checked.js';
import { advance, start } from '../step/checked.js';
import { fingerprint } from '../kernel/fingerprint.js';
import { FpTable } from '../search/fp-table.js';
import type { RunResult, StepObserver } from '../sim/timed.js';

/** One ordered pair of message kinds seen arriving at a node of `role`: `first` before `second`. */
export interface MessageOrder {
  readonly role: string;
  readonly first: string;
  readonly second: string;
  /** Runs in which this order was seen at least once. */
  readonly runs: number;
}

export interface SaturationPoint {
  /** Runs done at the end of this bucket. */
  readonly runs: number;
  /** Cumulative distinct states and interleaving classes. */
  readonly states: number;
  readonly classes: number;
  /** New distinct states / classes found in this bucket, scaled to a rate per 1,000 runs. */
  readonly newStatesPer1000: number;
  readonly newClassesPer1000: number;
  /** Cumulative order classes (see `CoverageData.orderClasses`) and the rate of new ones; absent in older run sets. */
  readonly orderClasses?: number;
  readonly newOrderClassesPer1000?: number;
}

/** Coverage of a run set as it is written to reports (plain JSON). */
export interface CoverageData {
  readonly runs: number;
  readonly distinctStates: number;
  readonly interleavingClasses: number;
  /**
   * Order classes: the distinct ways a node of a role began a run, as the sequence of the first
   * `orderDepth` events it handled (the kind of each message delivered or lost, timer, write,
   * submission, crash, restart; not who sent what). Unlike the happens-before classes above, of
   * which nearly every timed run adds one, this space is small enough for the count to level
   * off, so the saturation curve shows when runs stop finding new orders. Absent in run sets
   * written before it existed.
   */
  readonly orderClasses?: number;
  /** role → cover label → times taken. */
  readonly labels: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** role → every message kind seen arriving at a node of that role. */
  readonly messageKinds: Readonly<Record<string, readonly string[]>>;
  readonly messageOrders: readonly MessageOrder[];
  /** `after <label>` (the crashed node's last cover label) → crashes injected there. */
  readonly crashPoints: Readonly<Record<string, number>>;
  /** Fault kind → times injected. */
  readonly faults: Readonly<Record<string, number>>;
  readonly saturation: { readonly bucket: number; readonly points: readonly SaturationPoint[] };
}

/** The kind of a packet for message-order coverage: msg.t, or op:/reply: plus the server op. */
export function messageKind(p: Packet): string {
  const b = p.body;
  if (b.kind === 'op') return `op:${b.req.op}`;
  if (b.kind === 'reply') return `reply:${b.reply.op}`;
  const m = b.msg;
  if (m !== null && typeof m === 'object' && !Array.isArray(m)) {
    const t = (m as { readonly [k: string]: unknown })['t'];
    if (typeof t === 'string') return t;
  }
  return 'msg';
}

export function labelRole(label: string): string {
  const dot = label.indexOf('.');
  return dot < 0 ? label : label.slice(0, dot);
}

/** Crash point for a node whose handlers have emitted no label since it (re)started. */
export const CRASH_BEFORE_ANY_STEP = 'after (start)';

export interface CoverageOptions {
  /** Fingerprint every world for the distinct-state count (the costliest part; default true). */
  readonly states?: boolean;
  /**
   * The state identity: by default the kernel `fingerprint` (which hashes only the parts a step
   * changed: see kernel/fingerprint.ts).
   */
  readonly fingerprint?: (w: World) => Hash64;
  /** Runs per saturation bucket; by default chosen from the number of runs at summary time. */
  readonly bucket?: number;
  /** Events per node that order classes look at (default `ORDER_DEPTH`). */
  readonly orderDepth?: number;
}

/** Default number of first events per node that make a run's order class. */
export const ORDER_DEPTH = 4;

/** The token an event leaves in its node's order prefix: what happened, without who or which copy. */
function orderToken(code: number, parts: readonly (string | number)[]): string {
  switch (code) {
    case 1:
      return String(parts[0]);
    case 2:
      return `lost ${String(parts[0])}`;
    case 3:
      return 'timer';
    case 4:
      return 'write';
    case 5:
      return 'submit';
    default:
      return ['', '', '', '', '', '', 'crash', 'restart', 'down', 'up'][code] ?? `#${code}`;
  }
}

/**
 * The per-node facts of the path that led to a state which crash points and message orders
 * depend on: in graph mode (bfs/dfs) they travel with each explored state instead of with a run.
 */
export interface PathFacts {
  readonly lastLabel: readonly (string | null)[];
  readonly arrived: readonly ReadonlySet<string>[];
}

/** Whether the facts collected are those of `f` (sets are replaced when they grow, never changed). */
function sameFacts(f: PathFacts, lastLabel: readonly (string | null)[], arrived: readonly ReadonlySet<string>[]): boolean {
  for (let i = 0; i < lastLabel.length; i++) if (lastLabel[i] !== f.lastLabel[i]) return false;
  for (let i = 0; i < arrived.length; i++) if (arrived[i] !== f.arrived[i]) return false;
  return lastLabel.length === f.lastLabel.length && arrived.length === f.arrived.length;
}

interface SendId {
  readonly from: NodeId;
  readonly index: number;
  readonly copy: number;
}

/**
 * Collects coverage over many runs of one system. Per run it tracks what the aggregate needs
 * (last label per node, kinds arrived per node, the happens-before skeleton); per run set it
 * keeps sets and counters.
 */
export class CoverageCollector implements StepObserver {
  private readonly roles: readonly string[];
  private readonly withStates: boolean;
  /** Each state's 64-bit key, in a typed-array table: a search may reach millions. */
  private readonly states = new FpTable(1 << 10);
  private readonly classes = new Set<string>();
  private readonly orderClassSet = new Set<string>();
  private readonly orderDepth: number;
  private readonly labels = new Map<string, number>();
  private readonly kinds = new Map<string, Set<string>>();
  private readonly orders = new Map<string, number>();
  private readonly crashPoints = new Map<string, number>();
  private readonly faults = new Map<string, number>();
  /** Per finished run: how many states and classes it added. */
  private readonly newStates: number[] = [];
  private readonly newClasses: number[] = [];
  private readonly newOrderClasses: number[] = [];

  /** Explored-graph mode (see graphStart): no runs, so no interleaving classes or saturation. */
  private graph = false;

  // Per-run state, reset by startRun.
  private inRun = false;
  private statesBefore = 0;
  private lastLabel: (string | null)[] = [];
  /** Copied on write, so that graph mode can hand them on as path facts. */
  private arrived: ReadonlySet<string>[] = [];
  private runOrders = new Set<string>();
  private sendCount: number[] = [];
  private sendIds = new Map<number, SendId>();
  private copies = new Map<number, number>();
  private skeleton: Hasher[] = [];
  /** Per node, the tokens of the first `orderDepth` events it handled in this run (its order class). */
  private prefixes: string[][] = [];

  constructor(
    readonly sys: System,
    private readonly opts: CoverageOptions = {},
  ) {
    const servers = sys.servers.map((s) => `server:${s.kind}`);
    this.roles = [...sys.agents.map((a) => a.role), ...servers];
    this.withStates = opts.states ?? true;
    this.orderDepth = opts.orderDepth ?? ORDER_DEPTH;
  }

  get runs(): number {
    return this.newStates.length;
  }

  roleOf(n: NodeId): string {
    return this.roles[n] ?? `n${n}`;
  }

  startRun(w: World, fx: readonly Effects[]): void {
    if (this.graph) throw new Error('coverage: a collector in graph mode takes no runs');
    if (this.inRun) this.endRun();
    this.inRun = true;
    this.statesBefore = this.states.size;
    const nodes = this.roles.length;
    this.lastLabel = new Array<string | null>(nodes).fill(null);
    this.arrived = Array.from({ length: nodes }, () => new Set<string>());
    this.runOrders = new Set();
    this.sendCount = new Array<number>(nodes).fill(0);
    this.sendIds = new Map();
    this.copies = new Map();
    this.skeleton = Array.from({ length: nodes }, () => new Hasher());
    this.prefixes = Array.from({ length: nodes }, () => []);
    for (const f of fx) this.effects(f);
    this.state(w);
  }

  step(e: Event, fx: Effects, prev: World, next: World): void {
    if (!this.inRun) this.startRun(prev, []);
    this.event(e, fx, prev);
    this.effects(fx);
    this.state(next);
  }

  /**
   * Graph mode, for explorers that expand states rather than follow runs (bfs/dfs): the whole
   * explored graph counts as one run. Call once per initial state; returns its path facts.
   */
  graphStart(w: World, fx: readonly Effects[]): PathFacts {
    if (!this.graph) {
      if (this.inRun) this.endRun();
      this.graph = true;
      this.inRun = true;
      this.statesBefore = this.states.size;
      this.runOrders = new Set();
      this.skeleton = [];
      this.prefixes = [];
    }
    const nodes = this.roles.length;
    this.lastLabel = new Array<string | null>(nodes).fill(null);
    this.arrived = Array.from({ length: nodes }, () => new Set<string>());
    for (const f of fx) this.effects(f);
    this.state(w);
    return { lastLabel: this.lastLabel, arrived: this.arrived };
  }

  /** Graph mode: one explored transition out of a state with path facts `from`; returns the successor's. */
  graphStep(from: PathFacts, e: Event, fx: Effects, prev: World, next: World): PathFacts {
    if (!this.graph) throw new Error('coverage: graphStep before graphStart');
    this.lastLabel = from.lastLabel.slice();
    this.arrived = from.arrived.slice();
    this.event(e, fx, prev);
    this.effects(fx);
    this.state(next);
    // Most steps change no path fact: the successor then carries its parent's object, which the
    // compact frontier has interned already (a new equal object would be hashed again).
    return sameFacts(from, this.lastLabel, this.arrived) ? from : { lastLabel: this.lastLabel, arrived: this.arrived };
  }

  /** Closes the current run: its interleaving class and saturation counts. */
  endRun(): void {
    if (!this.inRun) return;
    this.inRun = false;
    if (this.graph) {
      this.newStates.push(this.states.size - this.statesBefore);
      this.newClasses.push(0);
      this.newOrderClasses.push(0);
      for (const k of this.runOrders) this.orders.set(k, (this.orders.get(k) ?? 0) + 1);
      return;
    }
    const h = new Hasher().word(this.skeleton.length);
    for (const s of this.skeleton) h.hash(s.digest());
    const before = this.classes.size;
    this.classes.add(hex64(h.digest()));
    this.newClasses.push(this.classes.size - before);
    const orderBefore = this.orderClassSet.size;
    this.prefixes.forEach((p, n) => this.orderClassSet.add(`${this.roleOf(n)}:${p.join(',')}`));
    this.newOrderClasses.push(this.orderClassSet.size - orderBefore);
    this.newStates.push(this.states.size - this.statesBefore);
    for (const k of this.runOrders) this.orders.set(k, (this.orders.get(k) ?? 0) + 1);
  }

  onStart(w: World, fx: readonly Effects[]): void {
    this.startRun(w, fx);
  }

  onStep(e: Event, fx: Effects, prev: World, next: World): void {
    this.step(e, fx, prev, next);
  }

  onEnd(_r: RunResult): void {
    this.endRun();
  }

  private state(w: World): void {
    if (!this.withStates) return;
    const f = (this.opts.fingerprint ?? fingerprint)(w);
    this.states.putIfAbsent(f.hi, f.lo, 0);
  }

  private count(m: Map<string, number>, k: string): void {
    m.set(k, (m.get(k) ?? 0) + 1);
  }

  private handled(node: NodeId, code: number, parts: readonly (string | number)[]): void {
    const prefix = this.prefixes[node];
    if (prefix && prefix.length < this.orderDepth) prefix.push(orderToken(code, parts));
    const h = this.skeleton[node];
    if (!h) return;
    h.word(code);
    for (const p of parts) {
      if (typeof p === 'number') h.word(p);
      else h.str(p);
    }
  }

  private event(e: Event, fx: Effects, prev: World): void {
    switch (e.k) {
      case 'deliver': {
        const p = prev.net.find((x) => x.seq === e.seq);
        if (!p) return;
        const id = this.sendIds.get(p.seq) ?? { from: p.from, index: -1, copy: 0 };
        const kind = messageKind(p);
        if (fx.lost) {
          this.count(this.faults, 'lost');
          this.handled(p.to, 2, [kind, id.from, id.index, id.copy]);
          return;
        }
        if (e.fault) this.count(this.faults, `storage:${e.fault}`);
        this.handled(p.to, 1, [kind, id.from, id.index, id.copy, e.fault ?? '']);
        this.arrive(p.to, kind);
        return;
      }
      case 'timer': {
        const t = prev.timers.find((x) => x.seq === e.seq);
        if (t) this.handled(t.node, 3, [t.name]);
        return;
      }
      case 'write': {
        const w = prev.writes.find((x) => x.seq === e.seq);
        if (w) this.handled(w.node, 4, [w.key]);
        return;
      }
      case 'submit': {
        const s = this.sys.workload[e.idx];
        if (s) this.handled(s.node, 5, [e.idx]);
        return;
      }
      case 'crash': {
        this.count(this.faults, 'crash');
        const label = this.lastLabel[e.node];
        this.count(this.crashPoints, label ? `after ${label}` : CRASH_BEFORE_ANY_STEP);
        this.lastLabel[e.node] = null;
        this.handled(e.node, 6, []);
        return;
      }
      case 'restart':
      case 'down':
      case 'up':
        this.count(this.faults, e.k);
        this.handled(e.node, e.k === 'restart' ? 7 : e.k === 'down' ? 8 : 9, []);
        return;
      case 'drop':
      case 'dup':
      case 'partition':
      case 'heal':
        this.count(this.faults, e.k);
        if (e.k === 'dup') {
          const orig = this.sendIds.get(e.seq);
          const copy = fx.sent[0];
          if (orig && copy) {
            const n = (this.copies.get(e.seq) ?? 0) + 1;
            this.copies.set(e.seq, n);
            this.sendIds.set(copy.seq, { ...orig, copy: n });
          }
        }
        return;
    }
  }

  private arrive(node: NodeId, kind: string): void {
    const seen = this.arrived[node];
    if (!seen) return;
    const role = this.roleOf(node);
    let roleKinds = this.kinds.get(role);
    if (!roleKinds) this.kinds.set(role, (roleKinds = new Set()));
    roleKinds.add(kind);
    for (const before of seen) if (before !== kind) this.runOrders.add(`${role}\u0000${before}\u0000${kind}`);
    if (!seen.has(kind)) this.arrived[node] = new Set(seen).add(kind);
  }

  private effects(fx: Effects): void {
    const node = fx.node;
    // Dup copies (no node) get the original's identity in `event`. Send identities only name
    // events in the happens-before skeleton, which graph mode does not build.
    if (node !== null && !this.graph) {
      for (const p of fx.sent) {
        const index = this.sendCount[p.from] ?? 0;
        this.sendCount[p.from] = index + 1;
        this.sendIds.set(p.seq, { from: p.from, index, copy: 0 });
      }
    }
    for (const c of fx.covers) {
      this.count(this.labels, c);
      if (node !== null && !isServer(this.sys, node)) this.lastLabel[node] = c;
    }
  }

  /** The run set's coverage as plain JSON; bucket defaults to a tenth of the runs, at most 1,000. */
  data(): CoverageData {
    if (this.inRun) this.endRun();
    const runs = this.runs;
    const bucket = this.graph ? 1 : (this.opts.bucket ?? Math.max(1, Math.min(1000, Math.ceil(runs / 10))));
    const points: SaturationPoint[] = [];
    let states = 0;
    let classes = 0;
    let orderClasses = 0;
    for (let from = 0; from < runs && !this.graph; from += bucket) {
      const to = Math.min(runs, from + bucket);
      let ns = 0;
      let nc = 0;
      let no = 0;
      for (let i = from; i < to; i++) {
        ns += this.newStates[i] ?? 0;
        nc += this.newClasses[i] ?? 0;
        no += this.newOrderClasses[i] ?? 0;
      }
      states += ns;
      classes += nc;
      orderClasses += no;
      const per = 1000 / (to - from);
      points.push({ runs: to, states, classes, newStatesPer1000: round(ns * per), newClassesPer1000: round(nc * per), orderClasses, newOrderClassesPer1000: round(no * per) });
    }
    const labels: Record<string, Record<string, number>> = {};
    for (const k of [...this.labels.keys()].sort()) {
      const role = labelRole(k);
      (labels[role] ??= {})[k] = this.labels.get(k) ?? 0;
    }
    const messageKinds: Record<string, string[]> = {};
    for (const role of [...this.kinds.keys()].sort()) messageKinds[role] = [...(this.kinds.get(role) ?? [])].sort();
    const messageOrders = [...this.orders.entries()]
      .map(([k, n]) => {
        const [role = '', first = '', second = ''] = k.split('\u0000');
        return { role, first, second, runs: n };
      })
      .sort((a, b) => cmp(a.role, b.role) || cmp(a.first, b.first) || cmp(a.second, b.second));
    return {
      runs,
      distinctStates: this.states.size,
      interleavingClasses: this.classes.size,
      orderClasses: this.orderClassSet.size,
      labels,
      messageKinds,
      messageOrders,
      crashPoints: sorted(this.crashPoints),
      faults: sorted(this.faults),
      saturation: { bucket, points },
    };
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sorted(m: ReadonlyMap<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k) ?? 0;
  return out;
}

/** Fans one stream of steps out to several observers. */
export function observers(...obs: readonly (StepObserver | undefined)[]): StepObserver {
  const list = obs.filter((o): o is StepObserver => o !== undefined);
  return {
    onStart: (w, fx) => list.forEach((o) => o.onStart?.(w, fx)),
    onStep: (e, fx, prev, next, now) => list.forEach((o) => o.onStep(e, fx, prev, next, now)),
    onEnd: (r) => list.forEach((o) => o.onEnd?.(r)),
  };
}

/**
 * Feeds an untimed choice sequence (fast-check, BFS counterexamples, replays) through a
 * collector: the cheap way for strategies without a step hook of their own to report coverage.
 */
export function observeChoices(c: CoverageCollector, choices: readonly Event[]): void {
  const init = start(c.sys);
  c.startRun(init.state.world, init.fx);
  let state: Checked = init.state;
  for (const e of choices) {
    const r = advance(c.sys, state, e);
    c.step(e, r.fx, state.world, r.state.world);
    state = r.state;
    if (r.violation) break;
  }
  c.endRun();
}

/** Merges the coverage of run sets over the same system (shards); states and classes add up. */
export function mergeCoverage(parts: readonly CoverageData[]): CoverageData {
  const labels: Record<string, Record<string, number>> = {};
  const kinds = new Map<string, Set<string>>();
  const orders = new Map<string, MessageOrder>();
  const crash = new Map<string, number>();
  const faults = new Map<string, number>();
  let runs = 0;
  let states = 0;
  let classes = 0;
  let orderClasses = 0;
  const points: SaturationPoint[] = [];
  for (const p of parts) {
    for (const [role, ls] of Object.entries(p.labels)) {
      const into = (labels[role] ??= {});
      for (const [l, n] of Object.entries(ls)) into[l] = (into[l] ?? 0) + n;
    }
    for (const [role, ks] of Object.entries(p.messageKinds)) {
      let s = kinds.get(role);
      if (!s) kinds.set(role, (s = new Set()));
      for (const k of ks) s.add(k);
    }
    for (const o of p.messageOrders) {
      const key = `${o.role}\u0000${o.first}\u0000${o.second}`;
      const had = orders.get(key);
      orders.set(key, { ...o, runs: (had?.runs ?? 0) + o.runs });
    }
    for (const [k, n] of Object.entries(p.crashPoints)) crash.set(k, (crash.get(k) ?? 0) + n);
    for (const [k, n] of Object.entries(p.faults)) faults.set(k, (faults.get(k) ?? 0) + n);
    for (const pt of p.saturation.points) {
      const po = pt.orderClasses === undefined ? {} : { orderClasses: orderClasses + pt.orderClasses };
      points.push({ ...pt, runs: runs + pt.runs, states: states + pt.states, classes: classes + pt.classes, ...po });
    }
    runs += p.runs;
    states += p.distinctStates;
    classes += p.interleavingClasses;
    orderClasses += p.orderClasses ?? 0;
  }
  const sortedLabels: Record<string, Record<string, number>> = {};
  for (const role of Object.keys(labels).sort()) {
    const ls = labels[role] ?? {};
    sortedLabels[role] = Object.fromEntries(Object.keys(ls).sort().map((k) => [k, ls[k] ?? 0]));
  }
  const messageKinds: Record<string, string[]> = {};
  for (const role of [...kinds.keys()].sort()) messageKinds[role] = [...(kinds.get(role) ?? [])].sort();
  return {
    runs,
    distinctStates: states,
    interleavingClasses: classes,
    orderClasses,
    labels: sortedLabels,
    messageKinds,
    messageOrders: [...orders.values()].sort((a, b) => cmp(a.role, b.role) || cmp(a.first, b.first) || cmp(a.second, b.second)),
    crashPoints: sorted(crash),
    faults: sorted(faults),
    saturation: { bucket: parts[0]?.saturation.bucket ?? 1, points },
  };
}

/** Every cover label reached, across roles. */
export function reachedLabels(c: CoverageData): Set<string> {
  const out = new Set<string>();
  for (const ls of Object.values(c.labels)) for (const [l, n] of Object.entries(ls)) if (n > 0) out.add(l);
  return out;
}
