// Argument shapes and parsers shared by the commands.

import { InputError } from '../errors.js';
import type { Shard } from '../sim/simulate.js';

export interface SimulateArgs {
  readonly protocol: string;
  readonly service?: string;
  readonly mutant?: string;
  readonly scenario: string;
  readonly seed: number;
  readonly runs?: number;
  readonly shard?: string;
  readonly out: string;
  readonly json: boolean;
}

export function parseShard(s: string | undefined): Shard | undefined {
  if (s === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(s);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) throw new InputError(`--shard must be i/n with 0 ≤ i < n, got "${s}"`);
  return { index, count };
}

export function replayCommandFor(file: string): string {
  return `paxcheck replay ${file}`;
}

