import { draw } from '../kernel/clock.js';
import type { Event } from '../kernel/events.js';
import { faultsFor } from '../kernel/servers.js';
import type { Hash64 } from '../kernel/hash.js';
import { RngStreams } from '../kernel/rng.js';
import { TraceFingerprint } from '../kernel/trace.js';
import type { Packet, System, Value } from '../kernel/types.js';
import type { Effects, World } from '../kernel/world.js';
import { completableWrites, isServer } from '../kernel/world.js';
import type { Scenario } from '../scenario/schema.js';
import type { Violation } from '../properties/index.js';
import type { Undecided } from './availability.js';
import { classifyUndecided, quorumAvailable } from './availability.js';
import type { Checked } from '../step/checked.js';
import { advance, start } from '../step/checked.js';
import type { FaultPlan, PlannedFault } from './fault-plan.js';
import { planFaults, resolvePlan } from './fault-plan.js';

export type { Undecided } from './availability.js';

/** Liveness facts of one run (never a failure by themselves). */
export interface Liveness {
  readonly decided: boolean;
  readonly slotsDecided: number;
  /** Virtual time from the first submission to the last slot's first decision. */
  readonly latency: number | null;
  readonly ballots: number;
  readonly messages: number;
  readonly storageOps: number;
  readonly undecided: Undecided | null;
}

export interface RunResult {
  readonly seed: number;
  readonly run: number;
  readonly events: number;
  readonly endTime: number;
  readonly violation: Violation | null;
  readonly choices: readonly Event[];
  readonly trace: Hash64;
  readonly liveness: Liveness;
  readonly covers: ReadonlyMap<string, number>;
  readonly faults: ReadonlyMap<string, number>;
  /** Per slot, the first value any node decided (null: undecided), for side-by-side comparison. */
  readonly log: readonly (Value | null)[];
  /** The environment faults this run was planned with, on its own nodes. */
  readonly plan: readonly PlannedFault[];
  /** The client commands submitted, with their submission and first decision times. */
  readonly commands?: readonly CommandTiming[];
  /** The environment faults as applied (planned ones that no longer applied left out). */
  readonly applied?: readonly AppliedFault[];
}

type Fate = 'deliver' | 'drop' | 'dup';

/** Watches every applied step of a run (coverage collectors, adversaries' statistics). */
export interface StepObserver {
  /** The world after the init handlers, with their effects (sends and cover labels at time 0). */
  onStart?(w: World, fx: readonly Effects[]): void;
  onStep(e: Event, fx: Effects, prev: World, next: World, now: number): void;
  onEnd?(r: RunResult): void;
}

/** Lets an adversary postpone the delivery the scheduler picked (see explore/adversary.ts). */
export interface Steer {
  /** A later virtual time for delivering packet `seq` (due at `at`), or null to deliver it now. */
  postpone(seq: number, at: number, state: Checked): number | null;
}

/** A fault of the environment as applied in a run, at its virtual time (for latency-over-time plots). */
export interface AppliedFault {
  readonly at: number;
  readonly k: 'crash' | 'restart' | 'down' | 'up' | 'partition' | 'heal';
  /** The node crashed, restarted, taken down or brought up; none for partition and heal. */
  readonly node?: number;
}

/** One client command of a run: when it was submitted and when its value was first decided. */
export interface CommandTiming {
  readonly at: number;
  /** Virtual time of the first decision of its value in any slot; null: never decided. */
  readonly decidedAt: number | null;
}

/**
 * Virtual times of everything pending in one timed run, and the draws that set them: a delay and
 * a fate per packet from the network's stream, a firing time per timer, a completion per write
 * (a node's writes complete in order), from streams of their own.
 */
class Clock {
  readonly at = new Map<number, number>();
  readonly fate = new Map<number, Fate>();
  private readonly lastWrite = new Map<number, number>();
  readonly slowServers = new Set<number>();
  messages = 0;
  storageOps = 0;
  now = 0;

  constructor(
    private readonly sys: System,
    private readonly sc: Scenario,
    private readonly rng: { readonly net: Rng; readonly timer: Rng; readonly storage: Rng },
  ) {
    sys.servers.forEach((_, i) => {
      if (rng.storage.chance(sc.servers.slow)) this.slowServers.add(sys.agents.length + i);
    });
  }

