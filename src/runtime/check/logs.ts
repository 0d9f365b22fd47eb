import { NOOP } from '../../protocols/kv.js';
import type { AuditResult, DecisionReads, SlotAudit } from './audit.js';
import type { Acked, AgentLog, PropertyResult } from './types.js';
import { ok } from './types.js';

// The safety properties of DESIGN §4 over the agents' durable decision logs: the runtime's
// counterpart of the checks the simulator runs over node views after every step.

const bySlot = (log: AgentLog): Map<number, Set<string>> => {
  const m = new Map<number, Set<string>>();
  for (const r of log.records) {
    const s = m.get(r.slot) ?? new Set<string>();
    s.add(r.value);
    m.set(r.slot, s);
  }
  return m;
};

/** A node's decision for a slot never changes, across crash and recovery. */
export function checkStability(logs: readonly AgentLog[]): PropertyResult {
  for (const log of logs) {
    for (const [slot, values] of bySlot(log)) {
      if (values.size > 1) {
        return { property: 'stability', status: 'violation', message: `agent ${log.agent} decided slot ${slot} as ${[...values].map((v) => JSON.stringify(v)).join(' and as ')}`, slots: [slot] };
      }
    }
  }
  return ok('stability', `no agent changed a decision (${logs.reduce((n, l) => n + l.records.length, 0)} logged decisions)`);
}

/** Per slot, every agent decided the same value. */
export function checkAgreement(logs: readonly AgentLog[]): PropertyResult {
  const first = new Map<number, { agent: number; value: string }>();
  for (const log of logs) {
    for (const r of log.records) {
      const f = first.get(r.slot);
      if (f === undefined) first.set(r.slot, { agent: log.agent, value: r.value });
      else if (f.value !== r.value && f.agent !== log.agent) {
        return {
          property: 'agreement',
          status: 'violation',
          message: `slot ${r.slot}: agent ${f.agent} decided ${JSON.stringify(f.value)}, agent ${log.agent} decided ${JSON.stringify(r.value)}`,
          slots: [r.slot],
        };
      }
    }
  }
  return ok('agreement', `${first.size} slots, one value each`);
}

/**
 * Agreement from the stores' side, as the simulator checks it: a decided value must be chosen,
 * i.e. accepted by a majority of the stores at one ballot. Lists keep every vote, so there this
 * is exact; registers keep only the last vote, and a chosen value then is at least still held
 * by a majority (every later vote in the slot carries it).
 */
export function checkChosen(logs: readonly AgentLog[], audit: AuditResult | null, atDecision: DecisionReads): PropertyResult | null {
  for (const [slot, snap] of atDecision.snapshots) {
    const why = notChosen(snap.audit, snap.value, atDecision);
    if (why !== null) {
      const when = `${snap.lagMs.toFixed(1)} ms after it decided`;
      return { property: 'agreement', status: 'violation', message: `slot ${slot}: agent ${snap.agent} decided ${JSON.stringify(snap.value)}, but ${when} ${why}`, slots: [slot] };
    }
  }
  if (!audit) return null;
  for (const log of logs) {
    for (const r of log.records) {
      const s = audit.slots.get(r.slot);
      const why = s ? notChosen(s, r.value, audit) : null;
      if (why !== null) return { property: 'agreement', status: 'violation', message: `slot ${r.slot}: agent ${log.agent} decided ${JSON.stringify(r.value)}, but ${why}`, slots: [r.slot] };
    }
  }
  return null;
}

/** Why `value` is not chosen in what the stores hold for a slot, or null when it is. */
function notChosen(s: SlotAudit, value: string, size: { readonly stores: number; readonly majority: number }): string | null {
  const held = s.holding.get(value) ?? 0;
  if (s.chosen ? s.chosen.has(value) : held >= size.majority) return null;
  return s.chosen ? `no majority of the ${size.stores} stores accepted it at one ballot (${held} hold it at some ballot)` : `only ${held} of ${size.stores} stores hold it`;
}

