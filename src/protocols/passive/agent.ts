import type { AgentBehaviour, Context, NodeId, ServerReply, Value } from '../../kernel/types.js';
import type { Decided } from '../disk/log.js';
import { CMDS, RETRY, agentView, armRetry, durableCommands, majority, nextInput, withDecision } from '../disk/log.js';
import type { PassiveRules } from './rules.js';

// A passive-Paxos agent: proposer and learner at once, talking only to passive servers. The
// acceptor's rule runs inside the agent, over the data the servers store; how it is run is the
// business of an Access (append-only list or conditional put). Classic Paxos is all that is left.

/** An accepted vote: [ballot, value]. */
export type Vote = readonly [number, Value];

export type Op =
  | { readonly k: 'read' }
  | { readonly k: 'prepare'; readonly b: number }
  | { readonly k: 'accept'; readonly b: number; readonly v: Value };

export type Outcome =
  | { readonly k: 'read' }
  /** The server's acceptor state promised b; `vote` is what it had accepted before. */
  | { readonly k: 'promised'; readonly vote: Vote | null }
  | { readonly k: 'accepted' }
  | { readonly k: 'rejected'; readonly promise: number };

export interface Replied<A> {
  readonly a: A;
  /** Set once the current operation has its answer at this server. */
  readonly outcome?: Outcome;
  /** The server holds a hint that the slot is decided (a pPaxos COMMIT): look again soon. */
  readonly hint?: boolean;
}

/** Where an operation goes: one server, the slot's key there, and the tag its replies carry. */
export interface Io {
  readonly ctx: Context;
  readonly server: NodeId;
  readonly key: string;
  readonly tag: number;
}

/** How the acceptor rule is executed over one kind of passive server. */
export interface Access<A> {
  /** Prefix of the coverage labels. */
  readonly label: string;
  /** What the agent knows of one server at the start of a slot. */
  fresh(): A;
  begin(a: A, op: Op, io: Io): A;
  /** A reply carrying the current operation's tag. */
  reply(a: A, op: Op, r: ServerReply, io: Io): Replied<A>;
  /** Nothing came back for a while: send again what is outstanding. */
  retry(a: A, op: Op, io: Io): A;
  /** Votes the agent has seen accepted at this server in this slot; each was a vote when seen. */
  votes(a: A): readonly Vote[];
  /** Grows with every write seen at the server: a stalled slot keeps it still. */
  progress(a: A): number;
  /** After deciding: leave a hint for the other agents (pPaxos COMMIT). */
  decided?(a: A, v: Value, io: Io): void;
  /** Invariants of the acceptor state the agent has computed for this server. */
  broken?(a: A): readonly string[];
}

export interface PassiveConfig {
  readonly agents: number;
  readonly servers: readonly NodeId[];
  readonly slots: number;
  readonly randomized: boolean;
  readonly rules: PassiveRules;
}

interface PerServer<A> {
  readonly a: A;
  readonly tag: number;
  readonly outcome: Outcome | null;
}

export type Mode =
  /** Watching the slot: learning it, or waiting for a ballot that beat ours (`defer`). */
  | { readonly k: 'poll'; readonly defer: boolean; readonly polls: number; readonly last: number | null; readonly hinted: boolean }
  | { readonly k: 'phase'; readonly op: Op }
  | { readonly k: 'finished' };

export interface AgentState<A> {
  readonly p: number;
  readonly inc: number;
  readonly cmds: readonly Value[];
  readonly decided: Decided;
  readonly slot: number;
  /** Highest ballot seen in this slot, so the next ballot outbids it. */
  readonly maxSeen: number;
  readonly servers: readonly PerServer<A>[];
  readonly mode: Mode;
  readonly tag: number;
}

/** Polls an agent that lost to a higher ballot waits before it starts another anyway. */
const PATIENCE = 2;

export { passiveBallot } from './rules.js';

/**
 * The value chosen in the slot, from what the agent has read: accepted at one ballot by a
 * majority of servers (counted under rules.ts `voteKey`).
 */
