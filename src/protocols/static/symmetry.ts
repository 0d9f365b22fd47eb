import type { NodeId, Rename, Symmetry } from '../../kernel/types.js';
import type { AcceptorState } from './acceptor.js';
import type { Config } from './config.js';
import type { WriteQueue } from './durable.js';
import type { LearnerState } from './learner.js';
import type { ProposerState } from './proposer.js';
import type { Tally } from './quorum.js';

const byId = (a: NodeId, b: NodeId): number => a - b;

// Who voted is a set (count2b only asks `includes` and `length`) and messages waiting for a write
// go out together into an unordered network, so both are put in a canonical order: states that
// differ only in arrival order then meet.

function renameTally(t: Tally, rename: Rename): Tally {
  const out: Record<string, Record<string, { v: string; from: readonly NodeId[] }>> = {};
  for (const [slot, byKey] of Object.entries(t)) {
    const entries: Record<string, { v: string; from: readonly NodeId[] }> = {};
    for (const [k, e] of Object.entries(byKey)) entries[k] = { v: e.v, from: e.from.map(rename).sort(byId) };
    out[slot] = entries;
  }
  return out;
}

function renameWrites(q: WriteQueue, rename: Rename): WriteQueue {
  return q.map((w) => ({ ...w, then: w.then.map(([to, msg]) => [rename(to), msg] as const).sort((x, y) => x[0] - y[0]) }));
}

function renameProposer(s: ProposerState, rename: Rename): ProposerState {
  const promises: Record<string, ProposerState['promises'][string]> = {};
  for (const [a, p] of Object.entries(s.promises)) promises[rename(Number(a))] = p;
  return { ...s, promises, tally: renameTally(s.tally, rename), writes: renameWrites(s.writes, rename) };
}

/**
 * The quiet-poll cursor names the acceptor asked next by its position in the acceptor list; it
 * is moved to the renamed acceptor's position, so the next poll goes to the renamed node. The
 * polls after it follow the fixed list order, which no renaming preserves: for learners that
 * poll, acceptor symmetry holds up to the order of later quiet polls (each of which any acceptor
 * answers with the same kind of catch-up).
 */
function renameLearner(s: LearnerState, cfg: Config, rename: Rename): LearnerState {
  const n = cfg.acceptors.length;
  const target = cfg.acceptors[s.polled % Math.max(1, n)];
  const polled = target === undefined ? s.polled : cfg.acceptors.indexOf(rename(target));
  return { ...s, tally: renameTally(s.tally, rename), polled };
}

function renameAcceptor(s: AcceptorState, rename: Rename): AcceptorState {
  return { ...s, writes: renameWrites(s.writes, rename) };
}

/** Separate roles: the acceptors are interchangeable (messages name no node). */
export function staticSymmetry(cfg: Config): Symmetry | undefined {
  if (cfg.acceptors.length < 2) return undefined;
  const proposers = new Set(cfg.proposers);
  const acceptors = new Set(cfg.acceptors);
  return {
    groups: [cfg.acceptors],
    renameState(node, state, rename) {
      if (state === null) return state;
      if (proposers.has(node)) return renameProposer(state as ProposerState, rename);
      if (acceptors.has(node)) return renameAcceptor(state as AcceptorState, rename);
      return renameLearner(state as LearnerState, cfg, rename);
    },
  };
}
