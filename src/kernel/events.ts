import type { NodeId, OpFault, Submission } from './types.js';

/** One step of the world. Descriptors name pending items by their sequence number. */
export type Event =
  | { readonly k: 'deliver'; readonly seq: number; readonly fault?: OpFault }
  | { readonly k: 'drop'; readonly seq: number }
  | { readonly k: 'dup'; readonly seq: number }
  | { readonly k: 'timer'; readonly seq: number }
  | { readonly k: 'write'; readonly seq: number }
  | { readonly k: 'crash'; readonly node: NodeId }
  | { readonly k: 'restart'; readonly node: NodeId }
  | { readonly k: 'submit'; readonly idx: number }
  | { readonly k: 'down'; readonly node: NodeId }
  | { readonly k: 'up'; readonly node: NodeId }
  | { readonly k: 'partition'; readonly groups: readonly number[] }
  | { readonly k: 'heal' };

export type EventKind = Event['k'];

/** Fault allowances for untimed exploration; a missing entry means none. */
export interface FaultBudget {
  readonly crashes?: number;
  readonly drops?: number;
  readonly dups?: number;
  readonly partitions?: number;
  readonly downs?: number;
  readonly storage?: number;
}

export interface FaultsUsed {
  readonly crashes: number;
  readonly drops: number;
  readonly dups: number;
  readonly partitions: number;
  readonly downs: number;
  readonly storage: number;
}

export const noFaultsUsed: FaultsUsed = { crashes: 0, drops: 0, dups: 0, partitions: 0, downs: 0, storage: 0 };

export function describeEvent(e: Event, submissions: readonly Submission[] = []): string {
  switch (e.k) {
    case 'deliver':
      return e.fault ? `deliver #${e.seq} with ${e.fault}` : `deliver #${e.seq}`;
    case 'drop':
      return `drop #${e.seq}`;
    case 'dup':
      return `duplicate #${e.seq}`;
    case 'timer':
      return `timer #${e.seq} fires`;
    case 'write':
      return `write #${e.seq} completes`;
    case 'crash':
      return `crash n${e.node}`;
    case 'restart':
      return `restart n${e.node}`;
    case 'submit': {
      const s = submissions[e.idx];
      return s ? `client submits ${s.value} to n${s.node}` : `client submission ${e.idx}`;
    }
    case 'down':
      return `server n${e.node} goes down`;
    case 'up':
      return `server n${e.node} comes back`;
    case 'partition':
      return `partition [${e.groups.join(',')}]`;
    case 'heal':
      return 'partition heals';
  }
}

export function sameEvent(a: Event, b: Event): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'deliver':
      return a.seq === (b as typeof a).seq && a.fault === (b as typeof a).fault;
    case 'drop':
    case 'dup':
    case 'timer':
    case 'write':
      return a.seq === (b as typeof a).seq;
    case 'crash':
    case 'restart':
    case 'down':
    case 'up':
      return a.node === (b as typeof a).node;
    case 'submit':
      return a.idx === (b as typeof a).idx;
    case 'partition':
      return a.groups.join(',') === (b as typeof a).groups.join(',');
    case 'heal':
      return true;
  }
}
