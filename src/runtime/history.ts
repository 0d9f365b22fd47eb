import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

// The run's history, one JSON object per line, in the order things happened at the tester:
// client operations (invoke, then ok / fail / info), decisions the agents reported, every fault
// and heal of the nemesis. Times are milliseconds since the run started. The file is appended
// line by line as the run goes, so an interrupted run still leaves what happened so far.

export type OpKind = 'put' | 'get';

interface Base {
  readonly time: number;
}

export interface InvokeEvent extends Base {
  readonly type: 'invoke';
  readonly id: number;
  /** The client process (Jepsen's sense: one operation at a time; a new one after an info). */
  readonly process: number;
  readonly agent: number;
  readonly f: OpKind;
  readonly key: string;
  /** put: the value written. */
  readonly value?: string;
  /** The command submitted to the log. */
  readonly command: string;
}

export interface CompleteEvent extends Base {
  readonly type: 'ok' | 'fail' | 'info';
  readonly id: number;
  readonly process: number;
  readonly agent: number;
  readonly f: OpKind;
  readonly key: string;
  /** ok get: the value read (null: never written). */
  readonly value?: string | null;
  /** ok: the slot the command was decided in. */
  readonly slot?: number;
  /** fail / info: why. fail means certainly not executed; info means unknown. */
  readonly reason?: string;
}

export interface DecideEvent extends Base {
  readonly type: 'decide';
  readonly agent: number;
  readonly inc: number;
  readonly slot: number;
  readonly value: string;
}

export interface FaultEvent extends Base {
  readonly type: 'fault';
  /** kill, restart, pause, resume, store-kill, store-restart, store-pause, store-resume, store-slow, store-lock, … */
  readonly fault: string;
  /** e.g. "agent 1", "store 2". */
  readonly target: string;
  readonly detail?: string;
}

export interface NoteEvent extends Base {
  readonly type: 'note';
  readonly message: string;
}

export interface ErrorEvent extends Base {
  readonly type: 'error';
  readonly agent: number;
  readonly message: string;
}

export type HistoryEvent = InvokeEvent | CompleteEvent | DecideEvent | FaultEvent | NoteEvent | ErrorEvent;

/** Distributes Omit over the union, so each event keeps its own fields. */
type WithoutTime<E> = E extends HistoryEvent ? Omit<E, 'time'> : never;
export type NewEvent = WithoutTime<HistoryEvent>;

export class History {
  readonly events: HistoryEvent[] = [];
  private readonly t0 = performance.now();

  constructor(private readonly file: string | null) {
    if (file) writeFileSync(file, '');
  }

  now(): number {
    return Math.round((performance.now() - this.t0) * 1000) / 1000;
  }

  add(e: NewEvent): HistoryEvent {
    const event = { time: this.now(), ...e } as HistoryEvent;
    this.events.push(event);
    if (this.file) appendFileSync(this.file, JSON.stringify(event) + '\n');
    return event;
  }
}

export function writeHistory(file: string, events: readonly HistoryEvent[]): void {
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + (events.length ? '\n' : ''));
}

export function readHistory(file: string): HistoryEvent[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as HistoryEvent);
}
