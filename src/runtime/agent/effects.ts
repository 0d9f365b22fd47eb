import type { Context, Json, NodeId, ServerRequest, Value } from '../../kernel/types.js';

// The sans-IO half of the runtime: a Context that only records what a handler asks for. The
// host applies the effects, in order, after the handler has returned, exactly as the simulator
// applies a step's effects after it; the agent code cannot tell the two worlds apart.

export type Effect =
  | { readonly k: 'send'; readonly to: NodeId; readonly msg: Json }
  | { readonly k: 'timer'; readonly name: string; readonly after: number; readonly jitter: number }
  | { readonly k: 'cancel'; readonly name: string }
  | { readonly k: 'write'; readonly key: string; readonly value: Json }
  | { readonly k: 'op'; readonly server: NodeId; readonly req: ServerRequest }
  | { readonly k: 'decide'; readonly slot: number; readonly value: Value };

export interface Recording {
  readonly ctx: Context;
  readonly effects: Effect[];
  readonly covers: string[];
}

export function recordingContext(self: NodeId, incarnation: number): Recording {
  const effects: Effect[] = [];
  const covers: string[] = [];
  const ctx: Context = {
    self,
    incarnation,
    send: (to, msg) => void effects.push({ k: 'send', to, msg }),
    setTimer: (name, after, jitter = 0) => void effects.push({ k: 'timer', name, after, jitter }),
    cancelTimer: (name) => void effects.push({ k: 'cancel', name }),
    write: (key, value) => void effects.push({ k: 'write', key, value }),
    op: (server, req) => void effects.push({ k: 'op', server, req }),
    decide: (slot, value) => void effects.push({ k: 'decide', slot, value }),
    cover: (label) => void covers.push(label),
  };
  return { ctx, effects, covers };
}
