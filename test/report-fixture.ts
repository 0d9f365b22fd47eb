// A tiny single-decree Paxos for the report, coverage and adversary tests: small enough to read
// at a glance, real enough to duel, crash, recover and (as a mutant) break agreement.

import type { AgentBehaviour, NodeId, NodeView, System } from '../src/kernel/types.js';
import { asAgent } from '../src/kernel/types.js';
import type { ProtocolFamily } from '../src/protocols/family.js';
import { families } from '../src/protocols/index.js';
import type { Scenario, ScenarioInput } from '../src/scenario/schema.js';
import { scenarioSchema } from '../src/scenario/schema.js';

type Msg =
  | { readonly t: 'prepare'; readonly b: number }
  | { readonly t: 'promise'; readonly b: number; readonly vb: number; readonly v: string | null }
  | { readonly t: 'nack'; readonly b: number; readonly promised: number }
  | { readonly t: 'accept'; readonly b: number; readonly v: string }
  | { readonly t: 'accepted'; readonly b: number }
  | { readonly t: 'decided'; readonly v: string };

interface Proposer {
  readonly value: string | null;
  readonly round: number;
  readonly ballot: number;
  readonly phase: 'idle' | 'prepare' | 'accept' | 'done';
  readonly promises: readonly NodeId[];
  readonly best: { readonly vb: number; readonly v: string } | null;
  readonly proposal: string | null;
  readonly accepts: readonly NodeId[];
  readonly decided: string | null;
}

interface Acceptor {
  readonly promised: number;
  readonly vb: number;
  readonly v: string | null;
  readonly owed: readonly { readonly to: NodeId; readonly msg: Msg }[];
}

export interface TinyOptions {
  readonly proposers?: number;
  readonly acceptors?: number;
  readonly backoff?: 'randomized' | 'deterministic';
  /** `ignore-promises`: the proposer proposes its own value even when a promise carries a vote. */
  readonly mutant?: string;
  readonly timeout?: number;
}

