// Two copies of paxcheck in one process (a monorepo with two installed versions, or a user's
// module importing the compiled package while a script uses the sources): a protocol defined
// through one copy and checked by the other must be checked against its own properties. Before
// the shared binding, the checking copy fell back to the built-in list: the protocol's own
// `always` went unchecked and the check passed.
import { describe, expect, test } from 'vitest';
import * as compiled from '../dist/index.js';
import { check } from '../src/index.js';

const sender = compiled.defineAgent<null>({
  role: 'sender',
  init: () => null,
  view: () => ({}),
  onSubmit: (s, value, ctx) => (ctx.send(1, value), s),
});
const sink = compiled.defineAgent<null>({ role: 'sink', init: () => null, view: () => ({}) });

const quiet = compiled.defineProtocol({
  name: 'dual-package-quiet',
  agents: [sender, sink],
  acceptors: [1],
  slots: 1,
  workload: [{ node: 0, value: 'a' }],
  properties: [compiled.always('nothing-in-flight', (s) => s.world.net.length === 0 || 'a message is in flight'), compiled.sometimes('sent', (s) => s.world.net.length > 0)],
});

describe('a protocol defined through another copy of paxcheck', () => {
  test('is checked against its own properties, under search and simulation', () => {
    for (const strategy of ['bfs', 'random'] as const) {
      const r = check(quiet, { strategy, budget: {}, runs: 5, out: false });
      expect(r.violation?.property, strategy).toBe('nothing-in-flight');
      expect(r.sometimes.map((x) => x.name)).toEqual(['sent']);
    }
  });
});
