import { describe, expect, it } from 'vitest';
import { diskMutants, diskRulesFor } from '../src/protocols/disk/mutants.js';
import { correctDiskRules } from '../src/protocols/disk/rules.js';
import { passiveMutants, passiveRulesFor } from '../src/protocols/passive/mutants.js';
import { correctPassiveRules } from '../src/protocols/passive/rules.js';
import { mutants as staticMutants, rulesFor } from '../src/protocols/static/mutants.js';
import { correctRules } from '../src/protocols/static/rules.js';

// A mutant is the correct protocol with one rule overridden (each family's rules.ts holds the
// correct behaviour, mutants.ts the overrides): no flag threads through the protocol code.

const changed = (a: object, b: object): string[] => Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]);

describe('mutants override exactly one rule', () => {
  it('static', () => {
    expect(rulesFor(undefined)).toBe(correctRules);
    for (const m of staticMutants) expect(changed(correctRules, rulesFor(m.name)), m.name).toHaveLength(1);
  });
  it('disk', () => {
    expect(diskRulesFor('none')).toBe(correctDiskRules);
    for (const m of diskMutants) expect(changed(correctDiskRules, diskRulesFor(m.name)), m.name).toHaveLength(1);
  });
  it('passive', () => {
    expect(passiveRulesFor(undefined, 'list')).toBe(correctPassiveRules);
    for (const m of passiveMutants) expect(changed(correctPassiveRules, passiveRulesFor(m.name, m.service ?? '')), m.name).toHaveLength(1);
    expect(() => passiveRulesFor('blind-put', 'list')).toThrow(/unknown mutant "blind-put" for protocol passive\/list/);
  });
  it('the correct rules are Paxos as published', () => {
    expect([0, 1, 2].map((round) => correctRules.ballot(round, 1, 3))).toEqual([2, 5, 8]);
    expect([1, 2, 3, 4, 5].map((n) => correctRules.quorum(n))).toEqual([1, 2, 2, 3, 3]);
    expect(correctRules.adopt([[[0, 3, 'x'], [1, 2, 'y']], [[0, 5, 'z']]])).toEqual({ 0: [5, 'z'], 1: [2, 'y'] });
    expect(correctDiskRules.disksNeeded(3)).toBe(2);
    expect(correctDiskRules.newBallotBlock({ mbal: 2, bal: 2, inp: 'v' }, 5)).toEqual({ mbal: 5, bal: 2, inp: 'v' });
    expect(correctPassiveRules.acceptedPromise(3, 4)).toBe(4);
  });
});