/** Every decided value was submitted by a client (or is a no-op filler). */
export function checkValidity(logs: readonly AgentLog[], submitted: ReadonlySet<string>): PropertyResult {
  for (const log of logs) {
    for (const r of log.records) {
      if (r.value !== NOOP && !submitted.has(r.value)) {
        return { property: 'validity', status: 'violation', message: `agent ${log.agent} decided ${JSON.stringify(r.value)} in slot ${r.slot}, which no client submitted`, slots: [r.slot] };
      }
    }
  }
  return ok('validity', 'every decided value was submitted');
}

/**
 * Decided logs are prefix-consistent: an incarnation decides slots in order from 0, so its log
 * is a prefix of the log, and two prefixes agree where they overlap (replicas applying them
 * then hold equal states for equal prefixes).
 */
export function checkDivergence(logs: readonly AgentLog[]): PropertyResult {
  const prefixes: { agent: number; inc: number; values: string[] }[] = [];
  for (const log of logs) {
    const perInc = new Map<number, string[]>();
    for (const r of log.records) {
      const p = perInc.get(r.inc) ?? [];
      if (r.slot > p.length) {
        return { property: 'no-divergence', status: 'violation', message: `agent ${log.agent} (incarnation ${r.inc}) decided slot ${r.slot} before slot ${p.length}: a hole in its log`, slots: [p.length, r.slot] };
      }
      if (r.slot === p.length) p.push(r.value);
      perInc.set(r.inc, p);
    }
    for (const [inc, values] of perInc) prefixes.push({ agent: log.agent, inc, values });
  }
  for (const a of prefixes) {
    for (const b of prefixes) {
      const n = Math.min(a.values.length, b.values.length);
      for (let i = 0; i < n; i++) {
        if (a.values[i] !== b.values[i]) {
          return { property: 'no-divergence', status: 'violation', message: `logs diverge at slot ${i}: agent ${a.agent}/${a.inc} has ${JSON.stringify(a.values[i])}, agent ${b.agent}/${b.inc} has ${JSON.stringify(b.values[i])}`, slots: [i] };
        }
      }
    }
  }
  return ok('no-divergence', `${prefixes.length} incarnation logs are prefixes of one log`);
}

/**
 * Nothing acknowledged is lost. From the stores: every acknowledged command is still a vote in
 * its slot on a majority of them (see audit.ts). From the agents: after the final restart of
 * every agent, what they re-learned from the stores alone is the acknowledged command in each
 * acknowledged slot they reached.
 */
export function checkDurability(logs: readonly AgentLog[], acked: readonly Acked[], audit: AuditResult | null): PropertyResult {
  for (const a of acked) {
    const held = audit?.slots.get(a.slot)?.holding.get(a.command) ?? 0;
    if (audit && held < audit.majority) {
      return {
        property: 'durability',
        status: 'violation',
        message: `op ${a.id} was acknowledged in slot ${a.slot} as ${JSON.stringify(a.command)}, but only ${held} of ${audit.stores} stores hold it as a vote there (a majority is ${audit.majority})`,
        slots: [a.slot],
        ops: [a.id],
      };
    }
  }
  const finals = logs.map((log) => {
    const final = new Map<number, string>();
    for (const r of log.records) if (r.inc === log.finalInc && !final.has(r.slot)) final.set(r.slot, r.value);
    return { agent: log.agent, final };
  });
  let relearned = 0;
  for (const a of acked) {
    let seen = false;
    for (const { agent, final } of finals) {
      const v = final.get(a.slot);
      if (v === undefined) continue;
      seen = true;
      if (v !== a.command) {
        return {
          property: 'durability',
          status: 'violation',
          message: `op ${a.id} was acknowledged in slot ${a.slot} as ${JSON.stringify(a.command)}, but after the final restart agent ${agent} learned ${JSON.stringify(v)} there`,
          slots: [a.slot],
          ops: [a.id],
        };
      }
    }
    if (seen) relearned++;
  }
  const stores = audit ? `each held by a majority of the ${audit.stores} stores` : 'stores not audited';
  const message = `${acked.length} acknowledged commands, ${stores}; ${relearned} re-learned by the restarted agents in time, all unchanged: nothing lost`;
  return audit ? ok('durability', message) : { property: 'durability', status: 'unknown', message };
}
