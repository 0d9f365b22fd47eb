// Two-phase commit: a coordinator (node 0) asks the participants (nodes 1..N) to prepare a
// transaction; each votes yes or no, and the transaction commits only if every vote is yes.
// Not consensus, so most built-in Paxos properties do not apply: the protocol states its own.
// The `majority-commit` mutant commits once a majority has voted yes.
import { always, defineAgent, defineProtocol, sometimes } from 'paxcheck';
import type { Context, NodeId, Snapshot } from 'paxcheck';

type Outcome = 'commit' | 'abort';
type Msg = { readonly t: 'prepare' } | { readonly t: 'vote'; readonly yes: boolean } | { readonly t: 'outcome'; readonly outcome: Outcome };

// ---- coordinator -----------------------------------------------------------------------------

interface Coordinator {
  readonly phase: 'idle' | 'voting' | 'deciding' | 'done';
  readonly yes: readonly NodeId[];
  readonly outcome: Outcome | null;
}

function coordinator(participants: readonly NodeId[], needed: number) {
  const announce = (ctx: Context<Msg>, outcome: Outcome) => participants.forEach((p) => ctx.send(p, { t: 'outcome', outcome }));
  // The outcome is on disk before anyone hears of it: that write is the commit point.
  const finish = (s: Coordinator, outcome: Outcome, ctx: Context<Msg>): Coordinator => {
    ctx.write('outcome', outcome);
    ctx.cancelTimer('timeout');
    return { ...s, phase: 'deciding', outcome };
  };
  return defineAgent<Coordinator, Msg>({
    role: 'coordinator',
    init: () => ({ phase: 'idle', yes: [], outcome: null }),
    // Presumed abort: without an outcome on disk the coordinator never told anyone "commit".
    recover: (disk, ctx) => {
      const outcome = (disk.outcome as Outcome | undefined) ?? null;
      if (outcome) announce(ctx, outcome);
      return { phase: outcome ? 'done' : 'idle', yes: [], outcome };
    },
    onSubmit: (s, _tx, ctx) => {
      participants.forEach((p) => ctx.send(p, { t: 'prepare' }));
      ctx.setTimer('timeout', 100, 0.5); // a participant that never answers must not block the others
      return { ...s, phase: 'voting' };
    },
    onMessage: (s, from, m, ctx) => {
      if (m.t !== 'vote') return s;
      if (s.phase === 'done' && s.outcome) {
        ctx.send(from, { t: 'outcome', outcome: s.outcome }); // an in-doubt participant asks again
        return s;
      }
      if (s.phase === 'idle') return finish(s, 'abort', ctx); // a vote for a transaction forgotten in a crash
      if (s.phase !== 'voting') return s;
      if (!m.yes) return finish(s, 'abort', ctx);
      const yes = s.yes.includes(from) ? s.yes : [...s.yes, from].sort((a, b) => a - b);
      return yes.length >= needed ? finish({ ...s, yes }, 'commit', ctx) : { ...s, yes };
    },
    onTimer: (s, _name, ctx) => (s.phase === 'voting' ? finish(s, 'abort', ctx) : s),
    onWriteDone: (s, _key, ctx) => {
      if (s.phase !== 'deciding' || !s.outcome) return s;
      announce(ctx, s.outcome);
      ctx.decide(0, s.outcome);
      return { ...s, phase: 'done' };
    },
    view: (s) => (s.phase === 'done' && s.outcome ? { decided: { 0: s.outcome } } : {}),
  });
}

// ---- participant -----------------------------------------------------------------------------

interface Participant {
  /** 'writing': the yes vote is going to disk; it is sent only once it is there. */
  readonly vote: null | 'writing' | 'yes';
  readonly outcome: Outcome | null;
}

const COORDINATOR = 0;

/** (Re)sends the yes vote: the coordinator answers it with the outcome once there is one. */
function ask(ctx: Context<Msg>): void {
  ctx.send(COORDINATOR, { t: 'vote', yes: true });
  ctx.setTimer('ask', 150, 0.5);
}