  /** Times what a step started: its packets, timers and writes. */
  schedule(fx: Effects): void {
    for (const p of fx.sent) this.schedulePacket(p);
    for (const t of fx.timersSet) this.at.set(t.seq, this.now + t.after * (1 + t.jitter * this.rng.timer.next()));
    for (const w of fx.writesStarted) {
      const t = Math.max(this.lastWrite.get(w.node) ?? 0, this.now + draw(this.sc.storage.latency, this.rng.storage));
      this.lastWrite.set(w.node, t);
      this.at.set(w.seq, t);
    }
  }

  private schedulePacket(p: Packet): void {
    if (p.body.kind === 'msg') this.messages++;
    else if (p.body.kind === 'op') this.storageOps++;
    let delay = draw(this.sc.network.delay, this.rng.net);
    if (isServer(this.sys, p.to) && this.slowServers.has(p.to)) delay *= this.sc.servers.slowFactor;
    this.at.set(p.seq, this.now + delay);
    const r = this.rng.net.next();
    const n = this.sc.network;
    this.fate.set(p.seq, r < n.drop ? 'drop' : r < n.drop + n.duplicate ? 'dup' : 'deliver');
  }

  /** A duplicate's copy travels on its own delay and is delivered. */
  scheduleCopy(copy: Packet): void {
    this.at.set(copy.seq, this.now + draw(this.sc.network.delay, this.rng.net));
    this.fate.set(copy.seq, 'deliver');
  }

  /** The earliest enabled event at w (ties by sequence number; submissions first), or null. */
  earliest(w: World, submitAt: readonly number[]): { readonly e: Event; readonly at: number } | null {
    // Runs before every step over everything pending: it keeps only the winner's kind and
    // number, and builds one event at the end.
    let kind: 'deliver' | 'timer' | 'write' | 'submit' | null = null;
    let id = 0;
    let bestAt = Infinity;
    let bestSeq = Infinity;
    const consider = (k: NonNullable<typeof kind>, n: number, t: number, seq: number): void => {
      if (t > bestAt || (t === bestAt && seq >= bestSeq)) return;
      kind = k;
      id = n;
      bestAt = t;
      bestSeq = seq;
    };
    const now = this.now;
    for (const p of w.net) consider('deliver', p.seq, this.at.get(p.seq) ?? now, p.seq);
    for (const x of w.timers) consider('timer', x.seq, this.at.get(x.seq) ?? now, x.seq);
    if (w.writes.length > 0) for (const x of completableWrites(w)) consider('write', x.seq, this.at.get(x.seq) ?? now, x.seq);
    for (const idx of w.pending) {
      const sub = this.sys.workload[idx];
      if (sub && w.agents[sub.node]?.up) consider('submit', idx, Math.max(now, submitAt[idx] ?? 0), -1 - idx);
    }
    if (kind === null) return null;
    const e: Event = kind === 'submit' ? { k: 'submit', idx: id } : { k: kind, seq: id };
    return { e, at: bestAt };
  }

  /**
   * A delivery becomes what the network drew for its packet: a drop, a duplicate (once), or the
   * delivery, which at a server may meet a storage fault the scenario allows.
   */
  resolve(e: Event, w: World): Event {
    if (e.k !== 'deliver') return e;
    const seq = e.seq;
    const f = this.fate.get(seq) ?? 'deliver';
    if (f === 'drop') return { k: 'drop', seq };
    if (f === 'dup') {
      this.fate.set(seq, 'deliver');
      return { k: 'dup', seq };
    }
    const p = w.net.find((x) => x.seq === seq);
    if (p && p.body.kind === 'op' && this.rng.storage.chance(this.sc.storage.faults)) {
      const server = w.servers[p.to - this.sys.agents.length];
      const allowed = server && server.up ? faultsFor(server.data.kind, p.body.req, server.data) : [];
      const kinds = this.sc.storage.kinds;
      const options = kinds ? allowed.filter((k) => kinds.includes(k)) : allowed;
      if (options.length > 0) return { k: 'deliver', seq, fault: this.rng.storage.pick(options) };
    }
    return e;
  }
}

type Rng = ReturnType<RngStreams['get']>;

/** What a run's liveness and result record of its decisions, cover labels and faults. */
class RunRecord {
  readonly covers = new Map<string, number>();
  readonly faults = new Map<string, number>();
  /** Per slot, when it was first decided and what. */
  readonly firstDecision = new Map<number, { readonly at: number; readonly value: Value }>();
  /** Per value, when it was first decided in any slot. */
  private readonly decidedAt = new Map<Value, number>();
  private readonly submittedAt = new Map<number, number>();
  readonly applied: AppliedFault[] = [];
  lastUnavailable = 0;