export function chosenValue(votes: readonly (readonly Vote[])[], rules: PassiveRules): Value | null {
  const need = majority(votes.length);
  const count = new Map<string, { v: Value; servers: number }>();
  for (const seen of votes) {
    const here = new Set<string>();
    for (const [b, v] of seen) {
      const key = rules.voteKey(b, v);
      if (here.has(key)) continue;
      here.add(key);
      const c = count.get(key) ?? { v, servers: 0 };
      count.set(key, { v, servers: c.servers + 1 });
    }
  }
  for (const c of count.values()) if (c.servers >= need) return c.v;
  return null;
}

/** One agent's fixed facts and the effects every phase uses. */
interface Agent<A> {
  readonly p: number;
  readonly cfg: PassiveConfig;
  readonly access: Access<A>;
  /** Number of servers, and how many make a majority. */
  readonly S: number;
  readonly need: number;
  label(x: string): string;
  arm(ctx: Context): void;
  /** The current slot's key at every server. */
  key(s: AgentState<A>): string;
  io(s: AgentState<A>, i: number, tag: number, ctx: Context): Io;
  freshServers(): PerServer<A>[];
}

function agentOf<A>(p: number, cfg: PassiveConfig, access: Access<A>): Agent<A> {
  const key = (s: AgentState<A>): string => String(s.slot);
  return {
    p,
    cfg,
    access,
    S: cfg.servers.length,
    need: majority(cfg.servers.length),
    label: (x) => `${access.label}.${x}`,
    arm: (ctx) => armRetry(ctx, cfg.randomized),
    key,
    io: (s, i, tag, ctx) => ({ ctx, server: cfg.servers[i] as NodeId, key: key(s), tag }),
    freshServers: () => cfg.servers.map(() => ({ a: access.fresh(), tag: 0, outcome: null })),
  };
}

/** Starts `op` at every server, each under a fresh tag. */
function beginAll<A>(g: Agent<A>, s: AgentState<A>, op: Op, ctx: Context): AgentState<A> {
  let tag = s.tag;
  const servers = s.servers.map((x, i) => {
    tag++;
    return { a: g.access.begin(x.a, op, g.io(s, i, tag, ctx)), tag, outcome: null };
  });
  g.arm(ctx);
  return { ...s, tag, servers };
}

/** The next slot: a ballot with a command to place, else watch it; nothing left: finished. */
function beginSlot<A>(g: Agent<A>, s: AgentState<A>, ctx: Context): AgentState<A> {
  if (s.slot >= g.cfg.slots) {
    ctx.cancelTimer(RETRY);
    return { ...s, mode: { k: 'finished' } };
  }
  if (nextInput(s.cmds, s.decided) !== null) return startBallot(g, s, ctx);
  return enterPoll(g, s, false, ctx);
}

function enterPoll<A>(g: Agent<A>, s: AgentState<A>, defer: boolean, ctx: Context): AgentState<A> {
  g.arm(ctx);
  return { ...s, mode: { k: 'poll', defer, polls: 0, last: null, hinted: false } };
}

/** Phase 1a: a ballot of ours above every one seen, prepared at every server. */
function startBallot<A>(g: Agent<A>, s: AgentState<A>, ctx: Context): AgentState<A> {
  const b = g.cfg.rules.ballot(s.maxSeen, g.p, g.cfg.agents, s.inc);
  ctx.cover(g.label('ballot.started'));
  const op: Op = { k: 'prepare', b };
  return beginAll(g, { ...s, maxSeen: b, mode: { k: 'phase', op } }, op, ctx);
}

/** Output the decision (a proposer leaves a hint of it) and move to the next slot. */
function decide<A>(g: Agent<A>, s: AgentState<A>, v: Value, ctx: Context): AgentState<A> {
  ctx.decide(s.slot, v);
  let tag = s.tag;
  // Only a proposer leaves the hint; a learner has nothing to add.
  if (g.access.decided && s.mode.k === 'phase') {
    for (let i = 0; i < g.S; i++) g.access.decided((s.servers[i] as PerServer<A>).a, v, g.io(s, i, ++tag, ctx));
  }
  const next: AgentState<A> = {
    ...s,
    tag,
    decided: withDecision(s.decided, s.slot, v),
    slot: s.slot + 1,
    maxSeen: 0,
    servers: g.freshServers(),
    mode: { k: 'finished' },
  };
  return beginSlot(g, next, ctx);
}