const participant = defineAgent<Participant, Msg>({
  role: 'participant',
  // Until it has voted yes a participant may abort on its own, e.g. when no prepare comes.
  init: (ctx) => {
    ctx.setTimer('give-up', 80, 0.5);
    return { vote: null, outcome: null };
  },
  recover: (disk, ctx) => {
    const s: Participant = { vote: disk.vote === 'yes' ? 'yes' : null, outcome: (disk.outcome as Outcome | undefined) ?? null };
    if (s.vote === 'yes' && !s.outcome) ask(ctx);
    if (!s.vote && !s.outcome) ctx.setTimer('give-up', 80, 0.5);
    return s;
  },
  onMessage: (s, _from, m, ctx) => {
    if (m.t === 'prepare') {
      if (s.vote === 'yes') ctx.send(COORDINATOR, { t: 'vote', yes: true });
      else if (s.outcome === 'abort') ctx.send(COORDINATOR, { t: 'vote', yes: false });
      else if (!s.vote && !s.outcome) {
        ctx.write('vote', 'yes');
        ctx.cancelTimer('give-up');
        return { ...s, vote: 'writing' };
      }
      return s;
    }
    if (m.t !== 'outcome' || s.outcome) return s;
    ctx.write('outcome', m.outcome);
    return { ...s, outcome: m.outcome };
  },
  onWriteDone: (s, key, ctx) => {
    if (key === 'vote') {
      ask(ctx); // in doubt from now on: only the coordinator can say how it ended
      return { ...s, vote: 'yes' };
    }
    if (s.outcome) ctx.decide(0, s.outcome);
    ctx.cancelTimer('ask');
    return s;
  },
  onTimer: (s, name, ctx) => {
    if (name === 'ask' && s.vote === 'yes' && !s.outcome) ask(ctx);
    if (name !== 'give-up' || s.vote || s.outcome) return s;
    ctx.write('outcome', 'abort');
    return { ...s, outcome: 'abort' };
  },
  view: () => ({}),
});

// ---- properties: over what is on disk, so a participant that is down still counts -------------

const outcomes = (s: Snapshot): unknown[] => s.world.agents.slice(1).map((a) => a.durable.outcome);

export default defineProtocol({
  name: 'two-phase-commit',
  description: 'two-phase commit: one coordinator, participants voting yes or no, presumed abort',
  mutants: [{ name: 'majority-commit', description: 'the coordinator commits once a majority of participants voted yes' }],
  build: (t, { mutant }) => {
    const participants = Array.from({ length: t.acceptors }, (_, i) => i + 1);
    const needed = mutant === 'majority-commit' ? Math.floor(t.acceptors / 2) + 1 : t.acceptors;
    return {
      agents: [coordinator(participants, needed), ...participants.map(() => participant)],
      workload: [{ node: COORDINATOR, value: 'tx' }],
      acceptors: [],
      slots: 1,
      // Participants are interchangeable (symmetry reduction); only the coordinator names them.
      symmetry: {
        groups: [participants],
        renameState: (node, state, rename) => (node === COORDINATOR ? { ...(state as Coordinator), yes: (state as Coordinator).yes.map(rename).sort((a, b) => a - b) } : state),
      },
    };
  },
  // Of the built-in properties only these two mean something here: "commit" and "abort" are not
  // client commands (validity), and atomicity is the agreement that matters, stated below.
  properties: (builtIn) => [
    ...builtIn.filter((p) => p.name === 'no-exception' || p.name === 'stability'),
    always('atomicity', (s) => {
      const o = outcomes(s);
      return !(o.includes('commit') && o.includes('abort')) || `participants disagree: ${o.map((x, i) => `n${i + 1} ${String(x ?? '-')}`).join(', ')}`;
    }),
    sometimes('committed', (s) => outcomes(s).includes('commit')),
    sometimes('aborted', (s) => outcomes(s).includes('abort')),
  ],
});
