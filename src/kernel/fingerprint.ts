import type { Hash64 } from './hash.js';
import { Hasher, combineUnordered, hashValue } from './hash.js';
import type { Packet } from './types.js';
import type { World } from './world.js';

/**
 * Canonical 64-bit fingerprint of a world: node states, durable stores, servers, in-flight
 * packets as a multiset, timers by (node, name), pending writes in per-node order, partition,
 * pending submissions and fault counters. Sequence numbers are left out: they name items, they
 * are not state, so two paths to the same configuration meet.
 */
export function fingerprint(w: World, extra?: unknown): Hash64 {
  let fp = worlds.get(w);
  if (fp === undefined) worlds.set(w, (fp = worldHash(w)));
  return extra === undefined ? fp : new Hasher().hash(fp).hash(hashOf(extra)).digest();
}

// A world is immutable too, and a search asks for its hash twice (coverage by world alone, the
// visited set with the property history): the second asking is a lookup.
const worlds = new WeakMap<World, Hash64>();

function worldHash(w: World): Hash64 {
  const h = new Hasher();
  h.word(0x51).word(w.agents.length);
  for (const a of w.agents) {
    h.word(a.up ? 1 : 0).word(a.incarnation).hash(hashOf(a.state)).hash(hashOf(a.durable));
  }
  h.word(0x52).word(w.servers.length);
  for (const s of w.servers) h.word(s.up ? 1 : 0).hash(hashOf(s.data.store)).hash(hashOf(s.data.versions));
  h.word(0x53).hash(combineUnordered(w.net.map(packetHash)));
  h.word(0x54).hash(
    combineUnordered(w.timers.map((t) => new Hasher().word(t.node).str(t.name).digest())),
  );
  h.word(0x55).word(w.writes.length);
  const byNode = [...w.writes].sort((a, b) => a.node - b.node || a.seq - b.seq);
  for (const x of byNode) h.word(x.node).str(x.key).hash(hashOf(x.value));
  h.word(0x56).value(w.partition).value(w.pending);
  const u = w.used;
  h.word(u.crashes).word(u.drops).word(u.dups).word(u.partitions).word(u.downs).word(u.storage);
  return h.digest();
}

// States are immutable (a handler returns a new state; the search shares the old one between
// sibling branches), so a part that a step left alone is the same object in the successor:
// its hash is kept by identity and a step pays only for what it changed. Primitives are cheap
// to hash and cannot be WeakMap keys.
const byIdentity = new WeakMap<object, Hash64>();

function hashOf(v: unknown): Hash64 {
  if (typeof v !== 'object' || v === null) return hashValue(v);
  let h = byIdentity.get(v);
  if (h === undefined) byIdentity.set(v, (h = hashValue(v)));
  return h;
}

const packets = new WeakMap<Packet, Hash64>();

function packetHash(p: Packet): Hash64 {
  let h = packets.get(p);
  if (h === undefined) packets.set(p, (h = new Hasher().word(p.from).word(p.to).hash(hashOf(p.body)).digest()));
  return h;
}
