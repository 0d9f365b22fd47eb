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

type RenamedLearner = Omit<LearnerState, 'polled' | 'pollAfter' | 'askedAt' | 'stalled'> & Partial<LearnerState> & { readonly round?: readonly NodeId[] };

/**
 * The quiet-poll cursor names the acceptor asked next by its position in the fixed acceptor list,
 * and the polls after it follow that list round. The renamed state carries the whole round of
 * acceptors it will poll, renamed: two states then meet only under renamings that map one round
 * onto the other (rotations of the list), which keep every later poll too. Once the learner's
 * timer can no longer fire, the cursor and the back-off state that only the timer reads are
 * dead and left out, and any renaming of the acceptors applies. (A learner restarted after a
 * crash starts the round at the first acceptor again, which no rotation but the identity keeps:
 * there, runs with rotated acceptors may differ in the order of the learner's quiet polls.)
 */
function renameLearner(s: LearnerState, cfg: Config, rename: Rename, quiet: boolean): RenamedLearner {
  const { polled, pollAfter, askedAt, stalled, ...rest } = s;
  const live: RenamedLearner = { ...rest, tally: renameTally(s.tally, rename) };
  if (quiet) return live;
  const n = cfg.acceptors.length;
  const round = cfg.acceptors.map((_, i) => rename(cfg.acceptors[(polled + i) % n] as NodeId));
  return { ...live, pollAfter, askedAt, stalled, round };
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
    renameState(node, state, rename, _tag, quiet) {
      if (state === null) return state;
      if (proposers.has(node)) return renameProposer(state as ProposerState, rename);
      if (acceptors.has(node)) return renameAcceptor(state as AcceptorState, rename);
      return renameLearner(state as LearnerState, cfg, rename, quiet);
    },
  };
}