/** Phase 1 on a majority: phase 2a with the highest vote among the promises, else a command of our own. */
function afterPromises<A>(g: Agent<A>, s: AgentState<A>, b: number, promised: readonly Extract<Outcome, { k: 'promised' }>[], ctx: Context): AgentState<A> {
  const votes = promised.map((o) => o.vote).filter((x): x is Vote => x !== null);
  const top = votes.reduce<Vote | null>((a, x) => (a === null || x[0] > a[0] ? x : a), null);
  const v = top?.[1] ?? nextInput(s.cmds, s.decided);
  if (v === null) {
    ctx.cover(g.label('phase1.nothing-to-propose'));
    return enterPoll(g, s, false, ctx);
  }
  ctx.cover(g.label(top ? 'phase1.adopted' : 'phase1.own-value'));
  const accept: Op = { k: 'accept', b, v };
  return beginAll(g, { ...s, mode: { k: 'phase', op: accept } }, accept, ctx);
}

/** A server answered the current operation: a majority moves the phase on, a lost majority ends it. */
function afterOutcome<A>(g: Agent<A>, s: AgentState<A>, ctx: Context): AgentState<A> {
  const mode = s.mode;
  if (mode.k !== 'phase') return s;
  const outcomes = s.servers.map((x) => x.outcome);
  const rejected = outcomes.filter((o): o is Extract<Outcome, { k: 'rejected' }> => o?.k === 'rejected');
  const op = mode.op;
  if (op.k === 'prepare') {
    const promised = outcomes.filter((o): o is Extract<Outcome, { k: 'promised' }> => o?.k === 'promised');
    if (promised.length >= g.need) return afterPromises(g, s, op.b, promised, ctx);
  } else if (op.k === 'accept') {
    const accepted = outcomes.filter((o) => o?.k === 'accepted').length;
    if (accepted >= g.need) {
      ctx.cover(g.label('phase2.chosen'));
      return decide(g, s, op.v, ctx);
    }
  }
  if (rejected.length > g.S - g.need) {
    ctx.cover(g.label(`${op.k}.preempted`));
    const seen = Math.max(s.maxSeen, ...rejected.map((o) => o.promise));
    return enterPoll(g, { ...s, maxSeen: seen }, true, ctx);
  }
  return s;
}

/** Watching, a period passed: start a ballot if it is time, else read every server again. */
function pollRetry<A>(g: Agent<A>, s: AgentState<A>, ctx: Context): AgentState<A> {
  const mode = s.mode;
  if (mode.k !== 'poll') return s;
  const input = nextInput(s.cmds, s.decided);
  if (input !== null && !mode.defer) return startBallot(g, s, ctx);
  const progress = s.servers.reduce((n, x) => n + g.access.progress(x.a), 0);
  const read = s.servers.some((x) => x.outcome !== null);
  const stalled = read && progress === mode.last;
  const voted = s.servers.some((x) => g.access.votes(x.a).length > 0);
  // Start a ballot when nothing was written for a whole period (the ballot that beat us, or
  // the one that left votes, is stuck) or when patience runs out.
  if (read && (stalled || mode.polls >= PATIENCE) && (input !== null || voted)) {
    ctx.cover(g.label(mode.defer ? 'poll.stalled-rival' : 'poll.takeover'));
    return startBallot(g, s, ctx);
  }
  const s1 = beginAll(g, s, { k: 'read' }, ctx);
  return { ...s1, mode: { ...mode, polls: mode.polls + 1, last: read ? progress : null, hinted: false } };
}

