import type { Json, ServerKind } from '../../kernel/types.js';
import { blockKey, decodeBlock } from '../../protocols/disk/block.js';
import { parseCasRecord } from '../../protocols/passive/cas.js';
import { foldList } from '../../protocols/passive/list.js';
import { majority } from '../../protocols/disk/log.js';
import { openStores } from '../stores/store.js';
import type { Store } from '../stores/store.js';

// The stores' side of durability. A value chosen in a slot was accepted by a majority of
// servers, and Paxos never takes it back: every later vote in the slot carries the same value,
// and a vote is only ever replaced by a later one. So at the end of a correct run, every
// acknowledged command is still the value of some vote in its slot on a majority of the
// stores; fewer means the stores lost it (or it was never chosen, and the ack was a lie).

const BATCH = 64;

type Vote = readonly [ballot: number, value: string];

/** The votes a store holds for one slot, read with the store's own operations. */
async function votesAt(store: Store, kind: ServerKind, slot: number, agents: number): Promise<Vote[]> {
  const key = String(slot);
  if (kind === 'list') {
    // A list keeps every ACCEPT ever appended: the fold says which were accepted where they stand.
    const r = await store.apply({ op: 'read', tag: 0, key, from: 0 });
    return r.op === 'read' ? [...foldList(r.entries.map(([, rec]) => rec)).accepted] : [];
  }
  if (kind === 'cas') {
    const r = await store.apply({ op: 'get', tag: 0, key });
    if (r.op !== 'get') return [];
    const rec = parseCasRecord(r.value);
    return rec.ballot > 0 && rec.value !== null ? [[rec.ballot, rec.value]] : [];
  }
  // Disk Paxos over get/put: one block per agent; a block with bal > 0 holds a vote. A block
  // that a retried put landed on twice reads as out of turn (its version moved on) though its
  // content is the owner's: the vote is still on the disk, so it counts here.
  const out: Vote[] = [];
  for (let p = 0; p < agents; p++) {
    const r = await store.apply({ op: 'get', tag: 0, key: blockKey(slot, p) });
    if (r.op !== 'get') continue;
    const { block } = decodeBlock(r.value as Json, r.version);
    if (block.bal > 0 && block.inp !== null) out.push([block.bal, block.inp]);
  }
  return out;
}

export interface SlotAudit {
  /** Per value: how many stores hold a vote for it in the slot. */
  readonly holding: ReadonlyMap<string, number>;
  /**
   * Values some majority of stores accepted at one ballot. Only a list keeps every vote ever
   * accepted; a register keeps the last one, so for cas and register this is null.
   */
  readonly chosen: ReadonlySet<string> | null;
}

/** The stores' state of a slot read right after its first decision was reported (run/decision-audit.ts). */
export interface DecisionSnapshot {
  readonly agent: number;
  readonly value: string;
  /** How long after the decision was reported the stores were read. */
  readonly lagMs: number;
  readonly audit: SlotAudit;
}

/** Every slot's snapshot, and the stores they were read from. */
export interface DecisionReads {
  readonly snapshots: ReadonlyMap<number, DecisionSnapshot>;
  readonly stores: number;
  readonly majority: number;
}

export interface AuditResult {
  readonly slots: ReadonlyMap<number, SlotAudit>;
  readonly stores: number;
  /** A value is chosen exactly when this many stores accepted it at one ballot. */
  readonly majority: number;
}

function auditSlot(perStore: readonly Vote[][], majority: number, exact: boolean): SlotAudit {
  const holding = new Map<string, number>();
  const atBallot = new Map<string, number>();
  for (const votes of perStore) {
    for (const v of new Set(votes.map(([, x]) => x))) holding.set(v, (holding.get(v) ?? 0) + 1);
    for (const k of new Set(votes.map(([b, x]) => JSON.stringify([b, x])))) atBallot.set(k, (atBallot.get(k) ?? 0) + 1);
  }
  const chosen = new Set([...atBallot].filter(([, n]) => n >= majority).map(([k]) => (JSON.parse(k) as [number, string])[1]));
  return { holding, chosen: exact ? chosen : null };
}

/** What the stores hold for one slot now; a store that fails to answer fails the whole read. */
export async function readSlot(stores: readonly Store[], kind: ServerKind, slot: number, agents: number): Promise<SlotAudit> {
  const perStore = await Promise.all(stores.map((s) => votesAt(s, kind, slot, agents)));
  return auditSlot(perStore, majority(stores.length), kind === 'list');
}

/** Reads the acceptor state of every given slot from every store, after the run. */
export async function auditStores(specs: readonly string[], kind: ServerKind, agents: number, slots: readonly number[]): Promise<AuditResult> {
  const stores = await openStores(specs, kind);
  const need = majority(specs.length);
  try {
    const out = new Map<number, SlotAudit>();
    for (let i = 0; i < slots.length; i += BATCH) {
      await Promise.all(
        slots.slice(i, i + BATCH).map(async (slot) => {
          const perStore = await Promise.all(stores.map((s) => votesAt(s, kind, slot, agents).catch(() => [])));
          out.set(slot, auditSlot(perStore, need, kind === 'list'));
        }),
      );
    }
    return { slots: out, stores: specs.length, majority: need };
  } finally {
    await Promise.allSettled(stores.map((s) => s.close()));
  }
}
