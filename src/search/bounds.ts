// Bounds under which `explore --strategy bfs` finishes within seconds: for every correct target
// a configuration whose whole state space closes (`complete: true`), and for every mutant one in
// which the search reaches its bug. Tests, the bench and the README all read them from here, and
// `exploreCommandLine` spells each as the exact CLI invocation that reproduces it.
//
// Why the completing bounds are this small: the untimed kernel world interleaves every delivery,
// durable-write completion and timer of every node, so even one client command with three
// acceptors or servers gives 10^4–10^5 states, and each extra command, crash or timer firing
// multiplies that by 10–100. Crashes are the costliest fault (a crash, and later a restart, of
// any node between any two steps); the completing bounds therefore keep one dropped message as
// their fault and no timer firings (timers=0: no retransmission, so a drop only stalls).

import type { FaultBudget } from '../kernel/events.js';
import type { Topology } from '../protocols/family.js';
import type { SystematicOptions } from './systematic.js';

/** Everything a bfs run over the kernel world is bounded by, as `--topology` and `--budget` spell it. */
export interface Bounds {
  readonly topology: Partial<Pick<Topology, 'proposers' | 'acceptors' | 'learners' | 'servers' | 'commands'>>;
  readonly budget: FaultBudget;
  /**
   * Distinct ballots the property history may hold before a state is pruned. Static Paxos counts
   * its acceptors' initial promise (-1) among them, so 3 there means two real ballots.
   */
  readonly ballots: number;
  /** Timer firings per node (world-model.ts `maxTimerFires`). */
  readonly timers: number;
  /** Writes complete as soon as issued: a bug-hunting restriction (world-model.ts `eagerWrites`). */
  readonly eagerWrites?: boolean;
  /** A storage operation and its reply are one step: a bug-hunting restriction (world-model.ts `atomicOps`). */
  readonly atomicOps?: boolean;
  /** Timers fire only at nodes with nothing in flight: a bug-hunting restriction (world-model.ts `quietTimers`). */
  readonly quietTimers?: boolean;
}

export interface TargetBounds {
  readonly protocol: string;
  readonly service?: string;
  readonly bounds: Bounds;
}

export interface MutantBounds extends TargetBounds {
  readonly mutant: string;
}

const oneDrop: FaultBudget = { drops: 1 };

/** One command, one dropped message, no timer firing: every correct target closes under these. */
export const completeBounds: readonly TargetBounds[] = [
  { protocol: 'static', bounds: { topology: { proposers: 2, acceptors: 3, learners: 1, commands: 1 }, budget: oneDrop, ballots: 3, timers: 0 } },
  { protocol: 'disk', bounds: { topology: { proposers: 2, servers: 2, commands: 1 }, budget: oneDrop, ballots: 2, timers: 0 } },
  { protocol: 'passive', service: 'list', bounds: { topology: { proposers: 2, servers: 2, commands: 1 }, budget: oneDrop, ballots: 2, timers: 0 } },
  { protocol: 'passive', service: 'cas', bounds: { topology: { proposers: 2, servers: 3, commands: 1 }, budget: oneDrop, ballots: 2, timers: 0 } },
  { protocol: 'passive', service: 'register', bounds: { topology: { proposers: 2, servers: 2, commands: 1 }, budget: oneDrop, ballots: 2, timers: 0 } },
];

const staticRace = (acceptors: number): Bounds['topology'] => ({ proposers: 2, acceptors, learners: 1, commands: 2 });
const twoAgents = (servers: number): Bounds['topology'] => ({ proposers: 2, servers, commands: 2 });

/**
 * Per mutant, the smallest bounds found at which bfs reaches the bug. Most need two proposers
 * racing with one command each; fewer acceptors or servers than three where the bug does not
 * depend on quorum overlap keep the search shallow. A fault appears only where the bug needs it:
 * a crash for the recovery bugs, a duplicate for the counting bugs, a storage fault for the
 * listing and conditional-put bugs.
 */