/** In a phase, a period passed: send again what every unanswered server is missing. */
function phaseRetry<A>(g: Agent<A>, s: AgentState<A>, op: Op, ctx: Context): AgentState<A> {
  ctx.cover(g.label('retry.resent'));
  g.arm(ctx);
  return {
    ...s,
    servers: s.servers.map((x, i) => (x.outcome !== null ? x : { ...x, a: g.access.retry(x.a, op, g.io(s, i, x.tag, ctx)) })),
  };
}

/**
 * A server's reply to the current operation. Learners decide from accepted votes only (a COMMIT
 * alone decides nothing); a hint makes a watcher look again at once; an answer may end a phase.
 */
function onServerReply<A>(g: Agent<A>, s: AgentState<A>, server: NodeId, reply: ServerReply, ctx: Context): AgentState<A> {
  const i = g.cfg.servers.indexOf(server);
  const x = s.servers[i];
  if (!x || s.mode.k === 'finished' || reply.tag !== x.tag || reply.key !== g.key(s)) return s;
  const op: Op = s.mode.k === 'phase' ? s.mode.op : { k: 'read' };
  const r = g.access.reply(x.a, op, reply, g.io(s, i, x.tag, ctx));
  const outcome = x.outcome ?? r.outcome ?? null;
  const s1: AgentState<A> = { ...s, servers: s.servers.map((y, j) => (j === i ? { ...y, a: r.a, outcome } : y)) };
  const v = chosenValue(
    s1.servers.map((y) => g.access.votes(y.a)),
    g.cfg.rules,
  );
  if (v !== null) {
    ctx.cover(g.label('learn.chosen'));
    return decide(g, s1, v, ctx);
  }
  const mode = s1.mode;
  if (r.hint && mode.k === 'poll' && !mode.hinted) {
    ctx.cover(g.label('learn.hint'));
    const s2 = beginAll(g, s1, { k: 'read' }, ctx);
    return { ...s2, mode: { ...mode, hinted: true } };
  }
  return x.outcome === null && outcome !== null ? afterOutcome(g, s1, ctx) : s1;
}

export function passiveAgent<A>(p: number, cfg: PassiveConfig, access: Access<A>): AgentBehaviour<AgentState<A>> {
  const g = agentOf(p, cfg, access);
  /** An agent before its first slot: from scratch, or after a restart with its commands. */
  const fresh = (inc: number, cmds: readonly Value[]): AgentState<A> => ({
    p,
    inc,
    cmds,
    decided: {},
    slot: 0,
    maxSeen: 0,
    servers: g.freshServers(),
    mode: { k: 'finished' },
    tag: inc * 1_000_000,
  });
  return {
    role: 'agent',
    init: (ctx) => beginSlot(g, fresh(ctx.incarnation, []), ctx),
    onMessage: (s) => s,
    onWriteDone: (s) => s,
    onSubmit(s, value, ctx) {
      const cmds = [...s.cmds, value];
      ctx.write(CMDS, cmds);
      const s1 = { ...s, cmds };
      return s.mode.k === 'poll' && !s.mode.defer ? startBallot(g, s1, ctx) : s1;
    },
    onReply: (s, server, reply, ctx) => onServerReply(g, s, server, reply, ctx),
    onTimer(s, name, ctx) {
      if (name !== RETRY) return s;
      const mode = s.mode;
      if (mode.k === 'poll') return pollRetry(g, s, ctx);
      if (mode.k !== 'phase') return s;
      return phaseRetry(g, s, mode.op, ctx);
    },
    recover(durable, ctx) {
      ctx.cover(g.label('recover.start'));
      return beginSlot(g, fresh(ctx.incarnation, durableCommands(durable)), ctx);
    },
    view: (s) => {
      const v = agentView(
        s.decided,
        s.servers.flatMap((x, i) => (access.broken?.(x.a) ?? []).map((m) => `agent ${p}, server n${cfg.servers[i] ?? i}, slot ${s.slot}: ${m}`)),
      );
      // The ballot being run, for ballot-uniqueness: it is out as soon as its phase starts, and
      // the incarnation it was drawn from is durable, so it is never one a crash may forget.
      return s.mode.k === 'phase' && s.mode.op.k !== 'read' ? { ...v, leading: s.mode.op.b } : v;
    },
  };
}
