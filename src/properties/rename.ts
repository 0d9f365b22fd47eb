import type { NodeId, Rename } from '../kernel/types.js';
import type { History } from './history.js';

const byId = (a: NodeId, b: NodeId): number => a - b;

/** `${node}<sep>${rest}` with the node renamed. */
function renameKey(key: string, sep: string, rename: Rename): string {
  const i = key.indexOf(sep);
  return `${rename(Number(key.slice(0, i)))}${key.slice(i)}`;
}

/**
 * The history as the run with its nodes renamed would have built it: voter sets stay sorted,
 * node-keyed records move to the new ids. Ballots, values and slots carry no node id.
 */
export function renameHistory(h: History, rename: Rename): History {
  const votes: Record<string, readonly NodeId[]> = {};
  for (const [k, voters] of Object.entries(h.votes)) votes[k] = voters.map(rename).sort(byId);
  const outputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(h.outputs)) outputs[renameKey(k, '|', rename)] = v;
  const promises: Record<number, number> = {};
  for (const [k, b] of Object.entries(h.promises)) promises[rename(Number(k))] = b;
  const leaders: Record<number, string> = {};
  for (const [b, who] of Object.entries(h.leaders)) leaders[Number(b)] = renameKey(who, '@', rename);
  return { ...h, votes, outputs, promises, leaders };
}
