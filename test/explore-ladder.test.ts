// The default bound ladder (issue 11): `explore --strategy bfs` with no bound flag, as a user
// whose bug is in no catalogue runs it. The real CLI must find mutants of different kinds (one
// that needs two acceptors, one that needs a crash, one that needs a storage fault, one that the
// bug-hunting restrictions hide) with no per-mutant bound or flag, print every rung it tried,
// and report the ladder in its JSON; a correct protocol's ladder ends on its budget, exit 0.

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, defineAgent, defineProtocol } from '../src/index.js';
import { LADDER_CAPS, ladderRungs, ladderSchedule } from '../src/search/ladder.js';
import { paxcheckAsync, pool, scratchWithUserProtocol } from './cli.js';
import type { CliResult } from './cli.js';

const scratch = scratchWithUserProtocol('ladder');
const root = scratch.root;
afterAll(() => scratch.cleanup());

interface Summary {
  readonly violations: number;
  readonly complete: boolean;
  readonly stopReason: string | null;
  readonly firstViolation: { readonly property: string; readonly file: string | null } | null;
  readonly ladder: { readonly complete: boolean; readonly rungs: readonly { readonly rung: number; readonly verdict: string; readonly distinctStates: number; readonly contention?: { readonly twoLeaders: boolean; readonly decided: boolean } }[] };
}

const explore = (name: string, args: readonly string[]): Promise<CliResult> => paxcheckAsync(['explore', ...args, '--strategy', 'bfs', '--json', '--out', join(root, name)], undefined, 90_000);

const found = [
  { name: 'two acceptors', args: ['--protocol', 'static', '--mutant', 'minority-quorum'], property: 'agreement' },
  { name: 'a crash', args: ['--protocol', 'static', '--mutant', 'ballot-reuse-after-restart'], property: 'ballot-uniqueness' },
  { name: 'a storage fault', args: ['--protocol', 'passive', '--service', 'list', '--mutant', 'gap-as-complete'], property: 'agreement' },
  { name: 'no restriction', args: ['--protocol', 'static', '--mutant', 'reply-before-persist'], property: 'agreement' },
  { name: "a user's module", args: ['--protocol', scratch.protocolArg, '--mutant', 'late-echo'], property: null },
] as const;

describe('explore bfs without bounds runs the default bound ladder', () => {
  const results = new Map<string, CliResult>();
  const ready = pool(
    [...found.map((f) => () => explore(f.name, f.args)), () => explore('correct', ['--protocol', 'passive', '--service', 'cas', '--max-time', '3s'])],
    2,
  ).then((rs) => {
    found.forEach((f, i) => results.set(f.name, rs[i] as CliResult));
    results.set('correct', rs[found.length] as CliResult);
  });

  it.each(found)('finds the mutant that needs $name: exit 1, every rung printed, the ladder in the JSON', async (f) => {
    await ready;
    const r = results.get(f.name) as CliResult;
    expect(r.code, r.stderr).toBe(1);
    const s = JSON.parse(r.stdout) as Summary;
    if (f.property !== null) expect(s.firstViolation?.property).toBe(f.property);
    expect(s.firstViolation?.file).toBeTruthy();
    const last = s.ladder.rungs.at(-1);
    expect(last?.verdict).toBe('violation');
    expect(s.ladder.complete).toBe(false);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('ladder rung '));
    expect(lines).toHaveLength(s.ladder.rungs.length);
    expect(lines.at(-1)).toMatch(new RegExp(`^ladder rung ${last?.rung}/${ladderRungs.length} .*: [\\d,]+ states, [\\d.]+ s, violation$`));
    // The counterexample replays like any other.
    const replay = await paxcheckAsync(['replay', s.firstViolation?.file ?? '']);
    expect(replay.code, replay.stderr).toBe(1);
  }, 120_000);

  it('a correct protocol climbs until its time budget: exit 0, complete false, the rungs it closed reported', async () => {
    await ready;
    const r = results.get('correct') as CliResult;
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.violations).toBe(0);
    expect(s.complete).toBe(false);
    expect(s.stopReason).toBe('time');
    const closed = s.ladder.rungs.filter((x) => x.verdict === 'complete');
    expect(closed.length).toBeGreaterThan(0);
    // Not vacuous: in every rung it closed, two proposers ran ballots and a value was decided.
    for (const x of closed) expect(x.contention, `rung ${x.rung}`).toEqual({ twoLeaders: true, decided: true });
    expect(r.stderr).not.toContain('vacuous');
    expect(s.ladder.rungs.at(-1)?.verdict).toBe('stopped');
    expect(r.stderr.trim().split('\n').pop()).toContain('time budget reached');
  }, 120_000);
});

describe('the ladder schedule', () => {
  it('tries every rung under every cap, each rung under growing caps, the uncapped attempts last', () => {
    const s = ladderSchedule();
    expect(s).toHaveLength(ladderRungs.length * (LADDER_CAPS.length + 1));
    for (let rung = 0; rung < ladderRungs.length; rung++) {
      const caps = s.filter((x) => x.rung === rung).map((x) => x.cap);
      expect(caps).toEqual([...LADDER_CAPS, null]);
    }
    expect(s.slice(-ladderRungs.length).every((x) => x.cap === null)).toBe(true);
    // A small world gets a large cap before a large world gets a small one.
    const at = (rung: number, cap: number): number => s.findIndex((x) => x.rung === rung && x.cap === cap);
    expect(at(0, 30_000)).toBeLessThan(at(ladderRungs.length - 1, 1_000));
  });
});

describe('check() from the API without bounds', () => {
  // A protocol written against the public API: the ladder serves it as it serves the built-in ones.
  const keeper = defineAgent<{ v: string | null }>({
    role: 'keeper',
    init: () => ({ v: null }),
    onMessage: (_s, _from, msg, ctx) => {
      ctx.decide(0, String(msg));
      return { v: String(msg) };
    },
    view: (s) => (s.v === null ? {} : { decided: { 0: s.v } }),
  });
  const client = defineAgent<null>({ role: 'client', init: () => null, onSubmit: (s, v, ctx) => (ctx.send(1, v), s), view: () => ({}) });
  const register = defineProtocol({ name: 'ladder-register', agents: [client, keeper], workload: [{ node: 0, value: 'x' }], acceptors: [] });

  it('a small protocol closes every rung: complete, with the ladder in the result', () => {
    const r = check(register, { strategy: 'bfs', out: false });
    expect(r.violation).toBeNull();
    expect(r.search?.complete).toBe(true);
    expect(r.search?.ladder?.complete).toBe(true);
    const rungs = r.search?.ladder?.rungs ?? [];
    // It has no server to suffer a storage fault: those rungs are skipped, every other one closes.
    const storage = ladderRungs.filter((b) => (b.budget.storage ?? 0) > 0).length;
    expect(rungs.filter((x) => x.verdict === 'skipped')).toHaveLength(storage);
    expect(rungs.filter((x) => x.verdict === 'complete')).toHaveLength(ladderRungs.length - storage);
    // It has no proposers: every rung says it never saw contention, though a value was decided.
    for (const x of rungs.filter((y) => y.verdict === 'complete')) expect(x.contention).toEqual({ twoLeaders: false, decided: true });
  });

  it('a built-in mutant is found with no bound given', () => {
    const r = check('static', { mutant: 'minority-quorum', strategy: 'bfs', out: false });
    expect(r.violation?.property).toBe('agreement');
    expect(r.search?.ladder?.rungs.at(-1)?.verdict).toBe('violation');
  });
});