  effects(fx: Effects, now: number): void {
    for (const c of fx.covers) this.covers.set(c, (this.covers.get(c) ?? 0) + 1);
    for (const d of fx.decisions) {
      if (!this.firstDecision.has(d.slot)) this.firstDecision.set(d.slot, { at: now, value: d.value });
      if (!this.decidedAt.has(d.value)) this.decidedAt.set(d.value, now);
    }
  }

  count(k: string): void {
    this.faults.set(k, (this.faults.get(k) ?? 0) + 1);
  }

  /** Bookkeeping of an applied step that is not a delivery: submissions and environment faults. */
  event(e: Event, now: number): void {
    if (e.k === 'submit') {
      if (!this.submittedAt.has(e.idx)) this.submittedAt.set(e.idx, now);
      return;
    }
    if (e.k === 'crash' || e.k === 'restart' || e.k === 'down' || e.k === 'up') this.applied.push({ at: now, k: e.k, node: e.node });
    else if (e.k === 'partition' || e.k === 'heal') this.applied.push({ at: now, k: e.k });
  }

  commands(sys: System): CommandTiming[] {
    return sys.workload.flatMap((sub, idx) => {
      const at = this.submittedAt.get(idx);
      return at === undefined ? [] : [{ at, decidedAt: this.decidedAt.get(sub.value) ?? null }];
    });
  }
}

/**
 * The timed scheduler: every pending item carries a virtual time drawn from the scenario's
 * distributions; the earliest goes next (ties by sequence number). Network fates are drawn when
 * a packet is sent, from the network's own stream.
 */
export function runTimed(
  sys: System,
  sc: Scenario,
  seed: number,
  run: number,
  opts: { plan?: FaultPlan; observer?: StepObserver; steer?: Steer } = {},
): RunResult {
  const streams = new RngStreams(`${seed}:${run}`);
  const netRng = streams.get('network');
  const timerRng = streams.get('timers');
  const storageRng = streams.get('storage');
  const workloadRng = streams.get('workload');
  const plan = resolvePlan(opts.plan ?? planFaults(sc, streams.get('faults')), sys);
  const clock = new Clock(sys, sc, { net: netRng, timer: timerRng, storage: storageRng });
  const submitAt = sys.workload.map(() => workloadRng.next() * sc.workload.spread);
  const choices: Event[] = [];
  const trace = new TraceFingerprint();
  const rec = new RunRecord();
  const schedule = (fx: Effects): void => {
    clock.schedule(fx);
    rec.effects(fx, clock.now);
  };

  const init = start(sys);
  let state: Checked = init.state;
  let violation = init.violation;
  for (const f of init.fx) {
    trace.effects(f);
    schedule(f);
  }
  opts.observer?.onStart?.(state.world, init.fx);

  const cursor = { plan: 0 };
  while (violation === null && choices.length < sc.maxSteps) {
    const w: World = state.world;
    const next = pickNext(plan, cursor, clock, w, submitAt, sc, opts.steer, state);
    if (next === 'end') break;
    if (next === 'again') continue;
    const e = clock.resolve(next, w);
    const r = advance(sys, state, e);
    opts.observer?.onStep(e, r.fx, state.world, r.state.world, clock.now);
    state = r.state;
    violation = r.violation;
    choices.push(e);
    trace.add(e, r.fx);
    if (noteStep(sys, clock, rec, e, r.fx, state.world)) schedule(r.fx);
  }
  if (!quorumAvailable(sys, state.world)) rec.lastUnavailable = clock.now;

  const result: RunResult = {
    seed,
    run,
    events: choices.length,
    endTime: clock.now,
    violation,
    choices,
    trace: trace.finish(state.world),
    liveness: liveness(sys, state, clock, rec, submitAt),
    covers: rec.covers,
    faults: rec.faults,
    log: Array.from({ length: sys.slots }, (_, slot) => rec.firstDecision.get(slot)?.value ?? null),
    plan,
    commands: rec.commands(sys),
    applied: rec.applied,
  };
  opts.observer?.onEnd?.(result);
  return result;
}

