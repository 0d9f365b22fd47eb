import { describe, expect, it } from 'vitest';
import { classifyUndecided, quorumAvailable } from '../src/sim/availability.js';
import { defaultTopology } from '../src/protocols/family.js';
import { buildSystem } from '../src/protocols/index.js';
import { initWorld, step } from '../src/kernel/world.js';

describe('undecided runs are classified by cause', () => {
  const sys = buildSystem({ protocol: 'static', topology: { ...defaultTopology, commands: 1 } });
  const sub = sys.workload[0];
  if (!sub) throw new Error('no workload');

  it('a command its submitter lost in a crash before passing it on is command-lost', () => {
    const w0 = initWorld(sys).world;
    const submitted = step(sys, w0, { k: 'submit', idx: 0 }).world;
    // Held by its proposer (volatile state, the pending durable write): not lost.
    expect(classifyUndecided(sys, submitted, new Set(), 0, 100)).toBe('livelock');
    const crashed = step(sys, submitted, { k: 'crash', node: sub.node }).world;
    expect(JSON.stringify(crashed)).not.toContain(sub.value);
    expect(classifyUndecided(sys, crashed, new Set(), 0, 100)).toBe('command-lost');
    // Decided elsewhere, it is no longer pending.
    expect(classifyUndecided(sys, crashed, new Set([sub.value]), 0, 100)).toBe('livelock');
  });

  it('a command not yet submitted is not lost; a quorum out of reach late in the run is quorum-unavailable', () => {
    const w0 = initWorld(sys).world;
    expect(classifyUndecided(sys, w0, new Set(), 0, 100)).toBe('livelock');
    expect(quorumAvailable(sys, w0)).toBe(true);
    expect(classifyUndecided(sys, w0, new Set(), 80, 100)).toBe('quorum-unavailable');
  });
});
