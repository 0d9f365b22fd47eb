import type { Value } from '../kernel/types.js';

/** The filler decided into a hole so that later slots can be applied. */
export const NOOP: Value = 'noop';

export type KvState = Readonly<Record<string, string>>;

/** Applies one decided command (`cN:key=value`, or a no-op) to the replicated key-value map. */
export function applyCommand(state: KvState, cmd: Value): KvState {
  if (cmd === NOOP) return state;
  const body = cmd.slice(cmd.indexOf(':') + 1);
  const eq = body.indexOf('=');
  if (eq < 0) return state;
  return { ...state, [body.slice(0, eq)]: body.slice(eq + 1) };
}

/** Canonical text of a state, so replicas can be compared by string equality. */
export function kvText(state: KvState): string {
  return Object.keys(state)
    .sort()
    .map((k) => `${k}=${state[k] ?? ''}`)
    .join(';');
}
