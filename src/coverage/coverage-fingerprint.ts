// Distinct-state counting at simulation speed. The kernel's `fingerprint` re-hashes every node
// state on every step; a run changes one node per step and shares the rest of the world with the
// step before, so this variant hashes each shared part (agent slot, server slot, packet) once and
// remembers the result by object identity. It identifies exactly the worlds the kernel
// fingerprint identifies (same parts, same exclusions: sequence numbers are names, not state);
// test/coverage-fingerprint.test.ts holds it to that.

import type { Hash64 } from '../kernel/hash.js';
import { Hasher, combineUnordered } from '../kernel/hash.js';
import type { Packet } from '../kernel/types.js';
import type { AgentSlot, ServerSlot, World } from '../kernel/world.js';

const agents = new WeakMap<AgentSlot, Hash64>();
const servers = new WeakMap<ServerSlot, Hash64>();
const packets = new WeakMap<Packet, Hash64>();

function agentHash(a: AgentSlot): Hash64 {
  let h = agents.get(a);
  if (!h) {
    h = new Hasher().word(a.up ? 1 : 0).word(a.incarnation).value(a.state).value(a.durable).digest();
    agents.set(a, h);
  }
  return h;
}

function serverHash(s: ServerSlot): Hash64 {
  let h = servers.get(s);
  if (!h) {
    h = new Hasher().word(s.up ? 1 : 0).value(s.data.store).value(s.data.versions).digest();
    servers.set(s, h);
  }
  return h;
}

function packetHash(p: Packet): Hash64 {
  let h = packets.get(p);
  if (!h) {
    h = new Hasher().word(p.from).word(p.to).value(p.body).digest();
    packets.set(p, h);
  }
  return h;
}

/** A canonical 64-bit identity of `w`: equal exactly when the kernel fingerprints are equal. */
export function stateKey(w: World): Hash64 {
  const h = new Hasher();
  h.word(0x51).word(w.agents.length);
  for (const a of w.agents) h.hash(agentHash(a));
  h.word(0x52).word(w.servers.length);
  for (const s of w.servers) h.hash(serverHash(s));
  h.word(0x53).hash(combineUnordered(w.net.map(packetHash)));
  h.word(0x54).hash(combineUnordered(w.timers.map((t) => new Hasher().word(t.node).str(t.name).digest())));
  h.word(0x55).word(w.writes.length);
  const byNode = [...w.writes].sort((a, b) => a.node - b.node || a.seq - b.seq);
  for (const x of byNode) h.word(x.node).str(x.key).value(x.value);
  h.word(0x56).value(w.partition).value(w.pending);
  const u = w.used;
  h.word(u.crashes).word(u.drops).word(u.dups).word(u.partitions).word(u.downs).word(u.storage);
  return h.digest();
}
