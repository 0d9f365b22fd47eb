import type { Event } from '../kernel/events.js';
import { describeEvent } from '../kernel/events.js';
import type { Json, Packet, PacketBody, System } from '../kernel/types.js';
import type { Effects, World } from '../kernel/world.js';

function short(v: Json): string {
  return JSON.stringify(v).replace(/"([a-zA-Z_][a-zA-Z0-9_]*)":/g, '$1:');
}

export function describeBody(b: PacketBody): string {
  switch (b.kind) {
    case 'msg':
      return short(b.msg);
    case 'op':
      return `op ${short(b.req as unknown as Json)}`;
    case 'reply':
      return `reply ${short(b.reply as unknown as Json)}`;
  }
}

export function describePacket(p: Packet): string {
  return `n${p.from}→n${p.to} ${describeBody(p.body)}`;
}

/** One readable line for an applied event, naming the packet it concerns. */
export function describeStep(sys: System, prev: World, e: Event, fx: Effects): string {
  let text: string;
  if (e.k === 'deliver' || e.k === 'drop' || e.k === 'dup') {
    const p = prev.net.find((x) => x.seq === e.seq);
    const what = p ? describePacket(p) : `#${e.seq}`;
    const verb = e.k === 'deliver' ? (fx.lost ? 'lost' : 'deliver') : e.k === 'drop' ? 'drop' : 'duplicate';
    text = `${verb} ${what}${e.k === 'deliver' && e.fault ? ` [${e.fault}]` : ''}`;
  } else if (e.k === 'timer') {
    const t = prev.timers.find((x) => x.seq === e.seq);
    text = t ? `timer ${t.name} fires at n${t.node}` : describeEvent(e);
  } else if (e.k === 'write') {
    const w = prev.writes.find((x) => x.seq === e.seq);
    text = w ? `n${w.node} durable write ${w.key} completes` : describeEvent(e);
  } else {
    text = describeEvent(e, sys.workload);
  }
  const extras: string[] = [];
  if (fx.sent.length > 0 && e.k !== 'dup') extras.push(`sends ${fx.sent.length}`);
  for (const d of fx.decisions) extras.push(`n${d.node} DECIDES slot ${d.slot} = "${d.value}"`);
  if (fx.error) extras.push(`THREW ${fx.error.message}`);
  return extras.length > 0 ? `${text}  → ${extras.join(', ')}` : text;
}

/** Steps that matter in a compact trace: faults, crashes, decisions, errors. */
export function isNotable(e: Event, fx: Effects): boolean {
  if (e.k !== 'deliver' && e.k !== 'timer' && e.k !== 'write' && e.k !== 'submit') return true;
  if (e.k === 'deliver' && (e.fault || fx.lost)) return true;
  return fx.decisions.length > 0 || fx.error !== null;
}
