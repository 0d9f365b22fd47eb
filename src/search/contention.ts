// Whether a bounded search exercised contention: the `sometimes` checks the bound ladder reports
// for every rung, since a rung in which only one proposer ever runs a ballot closes with the
// same counts whether or not the protocol's agreement logic is right, and proves nothing about
// it. Every rung gives each of its two proposers a command of its own, so two proposers running
// ballots means two ballots proposing different values unless one adopted the other's (votes
// for two values in one slot would be too strong: a correct protocol never shows them with one
// or two acceptors). Read from the property history every state carries
// (properties/history.ts): a lookup per state until both are reached, nothing after.

import type { History } from '../properties/history.js';
import type { WorldState, WorldWatch } from './world-model.js';

export interface ContentionReach {
  /** Two different proposers each ran a ballot. */
  readonly twoLeaders: boolean;
  /** Some node decided a value. */
  readonly decided: boolean;
}

export const CONTENTION_CHECKS: readonly (keyof ContentionReach)[] = ['twoLeaders', 'decided'];

const twoLeaders = (h: History): boolean => new Set(Object.values(h.leaders).map((who) => who.split('@')[0])).size >= 2;

export class ContentionWatch implements WorldWatch {
  private r = { twoLeaders: false, decided: false };

  get reach(): ContentionReach {
    return { ...this.r };
  }

  onInitial(s: WorldState): void {
    this.see(s);
  }

  onTransition(_from: WorldState, _e: unknown, _fx: unknown, to: WorldState): void {
    this.see(to);
  }

  private see(s: WorldState): void {
    const r = this.r;
    if (r.twoLeaders && r.decided) return;
    const h = s.c.hist;
    if (!r.twoLeaders) r.twoLeaders = twoLeaders(h);
    if (!r.decided) r.decided = Object.keys(h.decided).length > 0;
  }
}

/** The checks a reach missed, by name; empty when the search exercised contention. */
export const missedContention = (r: ContentionReach): (keyof ContentionReach)[] => CONTENTION_CHECKS.filter((k) => !r[k]);
