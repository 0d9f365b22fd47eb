import type { Hash64 } from './hash.js';
import { Hasher, combineUnordered, hashValue } from './hash.js';
import type { World } from './world.js';

/**
 * Canonical 64-bit fingerprint of a world: node states, durable stores, servers, in-flight
 * packets as a multiset, timers by (node, name), pending writes in per-node order, partition,
 * pending submissions and fault counters. Sequence numbers are left out: they name items, they
 * are not state, so two paths to the same configuration meet.
 */
export function fingerprint(w: World, extra?: unknown): Hash64 {
  const h = new Hasher();
  h.word(0x51).word(w.agents.length);
  for (const a of w.agents) {
    h.word(a.up ? 1 : 0).word(a.incarnation).value(a.state).value(a.durable);
  }
  h.word(0x52).word(w.servers.length);
  for (const s of w.servers) h.word(s.up ? 1 : 0).value(s.data.store).value(s.data.versions);
  h.word(0x53).hash(combineUnordered(w.net.map((p) => new Hasher().word(p.from).word(p.to).value(p.body).digest())));
  h.word(0x54).hash(
    combineUnordered(w.timers.map((t) => new Hasher().word(t.node).str(t.name).digest())),
  );
  h.word(0x55).word(w.writes.length);
  const byNode = [...w.writes].sort((a, b) => a.node - b.node || a.seq - b.seq);
  for (const x of byNode) h.word(x.node).str(x.key).value(x.value);
  h.word(0x56).value(w.partition).value(w.pending);
  const u = w.used;
  h.word(u.crashes).word(u.drops).word(u.dups).word(u.partitions).word(u.downs).word(u.storage);
  if (extra !== undefined) h.hash(hashValue(extra));
  return h.digest();
}
