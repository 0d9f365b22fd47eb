import type { Json, Value } from '../../kernel/types.js';

/**
 * A processor's block (Gafni & Lamport): mbal is the highest ballot it has begun, (bal, inp) its
 * last vote; bal = 0 iff inp = null.
 */
export interface Block {
  readonly mbal: number;
  readonly bal: number;
  readonly inp: Value | null;
}

export const initialBlock: Block = { mbal: 0, bal: 0, inp: null };

/** A vote (bal, inp) read from a block or held in the own dblock. */
export interface Vote {
  readonly bal: number;
  readonly inp: Value;
}

/** What a disk read of one key tells a reader. */
export interface BlockRead {
  readonly block: Block;
  /** The owner's decision for the slot, once it has written one. */
  readonly done: Value | null;
  /**
   * False when the stored record is not the last write its owner meant the disk to hold: a
   * delayed or duplicated older write landed on top of a newer one, or a write was torn. Such a
   * record must not be read as the owner's block (see `encodeBlock`).
   */
  readonly valid: boolean;
}

/** Key of processor p's block for one slot: one key per owner, never shared. */
export const blockKey = (slot: number, p: number): string => `${slot}/${p}`;

export function parseBlockKey(key: string): { readonly slot: number; readonly p: number } | null {
  const m = /^(\d+)\/(\d+)$/.exec(key);
  return m ? { slot: Number(m[1]), p: Number(m[2]) } : null;
}

/**
 * The record written for a block. A plain put is unconditional and the network may delay or
 * duplicate it, so an older write of the same owner can land after a newer one and silently roll
 * the block back — fatal for Disk Paxos, whose proof needs a written disk to keep the block. The
 * record therefore carries `v`, the disk version the write expects to create (the version the
 * writer last read, plus one). Any write landing out of turn, torn writes included (their `v` is
 * the old one), leaves a record whose `v` differs from the disk's version: readers see it as
 * unreadable instead of stale, and the owner rewrites it.
 */
export function encodeBlock(b: Block, done: Value | null, v: number): Json {
  return { mbal: b.mbal, bal: b.bal, inp: b.inp, done, v };
}

function isRecord(x: Json): x is { readonly [k: string]: Json } {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

const num = (x: Json | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const str = (x: Json | undefined): Value | null => (typeof x === 'string' ? x : null);

export function decodeBlock(value: Json, version: number): BlockRead {
  if (value === null) return { block: initialBlock, done: null, valid: version === 0 };
  if (!isRecord(value)) return { block: initialBlock, done: null, valid: false };
  const mbal = num(value.mbal);
  const bal = num(value.bal);
  const v = num(value.v);
  const inp = str(value.inp);
  const done = str(value.done);
  if (mbal === null || bal === null || v === null) return { block: initialBlock, done, valid: false };
  return { block: { mbal, bal, inp }, done, valid: v === version };
}

export const sameBlock = (a: Block, b: Block): boolean => a.mbal === b.mbal && a.bal === b.bal && a.inp === b.inp;

/** HInv2-style checks on one block: mbal ≥ bal, and bal = 0 iff there is no value. */
export function blockFaults(b: Block): string[] {
  const out: string[] = [];
  if (b.mbal < b.bal) out.push(`mbal ${b.mbal} < bal ${b.bal}`);
  if ((b.bal === 0) !== (b.inp === null)) out.push(b.bal === 0 ? `bal 0 with value "${b.inp ?? ''}"` : `bal ${b.bal} without a value`);
  return out;
}

export const showBlock = (b: Block): string => `(${b.mbal}, ${b.bal}, ${b.inp === null ? '-' : `"${b.inp}"`})`;
