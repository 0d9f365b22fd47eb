import type { Event } from './events.js';
import { fingerprint } from './fingerprint.js';
import type { Hash64 } from './hash.js';
import { Hasher } from './hash.js';
import type { Effects, World } from './world.js';

const kindCode: Record<Event['k'], number> = {
  deliver: 1, drop: 2, dup: 3, timer: 4, write: 5, crash: 6, restart: 7, submit: 8, down: 9, up: 10, partition: 11, heal: 12,
};

/**
 * Fingerprint of a whole run: every applied event, what it did (sends, decisions, coverage
 * labels, errors) and the final world. Two runs with equal fingerprints took the same path.
 */
export class TraceFingerprint {
  private readonly h = new Hasher();
  private steps = 0;

  add(e: Event, fx: Effects): void {
    const h = this.h;
    h.word(kindCode[e.k]);
    switch (e.k) {
      case 'deliver':
        h.word(e.seq);
        if (e.fault) h.str(e.fault);
        break;
      case 'drop':
      case 'dup':
      case 'timer':
      case 'write':
        h.word(e.seq);
        break;
      case 'crash':
      case 'restart':
      case 'down':
      case 'up':
        h.word(e.node);
        break;
      case 'submit':
        h.word(e.idx);
        break;
      case 'partition':
        for (const g of e.groups) h.word(g);
        break;
      case 'heal':
        break;
    }
    this.effects(fx);
  }

  effects(fx: Effects): void {
    const h = this.h;
    h.word(fx.node ?? -1).word(fx.lost ? 1 : 0);
    for (const p of fx.sent) h.word(p.seq).word(p.to).value(p.body);
    for (const t of fx.timersSet) h.word(t.seq).str(t.name);
    for (const w of fx.writesStarted) h.word(w.seq).str(w.key).value(w.value);
    for (const d of fx.decisions) h.word(d.node).word(d.slot).str(d.value);
    for (const c of fx.covers) h.str(c);
    if (fx.error) h.str(fx.error.message);
    this.steps++;
  }

  finish(w: World): Hash64 {
    return this.h.word(this.steps).hash(fingerprint(w)).digest();
  }
}
