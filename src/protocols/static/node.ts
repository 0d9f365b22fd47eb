import type { AgentBehaviour, Context, NodeId, NodeView } from '../../kernel/types.js';
import {
  acceptorMessage,
  acceptorView,
  acceptorWriteDone,
  initAcceptor,
  isAcceptorKey,
  recoverAcceptor,
} from './acceptor.js';
import type { AcceptorState } from './acceptor.js';
import type { Config } from './config.js';
import { initLearner, learnerMessage, learnerTimer, learnerView, recoverLearner } from './learner.js';
import type { LearnerState } from './learner.js';
import type { Msg } from './messages.js';
import {
  initProposer,
  isProposerKey,
  proposerMessage,
  proposerView,
  proposerSubmit,
  proposerTimer,
  proposerWriteDone,
  recoverProposer,
} from './proposer.js';
import type { ProposerState } from './proposer.js';

type Behaviour<S> = AgentBehaviour<S, Msg>;

export function proposerAgent(index: number, cfg: Config): Behaviour<ProposerState> {
  return {
    role: 'proposer',
    init: () => initProposer(index),
    onMessage: (s, from, msg, ctx) => proposerMessage(s, from, msg, cfg, ctx),
    onTimer: (s, name, ctx) => proposerTimer(s, name, cfg, ctx),
    onWriteDone: (s, key, ctx) => proposerWriteDone(s, key, ctx),
    onReply: (s) => s,
    onSubmit: (s, value, ctx) => proposerSubmit(s, value, cfg, ctx),
    recover: (durable, ctx) => recoverProposer(index, durable, cfg, ctx),
    view: (s) => proposerView(s),
  };
}

export function acceptorAgent(cfg: Config): Behaviour<AcceptorState> {
  return {
    role: 'acceptor',
    init: () => initAcceptor(),
    onMessage: (s, from, msg, ctx) => acceptorMessage(s, from, msg, cfg, ctx),
    onTimer: (s) => s,
    onWriteDone: (s, key, ctx) => acceptorWriteDone(s, key, ctx),
    onReply: (s) => s,
    onSubmit: (s) => s,
    recover: (durable, ctx) => recoverAcceptor(durable, ctx),
    view: (s) => acceptorView(s),
  };
}

export function learnerAgent(cfg: Config): Behaviour<LearnerState> {
  return {
    role: 'learner',
    init: (ctx) => initLearner(ctx),
    onMessage: (s, from, msg, ctx) => learnerMessage(s, from, msg, cfg, ctx),
    onTimer: (s, name, ctx) => learnerTimer(s, name, cfg, ctx),
    // Decisions are written for recovery only; nothing waits for them.
    onWriteDone: (s) => s,
    onReply: (s) => s,
    onSubmit: (s) => s,
    recover: (durable, ctx) => recoverLearner(durable, ctx),
    view: (s) => learnerView(s),
  };
}

/** A collapsed node: acceptor and learner, and proposer too for the first few nodes. */
export interface NodeState {
  readonly acceptor: AcceptorState;
  readonly learner: LearnerState;
  readonly proposer: ProposerState | null;
}

/**
 * Every role sees every message and ignores what is not addressed to it; durable keys carry the
 * role as a prefix, so each role's writes and recovery stay its own.
 */
export function collapsedAgent(proposerIndex: number | null, cfg: Config): Behaviour<NodeState> {
  const withProposer = (s: NodeState, f: (p: ProposerState) => ProposerState): NodeState =>
    s.proposer === null ? s : { ...s, proposer: f(s.proposer) };
  return {
    role: proposerIndex === null ? 'acceptor+learner' : 'proposer+acceptor+learner',
    init: (ctx) => ({
      acceptor: initAcceptor(),
      learner: initLearner(ctx),
      proposer: proposerIndex === null ? null : initProposer(proposerIndex),
    }),
    onMessage: (s, from: NodeId, msg, ctx) =>
      withProposer(
        {
          ...s,
          acceptor: acceptorMessage(s.acceptor, from, msg, cfg, ctx),
          learner: learnerMessage(s.learner, from, msg, cfg, ctx),
        },
        (p) => proposerMessage(p, from, msg, cfg, ctx),
      ),
    onTimer: (s, name, ctx) =>
      withProposer({ ...s, learner: learnerTimer(s.learner, name, cfg, ctx) }, (p) => proposerTimer(p, name, cfg, ctx)),
    onWriteDone: (s, key, ctx) => {
      if (isAcceptorKey(key)) return { ...s, acceptor: acceptorWriteDone(s.acceptor, key, ctx) };
      if (isProposerKey(key)) return withProposer(s, (p) => proposerWriteDone(p, key, ctx));
      // Learner decisions are written for recovery only; nothing waits for them.
      return s;
    },
    onReply: (s) => s,
    onSubmit: (s, value, ctx) => withProposer(s, (p) => proposerSubmit(p, value, cfg, ctx)),
    recover: (durable, ctx: Context<Msg>) => ({
      acceptor: recoverAcceptor(durable, ctx),
      learner: recoverLearner(durable, ctx),
      proposer: proposerIndex === null ? null : recoverProposer(proposerIndex, durable, cfg, ctx),
    }),
    view: (s): NodeView => ({ ...acceptorView(s.acceptor), ...learnerView(s.learner), ...(s.proposer ? proposerView(s.proposer) : {}) }),
  };
}