/**
 * The next event: the fault plan's next fault when it is due first (`again` when it no longer
 * applies), else the earliest pending item unless the adversary postpones it (`again`); `end`
 * past the horizon or with nothing pending.
 */
function pickNext(
  plan: readonly PlannedFault[],
  cursor: { plan: number },
  clock: Clock,
  w: World,
  submitAt: readonly number[],
  sc: Scenario,
  steer: Steer | undefined,
  state: Checked,
): Event | 'again' | 'end' {
  const next = clock.earliest(w, submitAt);
  const bestAt = next?.at ?? Infinity;
  const pf = plan[cursor.plan];
  if (pf && pf.at <= bestAt && pf.at <= sc.horizon) {
    cursor.plan++;
    clock.now = Math.max(clock.now, pf.at);
    return plannedEvent(pf, w) ?? 'again';
  }
  if (next === null || bestAt > sc.horizon) return 'end';
  if (postponed(steer, clock, next.e, bestAt, state)) return 'again';
  clock.now = Math.max(clock.now, bestAt);
  return next.e;
}

/**
 * Bookkeeping of an applied step: a duplicate's copy gets its own delay, environment faults and
 * storage faults are counted (and whether a quorum is still reachable noted). Returns whether
 * what the step started is to be scheduled (not for a drop or a duplicate).
 */
function noteStep(sys: System, clock: Clock, rec: RunRecord, e: Event, fx: Effects, w: World): boolean {
  if (e.k === 'dup') {
    const copy = fx.sent[0];
    if (copy) clock.scheduleCopy(copy);
    return false;
  }
  rec.event(e, clock.now);
  if (e.k !== 'deliver' && e.k !== 'timer' && e.k !== 'write' && e.k !== 'submit') {
    rec.count(e.k);
    if (!quorumAvailable(sys, w)) rec.lastUnavailable = clock.now;
  } else if (e.k === 'deliver' && e.fault) rec.count(e.fault);
  return e.k !== 'drop';
}

/** Lets the adversary hold back the delivery picked; true: it was postponed, pick again. */
function postponed(steer: Steer | undefined, clock: Clock, picked: Event, at: number, state: Checked): boolean {
  if (!steer || picked.k !== 'deliver' || (clock.fate.get(picked.seq) ?? 'deliver') !== 'deliver') return false;
  const later = steer.postpone(picked.seq, at, state);
  if (later === null || later <= at) return false;
  clock.at.set(picked.seq, later);
  return true;
}

/** The run's liveness: decided or not by the horizon, latency, rounds, traffic, and why not. */
function liveness(sys: System, state: Checked, clock: Clock, rec: RunRecord, submitAt: readonly number[]): Liveness {
  const slots = sys.slots;
  let slotsDecided = 0;
  let lastDecision = 0;
  for (let s = 0; s < slots; s++) {
    const t = rec.firstDecision.get(s)?.at;
    if (t !== undefined) {
      slotsDecided++;
      lastDecision = Math.max(lastDecision, t);
    }
  }
  const decided = slotsDecided === slots;
  const firstSubmit = submitAt.length > 0 ? Math.min(...submitAt) : 0;
  const end = Math.max(clock.now, 1);
  const values = new Set([...rec.firstDecision.values()].map((d) => d.value));
  const undecided: Undecided | null = decided ? null : classifyUndecided(sys, state.world, values, rec.lastUnavailable, end);
  return {
    decided,
    slotsDecided,
    latency: decided ? lastDecision - firstSubmit : null,
    ballots: state.hist.ballots.length,
    messages: clock.messages,
    storageOps: clock.storageOps,
    undecided,
  };
}

function plannedEvent(pf: PlannedFault, w: World): Event | null {
  switch (pf.k) {
    case 'crash':
      return w.agents[pf.node]?.up ? { k: 'crash', node: pf.node } : null;
    case 'restart':
      return w.agents[pf.node] && !w.agents[pf.node]?.up ? { k: 'restart', node: pf.node } : null;
    case 'down': {
      const s = w.servers[pf.node - w.agents.length];
      return s?.up ? { k: 'down', node: pf.node } : null;
    }
    case 'up': {
      const s = w.servers[pf.node - w.agents.length];
      return s && !s.up ? { k: 'up', node: pf.node } : null;
    }
    case 'partition':
      return w.partition === null ? { k: 'partition', groups: pf.groups } : null;
    case 'heal':
      return w.partition !== null ? { k: 'heal' } : null;
  }
}
