// A lock over one passive compare-and-swap register (`servers: ['cas']`): agents 0..N-1 each
// run one job under the lock. The register stores the holder's id at key "lock" (null: free);
// an agent acquires by cas(version it read → itself) and releases by cas(its version → null).
// The server computes nothing: every decision is the agent's, made from versioned replies.
// No expiry: a lease that times out needs clocks, which the untimed search does not have; the
// holder keeps the lock for one job and gives it back. The `blind-put` mutant reads, sees the
// lock free, then overwrites it with a plain put on a key-value server, so two agents that read
// "free" at the same time both take it.
import { always, defineAgent, defineProtocol, sometimes } from 'paxcheck';
import type { Context, NodeId, ServerReply, Snapshot } from 'paxcheck';

interface Agent {
  /** cleanup: after a restart, giving back a lock this agent may have held before the crash. */
  readonly phase: 'idle' | 'acquiring' | 'holding' | 'releasing' | 'cleanup' | 'done';
  readonly job: string | null;
  /** Only the reply to the latest request counts: stale and duplicated replies carry old tags. */
  readonly tag: number;
  /** The register's version when we took the lock: our release is conditional on it. */
  readonly version: number;
}

const KEY = 'lock';

function agent(server: NodeId, blind: boolean) {
  const request = (s: Agent, ctx: Context, op: 'get' | 'take' | 'free', version = 0): Agent => {
    const tag = s.tag + 1;
    const value = op === 'take' ? ctx.self : null;
    if (op === 'get') ctx.op(server, { op: 'get', tag, key: KEY });
    else if (blind) ctx.op(server, { op: 'put', tag, key: KEY, value });
    else ctx.op(server, { op: 'cas', tag, key: KEY, version, value });
    ctx.setTimer('retry', 30, 0.5); // requests and replies may be lost: ask again
    return { ...s, tag };
  };
  const hold = (s: Agent, version: number, ctx: Context): Agent => {
    ctx.cover('held');
    ctx.setTimer('work', 20);
    ctx.cancelTimer('retry');
    return { ...s, phase: 'holding', version };
  };
  /** The lock is free of us: the job ran under it, or (cleanup) a job still to run can start. */
  const done = (s: Agent, ctx: Context): Agent => {
    ctx.cancelTimer('retry');
    if (s.phase === 'cleanup') return s.job ? request({ ...s, phase: 'acquiring' }, ctx, 'get') : { ...s, phase: 'idle' };
    if (s.job) ctx.decide(ctx.self, s.job);
    ctx.write('job', null); // a crash before this completes runs the job again: at least once
    return { ...s, phase: 'done' };
  };
  const onReply = (s: Agent, r: ServerReply, ctx: Context): Agent => {
    if (r.tag !== s.tag) return s;
    if (r.op === 'get') {
      // The register says who holds the lock: that is the truth, whatever we believed.
      if (r.value === ctx.self) return s.phase === 'acquiring' ? hold(s, r.version, ctx) : request(s, ctx, 'free', r.version);
      if (s.phase !== 'acquiring') return done(s, ctx); // not ours (any more)
      // Free: take it, conditionally on nobody taking it since. Held: the retry timer asks again.
      return r.value === null ? request(s, ctx, 'take', r.version) : s;
    }
    if (r.op === 'put') return s.phase === 'acquiring' ? hold(s, 0, ctx) : done(s, ctx);
    if (r.op !== 'cas') return s;
    if (!r.ok) return request(s, ctx, 'get'); // someone was faster (or a spurious failure): look again
    return s.phase === 'acquiring' ? hold(s, r.version, ctx) : done(s, ctx);
  };
  return defineAgent<Agent>({
    role: 'locker',
    init: () => ({ phase: 'idle', job: null, tag: 0, version: 0 }),
    onSubmit: (s, job, ctx) => {
      ctx.write('job', job); // accepted once on disk: the job survives a crash of this agent
      return s.phase === 'idle' || s.phase === 'cleanup' ? { ...s, job } : s; // a cleanup first finishes
    },
    onWriteDone: (s, key, ctx) => (key === 'job' && s.phase === 'idle' && s.job ? request({ ...s, phase: 'acquiring' }, ctx, 'get') : s),
    onReply: (s, _server, r, ctx) => (s.phase === 'idle' || s.phase === 'done' || s.phase === 'holding' ? s : onReply(s, r, ctx)),
    onTimer: (s, name, ctx) => {
      // Stop believing we hold the lock before giving it back, never after.
      if (name === 'work' && s.phase === 'holding') return request({ ...s, phase: 'releasing' }, ctx, 'free', s.version);
      if (name === 'retry' && (s.phase === 'acquiring' || s.phase === 'releasing' || s.phase === 'cleanup')) return request(s, ctx, 'get');
      return s;
    },
    // A restarted agent may still own the register (it crashed holding it): it gives it back,
    // then runs its unfinished job, if any. Replies to the old incarnation never arrive.
    recover: (disk, ctx) => request({ phase: 'cleanup', job: (disk.job as string | undefined) ?? null, tag: 0, version: 0 }, ctx, 'get'),
    view: () => ({}),
  });
}

/** Agents that believe they hold the lock right now (a crashed agent holds nothing). */
const holders = (s: Snapshot): NodeId[] =>
  s.nodes.filter((n) => n < s.system.agents.length && (s.world.agents[n]?.state as Agent | null)?.phase === 'holding');

export default defineProtocol({
  name: 'cas-lease',
  description: 'a lock over one passive compare-and-swap register: acquire by cas, release by cas',
  mutants: [{ name: 'blind-put', description: 'acquire by get then an unconditional put on a key-value server' }],
  labels: ['held'],
  build: (t, { mutant }) => {
    const n = t.proposers;
    return {
      agents: Array.from({ length: n }, () => agent(n, mutant === 'blind-put')),
      servers: [mutant === 'blind-put' ? 'kv' : 'cas'],
      // A client gives each agent one job to run under the lock; "deciding" slot i = job i done.
      workload: Array.from({ length: n }, (_, node) => ({ node, value: `job${node}` })),
      acceptors: [],
    };
  },
  properties: (builtIn) => [
    ...builtIn,
    always('mutual-exclusion', (s) => holders(s).length <= 1 || `${holders(s).map((n) => `n${n}`).join(' and ')} hold the lock at once`),
    sometimes('held', (s) => holders(s).length > 0),
  ],
});
