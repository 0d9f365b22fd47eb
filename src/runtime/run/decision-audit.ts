import type { ServerKind } from '../../kernel/types.js';
import type { DecisionReads, DecisionSnapshot } from '../check/audit.js';
import { majority } from '../../protocols/disk/log.js';
import { readSlot } from '../check/audit.js';
import { openStores } from '../stores/store.js';
import type { Store } from '../stores/store.js';

// The stores read as soon as a slot's first decision is reported, while the run goes on: the
// simulator checks "decided implies chosen" at the step of the decision, and the end state alone
// cannot, because a proposer's remaining ACCEPTs may still land and make the value chosen after
// the fact. The read is sound however late it comes: a list only grows and whether a record was
// accepted depends only on what lies before it, and a register's chosen value stays held by a
// majority, so what was chosen when the agent decided is still chosen in any later read. A late
// read can only miss a premature decision, never invent one.

/** A read that has not answered by then is abandoned: a paused store must not hold up the run. */
const READ_LIMIT_MS = 2_000;

export class DecisionAudit implements DecisionReads {
  readonly snapshots = new Map<number, DecisionSnapshot>();
  readonly majority: number;
  /** Reads abandoned because a store did not answer (down, paused, cut off). */
  skipped = 0;
  private readonly asked = new Set<number>();
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  private constructor(
    private readonly opened: readonly Store[],
    private readonly kind: ServerKind,
    private readonly agents: number,
  ) {
    this.majority = majority(opened.length);
  }

  get stores(): number {
    return this.opened.length;
  }

  static async open(specs: readonly string[], kind: ServerKind, agents: number): Promise<DecisionAudit> {
    return new DecisionAudit(await openStores(specs, kind), kind, agents);
  }

  /** A decision reported by an agent: the first one of each slot has the stores read now. */
  onDecide(agent: number, slot: number, value: string): void {
    if (this.closed || this.asked.has(slot)) return;
    this.asked.add(slot);
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), READ_LIMIT_MS)));
    const read = readSlot(this.opened, this.kind, slot, this.agents).catch(() => null);
    const p = Promise.race([read, limit]).then((audit) => {
      clearTimeout(timer);
      if (audit === null) this.skipped++;
      else this.snapshots.set(slot, { agent, value, lagMs: performance.now() - t0, audit });
    });
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Waits for the reads in flight, then closes the stores. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.pending]);
    await Promise.allSettled(this.opened.map((s) => s.close()));
  }
}
