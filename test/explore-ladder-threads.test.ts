// The bound ladder on worker threads (issue 11, workers): `explore --strategy bfs --workers 2`
// with no bound runs whole rung attempts on two threads. The real CLI must print the same rungs
// with the same counts as the single-threaded ladder, end at the same rung with the same
// counterexample (written once, replayable), load a user's protocol module in its threads,
// and end cleanly on its time budget.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paxcheckAsync, pool, scratchWithUserProtocol } from './cli.js';
import type { CliResult } from './cli.js';

const scratch = scratchWithUserProtocol('ladder-threads');
const root = scratch.root;
afterAll(() => scratch.cleanup());

interface Rung {
  readonly rung: number;
  readonly attempt: number;
  readonly distinctStates: number;
  readonly verdict: string;
}
interface Summary {
  readonly complete: boolean;
  readonly stopReason: string | null;
  readonly distinctStates: number;
  readonly firstViolation: { readonly property: string; readonly file: string | null; readonly depth: number } | null;
  readonly ladder: { readonly rungs: readonly Rung[] };
}

const explore = (name: string, args: readonly string[]): Promise<CliResult> => paxcheckAsync(['explore', ...args, '--strategy', 'bfs', '--json', '--out', join(root, name)], undefined, 120_000);
const summary = (r: CliResult): Summary => JSON.parse(r.stdout) as Summary;
const rungs = (s: Summary): string[] => s.ladder.rungs.map((r) => `${r.rung}/${r.attempt}: ${r.distinctStates} ${r.verdict}`);

const mutants = [
  { name: 'static stale-promise', args: ['--protocol', 'static', '--mutant', 'stale-promise'] },
  { name: 'passive/list gap-as-complete', args: ['--protocol', 'passive', '--service', 'list', '--mutant', 'gap-as-complete'] },
  { name: "a user's module", args: ['--protocol', scratch.protocolArg, '--mutant', 'late-echo'] },
] as const;

describe('explore --workers 2 without bounds runs the ladder on two threads', () => {
  const got = pool(
    [
      ...mutants.flatMap((m, i) => [() => explore(`m${i}-1`, [...m.args, '--workers', '1']), () => explore(`m${i}-2`, [...m.args, '--workers', '2'])]),
      () => explore('correct', ['--protocol', 'passive', '--service', 'cas', '--workers', '2', '--max-time', '4s']),
    ],
    2,
  );

  it.each(mutants.map((m, i) => [m.name, i] as const))('%s: the same rungs, counts and counterexample as one thread', async (_name, i) => {
    const rs = await got;
    const one = rs[2 * i] as CliResult;
    const two = rs[2 * i + 1] as CliResult;
    expect(one.code, one.stderr).toBe(1);
    expect(two.code, two.stderr).toBe(1);
    const [a, b] = [summary(one), summary(two)];
    expect(rungs(b)).toEqual(rungs(a));
    expect(b.distinctStates).toBe(a.distinctStates);
    expect(b.firstViolation?.property).toBe(a.firstViolation?.property);
    expect(b.firstViolation?.depth).toBe(a.firstViolation?.depth);
    // Written once, by the main thread, for the attempt the ladder kept.
    const file = b.firstViolation?.file ?? '';
    expect(existsSync(file), file).toBe(true);
    expect(readdirSync(join(root, `m${i}-2`, 'failures'))).toHaveLength(1);
    // The rung lines on stderr are the same lines, in the same order.
    const lines = (r: CliResult): string[] => r.stderr.split('\n').filter((l) => l.startsWith('ladder rung')).map((l) => l.replace(/, [\d.]+ s,/, ','));
    expect(lines(two)).toEqual(lines(one));
    const replay = await paxcheckAsync(['replay', file, '--json']);
    expect(replay.code, replay.stderr).toBe(1);
  });

  it('a correct build ends on its time budget: exit 0, stopReason time, a run set written', async () => {
    const r = (await got)[2 * mutants.length] as CliResult;
    expect(r.code, r.stderr).toBe(0);
    const s = summary(r);
    expect(s.complete).toBe(false);
    expect(s.stopReason).toBe('time');
    expect(s.ladder.rungs.length).toBeGreaterThan(1);
    expect(s.ladder.rungs.at(-1)?.verdict).toBe('stopped');
    expect(readdirSync(join(root, 'correct', 'runs')).length).toBeGreaterThan(0);
  });
});
