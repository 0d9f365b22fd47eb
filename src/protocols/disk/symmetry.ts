import type { NodeId, Rename, Symmetry } from '../../kernel/types.js';
import type { Mode, ProcessorState, Step } from './processor.js';

/** `xs` indexed by server, moved to the renamed servers' positions. */
export function permuteByServer<T>(xs: readonly T[], servers: readonly NodeId[], rename: Rename): T[] {
  const out = xs.slice();
  xs.forEach((x, d) => {
    const node = servers[d];
    if (node !== undefined) out[servers.indexOf(rename(node))] = x;
  });
  return out;
}

type Tag = (t: number) => number;

function retagStep(st: Step, tag: Tag): Step {
  return 'tag' in st ? { ...st, tag: tag(st.tag) } : st;
}

function renameMode(m: Mode, disks: readonly NodeId[], rename: Rename, tag: Tag): Mode {
  switch (m.k) {
    case 'recover':
      return { ...m, tag: tag(m.tag), got: permuteByServer(m.got, disks, rename) };
    case 'poll':
      return { ...m, tag: tag(m.tag) };
    case 'ballot':
      return { ...m, disks: permuteByServer(m.disks, disks, rename).map((st) => retagStep(st, tag)) };
    case 'finished':
      return m;
  }
}

/**
 * The disks are interchangeable: a processor keeps what it knows per disk in arrays indexed by
 * disk, which move with the disks. Tags are handed out in disk order by the loops over disks, so
 * a renamed state carries other numbers than the renamed run would; they are only compared for
 * equality, so they are relabeled in the order of the renamed state.
 */
export function diskSymmetry(disks: readonly NodeId[]): Symmetry | undefined {
  if (disks.length < 2) return undefined;
  return {
    groups: [disks],
    renameState(_node, state, rename, tag) {
      if (state === null) return state;
      const s = state as ProcessorState;
      const mode = renameMode(s.mode, disks, rename, tag);
      return {
        ...s,
        tag: 0,
        known: permuteByServer(s.known, disks, rename),
        mode,
        settle: s.settle.map((x) => ({ ...x, tag: tag(x.tag), ok: permuteByServer(x.ok, disks, rename) })),
      };
    },
  };
}