export function tinyPaxos(o: TinyOptions = {}): System {
  const P = o.proposers ?? 2;
  const A = o.acceptors ?? 3;
  const T = o.timeout ?? 30;
  const jitter = (o.backoff ?? 'randomized') === 'randomized' ? 1 : 0;
  const acceptors = Array.from({ length: A }, (_, i) => P + i);
  const quorum = Math.floor(A / 2) + 1;
  const idle: Proposer = { value: null, round: 0, ballot: -1, phase: 'idle', promises: [], best: null, proposal: null, accepts: [], decided: null };

  const proposer: AgentBehaviour<Proposer, Msg> = {
    role: 'proposer',
    init: () => idle,
    onSubmit: (s, value, ctx) => startBallot({ ...s, value }, ctx),
    onTimer: (s, _name, ctx) => {
      if (s.phase === 'done') return s;
      ctx.cover('proposer.retry');
      return startBallot(s, ctx);
    },
    onMessage: (s, from, m, ctx) => {
      if (m.t === 'decided') {
        if (s.decided !== null) return s;
        ctx.cover('proposer.learn');
        ctx.decide(0, m.v);
        ctx.cancelTimer('retry');
        return { ...s, phase: 'done', decided: m.v };
      }
      if (m.t === 'promise' && s.phase === 'prepare' && m.b === s.ballot && !s.promises.includes(from)) {
        const best = m.v !== null && m.vb > (s.best?.vb ?? -1) ? { vb: m.vb, v: m.v } : s.best;
        const promises = [...s.promises, from];
        if (promises.length < quorum) return { ...s, promises, best };
        const proposal = o.mutant === 'ignore-promises' ? (s.value as string) : (best?.v ?? (s.value as string));
        ctx.cover(best ? 'proposer.accept.adopted' : 'proposer.accept.own');
        for (const a of acceptors) ctx.send(a, { t: 'accept', b: s.ballot, v: proposal });
        return { ...s, promises, best, proposal, phase: 'accept', accepts: [] };
      }
      if (m.t === 'accepted' && s.phase === 'accept' && m.b === s.ballot && !s.accepts.includes(from)) {
        const accepts = [...s.accepts, from];
        if (accepts.length < quorum) return { ...s, accepts };
        ctx.cover('proposer.decide');
        const v = s.proposal as string;
        ctx.decide(0, v);
        ctx.cancelTimer('retry');
        for (let p = 0; p < P; p++) if (p !== ctx.self) ctx.send(p, { t: 'decided', v });
        return { ...s, accepts, phase: 'done', decided: v };
      }
      if (m.t === 'nack' && m.b === s.ballot) {
        ctx.cover('proposer.nack');
        return { ...s, round: Math.max(s.round, Math.floor(m.promised / P)) };
      }
      return s;
    },
    onWriteDone: (s) => s,
    onReply: (s) => s,
    recover: (_d, ctx) => {
      ctx.cover('proposer.recover');
      return idle;
    },
    view: (s): NodeView => (s.decided !== null ? { decided: { 0: s.decided } } : {}),
  };

  function startBallot(s: Proposer, ctx: Parameters<typeof proposer.init>[0]): Proposer {
    if (s.value === null) return s;
    const round = s.round + 1;
    const ballot = round * P + ctx.self;
    ctx.cover('proposer.prepare');
    for (const a of acceptors) ctx.send(a, { t: 'prepare', b: ballot });
    ctx.setTimer('retry', T, jitter);
    return { ...s, round, ballot, phase: 'prepare', promises: [], best: null, accepts: [] };
  }

  const persist = (s: Acceptor, ctx: Parameters<typeof proposer.init>[0], to: NodeId, msg: Msg): Acceptor => {
    ctx.write('acc', { promised: s.promised, vb: s.vb, v: s.v });
    return { ...s, owed: [...s.owed, { to, msg }] };
  };

  const acceptor: AgentBehaviour<Acceptor, Msg> = {
    role: 'acceptor',
    init: () => ({ promised: -1, vb: -1, v: null, owed: [] }),
    onMessage: (s, from, m, ctx) => {
      if (m.t === 'prepare') {
        if (m.b > s.promised) {
          ctx.cover('acceptor.prepare.promised');
          return persist({ ...s, promised: m.b }, ctx, from, { t: 'promise', b: m.b, vb: s.vb, v: s.v });
        }
        ctx.cover('acceptor.prepare.rejected');
        ctx.send(from, { t: 'nack', b: m.b, promised: s.promised });
        return s;
      }
      if (m.t === 'accept') {
        if (m.b >= s.promised) {
          ctx.cover('acceptor.accept.accepted');
          return persist({ ...s, promised: m.b, vb: m.b, v: m.v }, ctx, from, { t: 'accepted', b: m.b });
        }
        ctx.cover('acceptor.accept.rejected');
        ctx.send(from, { t: 'nack', b: m.b, promised: s.promised });
      }
      return s;
    },
    onWriteDone: (s, _key, ctx) => {
      const [first, ...rest] = s.owed;
      if (first) ctx.send(first.to, first.msg);
      return { ...s, owed: rest };
    },
    onTimer: (s) => s,
    onReply: (s) => s,
    onSubmit: (s) => s,
    recover: (durable, ctx) => {
      ctx.cover('acceptor.recover');
      const d = (durable['acc'] ?? null) as { promised: number; vb: number; v: string | null } | null;
      return d ? { promised: d.promised, vb: d.vb, v: d.v, owed: [] } : { promised: -1, vb: -1, v: null, owed: [] };
    },
    view: (s) => ({ promised: s.promised, votes: s.v !== null ? [[0, s.vb, s.v]] : [] }),
  };

  return {
    protocol: 'tiny',
    agents: [...Array.from({ length: P }, () => asAgent(proposer)), ...acceptors.map(() => asAgent(acceptor))],
    servers: [],
    workload: Array.from({ length: P }, (_, i) => ({ node: i, value: `v${i}` })),
    acceptors,
    replicas: [],
    slots: 1,
  };
}

/** The tiny protocol as a family, for library calls that look protocols up by name. */
export const tinyFamily: ProtocolFamily = {
  name: 'tiny',
  description: 'single-decree Paxos (test fixture)',
  mutants: [{ name: 'ignore-promises', protocol: 'tiny', description: 'proposes its own value over a promised vote' }],
  build: (b) => tinyPaxos({ proposers: b.topology.proposers, acceptors: b.topology.acceptors, backoff: b.topology.backoff, mutant: b.mutant }),
};

/** Registers the fixture family for this test file's process (each vitest file runs in its own fork). */
export function registerTiny(): void {
  const list = families as ProtocolFamily[];
  if (!list.some((f) => f.name === 'tiny')) list.push(tinyFamily);
}

export function scenario(over: Partial<ScenarioInput> = {}): Scenario {
  return scenarioSchema.parse({
    name: 'tiny',
    description: 'fixture',
    topology: { proposers: 2, acceptors: 3 },
    runs: 40,
    horizon: 2000,
    workload: { spread: 0 },
    network: { delay: { dist: 'uniform', min: 1, max: 12 }, drop: 0.02, duplicate: 0.02 },
    storage: { latency: { dist: 'uniform', min: 1, max: 4 } },
    crashes: { count: 1, downtime: { dist: 'uniform', min: 10, max: 100 }, within: 200 },
    ...over,
  });
}
