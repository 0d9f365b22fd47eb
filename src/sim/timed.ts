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
  const at = new Map<number, number>();
  const fate = new Map<number, Fate>();
  const lastWrite = new Map<number, number>();
  const slowServers = new Set<number>();
  sys.servers.forEach((_, i) => {
    if (storageRng.chance(sc.servers.slow)) slowServers.add(sys.agents.length + i);
  });
  const submitAt = sys.workload.map(() => workloadRng.next() * sc.workload.spread);
  const choices: Event[] = [];
  const trace = new TraceFingerprint();
  const covers = new Map<string, number>();
  const faults = new Map<string, number>();
  /** Per slot, when it was first decided and what. */
  const firstDecision = new Map<number, { readonly at: number; readonly value: Value }>();
  let messages = 0;
  let storageOps = 0;
  let now = 0;
  let lastUnavailable = 0;
  let planIdx = 0;

  const schedule = (fx: Effects): void => {
    for (const p of fx.sent) schedulePacket(p);
    for (const t of fx.timersSet) at.set(t.seq, now + t.after * (1 + t.jitter * timerRng.next()));
    for (const w of fx.writesStarted) {
      const t = Math.max(lastWrite.get(w.node) ?? 0, now + draw(sc.storage.latency, storageRng));
      lastWrite.set(w.node, t);
      at.set(w.seq, t);
    }
    for (const c of fx.covers) covers.set(c, (covers.get(c) ?? 0) + 1);
    for (const d of fx.decisions) {
      if (!firstDecision.has(d.slot)) firstDecision.set(d.slot, { at: now, value: d.value });
    }
  };
  const schedulePacket = (p: Packet): void => {
    if (p.body.kind === 'msg') messages++;
    else if (p.body.kind === 'op') storageOps++;
    let delay = draw(sc.network.delay, netRng);
    if (isServer(sys, p.to) && slowServers.has(p.to)) delay *= sc.servers.slowFactor;
    at.set(p.seq, now + delay);
    const r = netRng.next();
    fate.set(p.seq, r < sc.network.drop ? 'drop' : r < sc.network.drop + sc.network.duplicate ? 'dup' : 'deliver');
  };

  const init = start(sys);
  let state: Checked = init.state;
  let violation = init.violation;
  for (const f of init.fx) {
    trace.effects(f);
    schedule(f);
  }
  opts.observer?.onStart?.(state.world, init.fx);

  const count = (k: string): void => void faults.set(k, (faults.get(k) ?? 0) + 1);

  while (violation === null && choices.length < sc.maxSteps) {
    const w: World = state.world;
    let best: Event | null = null;
    let bestAt = Infinity;
    let bestSeq = Infinity;
    const consider = (e: Event, t: number, seq: number): void => {
      if (t < bestAt || (t === bestAt && seq < bestSeq)) {
        best = e;
        bestAt = t;
        bestSeq = seq;
      }
    };
    for (const p of w.net) consider({ k: 'deliver', seq: p.seq }, at.get(p.seq) ?? now, p.seq);
    for (const t of w.timers) consider({ k: 'timer', seq: t.seq }, at.get(t.seq) ?? now, t.seq);
    for (const x of completableWrites(w)) consider({ k: 'write', seq: x.seq }, at.get(x.seq) ?? now, x.seq);
    for (const idx of w.pending) {
      const sub = sys.workload[idx];
      if (sub && w.agents[sub.node]?.up) consider({ k: 'submit', idx }, Math.max(now, submitAt[idx] ?? 0), -1 - idx);
    }
    const pf = plan[planIdx];
    if (pf && pf.at <= bestAt && pf.at <= sc.horizon) {
      planIdx++;
      now = Math.max(now, pf.at);
      const e = plannedEvent(pf, w);
      if (e === null) continue;
      best = e;
    } else if (best === null || bestAt > sc.horizon) {
      break;
    } else {
      const picked = best as Event;
      if (opts.steer && picked.k === 'deliver' && (fate.get(picked.seq) ?? 'deliver') === 'deliver') {
        const later = opts.steer.postpone(picked.seq, bestAt, state);
        if (later !== null && later > bestAt) {
          at.set(picked.seq, later);
          continue;
        }
      }
      now = Math.max(now, bestAt);
    }
    let e: Event = best;
    if (e.k === 'deliver') {
      const seq = e.seq;
      const f = fate.get(seq) ?? 'deliver';
      if (f === 'drop') e = { k: 'drop', seq };
      else if (f === 'dup') {
        e = { k: 'dup', seq };
        fate.set(seq, 'deliver');
      } else {
        const p = w.net.find((x) => x.seq === seq);
        if (p && p.body.kind === 'op' && storageRng.chance(sc.storage.faults)) {
          const server = w.servers[p.to - sys.agents.length];
          const allowed = server && server.up ? faultsFor(server.data.kind, p.body.req, server.data) : [];
          const kinds = sc.storage.kinds;
          const options = kinds ? allowed.filter((f) => kinds.includes(f)) : allowed;
          if (options.length > 0) e = { k: 'deliver', seq, fault: storageRng.pick(options) };
        }
      }
    }
    const r = advance(sys, state, e);
    opts.observer?.onStep(e, r.fx, state.world, r.state.world, now);
    state = r.state;
    violation = r.violation;
    choices.push(e);
    trace.add(e, r.fx);
    if (e.k === 'dup') {
      const copy = r.fx.sent[0];
      if (copy) {
        at.set(copy.seq, now + draw(sc.network.delay, netRng));
        fate.set(copy.seq, 'deliver');
      }
      continue;
    }
    if (e.k !== 'deliver' && e.k !== 'timer' && e.k !== 'write' && e.k !== 'submit') {
      count(e.k);
      if (!quorumAvailable(sys, state.world)) lastUnavailable = now;
    } else if (e.k === 'deliver' && e.fault) count(e.fault);
    if (e.k === 'drop') continue;
    schedule(r.fx);
  }
  if (!quorumAvailable(sys, state.world)) lastUnavailable = now;

  const slots = sys.slots;
  let slotsDecided = 0;
  let lastDecision = 0;
  for (let s = 0; s < slots; s++) {
    const t = firstDecision.get(s)?.at;
    if (t !== undefined) {
      slotsDecided++;
      lastDecision = Math.max(lastDecision, t);
    }
  }
  const decided = slotsDecided === slots;
  const firstSubmit = submitAt.length > 0 ? Math.min(...submitAt) : 0;
  const end = Math.max(now, 1);
  const undecided: Undecided | null = decided ? null : classifyUndecided(sys, state.world, new Set([...firstDecision.values()].map((d) => d.value)), lastUnavailable, end);
  const result: RunResult = {
    seed,
    run,
    events: choices.length,
    endTime: now,
    violation,
    choices,
    trace: trace.finish(state.world),
    liveness: {
      decided,
      slotsDecided,
      latency: decided ? lastDecision - firstSubmit : null,
      ballots: state.hist.ballots.length,
      messages,
      storageOps,
      undecided,
    },
    covers,
    faults,
    log: Array.from({ length: slots }, (_, slot) => firstDecision.get(slot)?.value ?? null),
    plan,
  };
  opts.observer?.onEnd?.(result);
  return result;
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
