import type { AgentBehaviour, Value } from '../../kernel/types.js';
import { blockFaults, initialBlock, showBlock } from './block.js';
import { CMDS, agentView, durableCommands } from './log.js';
import { ballotReply, ballotRetry, beginSlot, pollReply, pollRetry, recoverReply, startBallot } from './phases.js';
import { procOf } from './proc.js';
import { recoveryRetry } from './recovery.js';
import { isSettleReply, settleReply, settleRetry } from './settle.js';
import type { DiskConfig, ProcessorState } from './state.js';

// The Disk Paxos processor as a kernel agent: its handlers hand each event to the phase it
// belongs to (phases.ts; per-disk steps in disk-step.ts, phase 0 in recovery.ts, phase 3 in
// settle.ts). The state and its types live in state.ts.

export type { DiskConfig, Mode, ProcessorState, Settle, Step, Vote } from './state.js';
export { ballotAbove } from './state.js';

export function processorAgent(p: number, cfg: DiskConfig): AgentBehaviour<ProcessorState> {
  const k = procOf(p, cfg);
  /** A processor before its first slot: from scratch, or after a restart with its commands. */
  const fresh = (restarted: boolean, cmds: readonly Value[], incarnation: number): ProcessorState => ({
    p,
    cmds,
    decided: {},
    slot: 0,
    restarted,
    dblock: initialBlock,
    maxSeen: 0,
    known: k.freshKnown(restarted),
    mode: { k: 'finished' },
    tag: incarnation * 1_000_000,
    settle: [],
  });

  return {
    role: 'processor',
    init: (ctx) => beginSlot(k, fresh(false, [], ctx.incarnation), ctx),
    onMessage: (s) => s,
    onWriteDone: (s) => s,
    onSubmit(s, value, ctx) {
      const cmds = [...s.cmds, value];
      ctx.write(CMDS, cmds);
      const s1 = { ...s, cmds };
      return s.mode.k === 'poll' && !s.mode.defer ? startBallot(k, s1, ctx) : s1;
    },
    onReply(s, server, reply, ctx) {
      const d = k.diskOf(server);
      if (d < 0) return s;
      if (isSettleReply(s, reply)) return settleReply(k, s, d, reply, ctx);
      switch (s.mode.k) {
        case 'recover':
          return recoverReply(k, s, d, reply, ctx);
        case 'poll':
          return pollReply(k, s, reply, ctx);
        case 'ballot':
          return ballotReply(k, s, d, reply, ctx);
        case 'finished':
          return s;
      }
    },
    onTimer(s, name, ctx) {
      if (name !== 'retry') return s;
      settleRetry(k, s, ctx);
      switch (s.mode.k) {
        case 'recover':
          return recoveryRetry(k, s, s.mode, ctx);
        case 'poll':
          return pollRetry(k, s, ctx);
        case 'ballot':
          return ballotRetry(k, s, ctx);
        case 'finished':
          return s;
      }
    },
    recover(durable, ctx) {
      ctx.cover(k.label('recover.start'));
      return beginSlot(k, fresh(true, durableCommands(durable), ctx.incarnation), ctx);
    },
    view(s) {
      return agentView(
        s.decided,
        blockFaults(s.dblock).map((f) => `p${p} slot ${s.slot} dblock ${showBlock(s.dblock)}: ${f}`),
      );
    },
  };
}