export const mutantBounds: readonly MutantBounds[] = [
  { protocol: 'static', mutant: 'no-adopt', bounds: { topology: staticRace(1), budget: {}, ballots: 3, timers: 0 } },
  { protocol: 'static', mutant: 'non-unique-ballot', bounds: { topology: staticRace(1), budget: {}, ballots: 3, timers: 0 } },
  // One acceptor: the first proposer's 1b for its first ballot, still in flight, counts toward
  // the quorum of its second ballot (one timer firing), after the rival's value was chosen.
  { protocol: 'static', mutant: 'stale-promise', bounds: { topology: staticRace(1), budget: {}, ballots: 4, timers: 1, eagerWrites: true } },
  { protocol: 'static', mutant: 'minority-quorum', bounds: { topology: staticRace(2), budget: {}, ballots: 3, timers: 0 } },
  { protocol: 'static', mutant: 'learner-duplicates', bounds: { topology: { proposers: 1, acceptors: 3, learners: 1, commands: 1 }, budget: { dups: 1 }, ballots: 3, timers: 0 } },
  { protocol: 'static', mutant: 'reply-before-persist', bounds: { topology: staticRace(1), budget: {}, ballots: 3, timers: 0 } },
  { protocol: 'static', mutant: 'accept-no-promise', bounds: { topology: { proposers: 1, acceptors: 3, learners: 1, commands: 1 }, budget: { dups: 1 }, ballots: 3, timers: 0 } },
  { protocol: 'static', mutant: 'ballot-reuse-after-restart', bounds: { topology: { proposers: 1, acceptors: 1, learners: 1, commands: 1 }, budget: { crashes: 1 }, ballots: 3, timers: 0 } },
  { protocol: 'static', mutant: 'decide-by-value', bounds: { topology: staticRace(2), budget: {}, ballots: 3, timers: 0 } },
  { protocol: 'disk', mutant: 'read-before-write', bounds: { topology: twoAgents(1), budget: {}, ballots: 2, timers: 0 } },
  { protocol: 'disk', mutant: 'minority-disks', bounds: { topology: twoAgents(2), budget: {}, ballots: 2, timers: 0 } },
  { protocol: 'disk', mutant: 'no-recovery-phase', bounds: { topology: twoAgents(1), budget: { crashes: 1 }, ballots: 3, timers: 0, eagerWrites: true } },
  // A chosen vote, then a restart whose new ballot drops it; the rival learns that ballot from
  // one poll (a timer firing at a quiet node) and outbids it with its own value.
  {
    protocol: 'disk',
    mutant: 'new-ballot-drops-vote',
    bounds: { topology: twoAgents(1), budget: { crashes: 1 }, ballots: 3, timers: 1, eagerWrites: true, atomicOps: true, quietTimers: true },
  },
  // The rival's value chosen over a lower vote of the first processor; the rival restarts, and
  // its new ballot adopts that lower vote, ignoring its own chosen one.
  { protocol: 'disk', mutant: 'ignore-own-block', bounds: { topology: twoAgents(1), budget: { crashes: 1 }, ballots: 3, timers: 0, eagerWrites: true, atomicOps: true } },
  { protocol: 'passive', service: 'list', mutant: 'replay-overwrite', bounds: { topology: { proposers: 1, servers: 3, commands: 1 }, budget: {}, ballots: 2, timers: 0 } },
  // One value accepted at ballot 1 on one list and, adopted, at ballot 2 on the other.
  { protocol: 'passive', service: 'list', mutant: 'decide-by-value', bounds: { topology: twoAgents(2), budget: {}, ballots: 2, timers: 0, eagerWrites: true, atomicOps: true } },
  { protocol: 'passive', service: 'list', mutant: 'stale-read', bounds: { topology: twoAgents(1), budget: {}, ballots: 2, timers: 0 } },
  { protocol: 'passive', service: 'list', mutant: 'gap-as-complete', bounds: { topology: twoAgents(1), budget: { storage: 1 }, ballots: 2, timers: 0 } },
  { protocol: 'passive', service: 'list', mutant: 'commit-before-majority', bounds: { topology: twoAgents(1), budget: {}, ballots: 2, timers: 0 } },
  { protocol: 'passive', service: 'cas', mutant: 'blind-put', bounds: { topology: twoAgents(1), budget: {}, ballots: 2, timers: 0 } },
  { protocol: 'passive', service: 'cas', mutant: 'conflict-as-success', bounds: { topology: twoAgents(1), budget: {}, ballots: 2, timers: 0 } },
];

const pairs = (o: Readonly<Record<string, number | undefined>>): string =>
  Object.entries(o)
    .filter((e): e is [string, number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** The `paxcheck explore` arguments that run `t` under its bounds with bfs. */
export function exploreCommandLine(t: TargetBounds & { readonly mutant?: string }): string {
  const b = t.bounds;
  const budget = pairs({ crashes: 0, drops: 0, ...b.budget, ballots: b.ballots, timers: b.timers });
  return [
    `paxcheck explore --protocol ${t.protocol}`,
    ...(t.service ? [`--service ${t.service}`] : []),
    ...(t.mutant ? [`--mutant ${t.mutant}`] : []),
    '--strategy bfs',
    `--topology ${pairs(b.topology)}`,
    `--budget ${budget}`,
    ...(b.eagerWrites ? ['--eager-writes'] : []),
    ...(b.atomicOps ? ['--atomic-ops'] : []),
    ...(b.quietTimers ? ['--quiet-timers'] : []),
  ].join(' ');
}

/** "2 proposers, 1 acceptor or server, 2 commands; crashes=1; ballots 3, timers 0; eager-writes, atomic-ops". */
export function boundsText(b: Bounds): string {
  const t = b.topology;
  const nodes = t.acceptors === t.servers ? `${t.acceptors ?? '?'} acceptor${t.acceptors === 1 ? '' : 's'} or server${t.servers === 1 ? '' : 's'}` : pairs({ acceptors: t.acceptors, servers: t.servers });
  const faults = pairs({ ...b.budget }) || 'no faults';
  const restrictions = [b.eagerWrites ? 'eager-writes' : '', b.atomicOps ? 'atomic-ops' : '', b.quietTimers ? 'quiet-timers' : ''].filter((x) => x !== '');
  return [`${t.proposers ?? '?'} proposers, ${nodes}, ${t.commands ?? '?'} commands`, faults, `ballots ${b.ballots}, timers ${b.timers}`, ...(restrictions.length > 0 ? [restrictions.join(', ')] : [])].join('; ');
}

export { targetName as targetLabel } from '../protocols/index.js';

/** The bfs search of a target or mutant at its bounds, as the CLI runs it (both reductions on). */
export function boundedSearch(t: TargetBounds & { readonly mutant?: string }, reductions = true): SystematicOptions {
  const b = t.bounds;
  return {
    protocol: t.protocol,
    service: t.service,
    mutant: t.mutant,
    strategy: 'bfs',
    topology: b.topology,
    budget: b.budget,
    maxBallots: b.ballots,
    maxTimerFires: b.timers,
    eagerWrites: b.eagerWrites,
    atomicOps: b.atomicOps,
    quietTimers: b.quietTimers,
    por: reductions,
    symmetry: reductions,
  };
}
