// Progress on stderr, so that `--json` stdout stays one object. Work that ends within about
// two seconds prints nothing; longer work gets a bar redrawn in place on a TTY, and otherwise
// (CI logs, pipes) one line every few seconds: done / total, rate and, where a bound is known,
// an estimate of the time left.

import type { ExploreProgress } from '../search/bfs.js';
/** What a long job reports: how far it is and, for searches, the queue and depth. */
export interface ProgressUpdate {
  /** Total units when a bound is known (runs; a search's --max-states); null: unknown. */
  readonly total?: number | null;
  readonly note?: string;
  /**
   * How long the work counted in `done` has run, when that is not the bar's whole life: each
   * attempt of the bound ladder counts its states from zero, and its rate is its own.
   */
  readonly elapsedMs?: number;
}

export interface Progress {
  update(done: number, u?: ProgressUpdate): void;
  /** Clears the bar (a TTY) so that what follows starts on a clean line. */
  stop(): void;
}

// Tests and CI may shorten the quiet period and the line interval (milliseconds).
const envMs = (name: string, dflt: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 ? v : dflt;
};
const QUIET_MS = envMs('PAXCHECK_PROGRESS_AFTER_MS', 2000);
const LINE_MS = envMs('PAXCHECK_PROGRESS_EVERY_MS', 5000);
const TTY_MS = 100;

const num = (n: number): string => Math.round(n).toLocaleString('en-US');

export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One status line: "label: 450/1,000 runs (45%), 123 runs/s, ETA 4s; note". */
export function progressLine(label: string, unit: string, done: number, total: number | null, elapsedMs: number, note = ''): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const of = total !== null && total > 0 ? `${num(done)}/${num(total)} ${unit} (${Math.floor((100 * done) / total)}%)` : `${num(done)} ${unit}`;
  const eta = total !== null && rate > 0 && done < total ? `, ETA ${duration(((total - done) / rate) * 1000)}` : '';
  return `${label}: ${of}, ${num(rate)} ${unit}/s${eta}${note ? `; ${note}` : ''}`;
}

function bar(done: number, total: number | null, width = 20): string {
  if (total === null || total <= 0) return '';
  const full = Math.min(width, Math.floor((width * done) / total));
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] `;
}

/** A progress reporter for `unit`s of work; `enabled: false` prints nothing. */
export function progress(label: string, unit: string, total: number | null, enabled = true): Progress {
  if (!enabled) return { update: () => {}, stop: () => {} };
  const tty = process.stderr.isTTY === true;
  const t0 = Date.now();
  let last = 0;
  let drawn = false;
  let bound = total;
  return {
    update(done, u = {}) {
      if (u.total !== undefined) bound = u.total;
      const now = Date.now();
      if (now - t0 < QUIET_MS || now - last < (tty ? TTY_MS : LINE_MS)) return;
      last = now;
      const line = progressLine(label, unit, done, bound, u.elapsedMs ?? now - t0, u.note);
      if (tty) {
        const width = process.stderr.columns ?? 100;
        process.stderr.write(`\r\x1b[K${(bar(done, bound) + line).slice(0, width - 1)}`);
        drawn = true;
      } else process.stderr.write(line + '\n');
    },
    stop() {
      if (drawn) process.stderr.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/** The bar update of a state-space search: distinct states, with the depth and queue length. */
export function searchProgress(bar: Progress): (p: ExploreProgress) => void {
  return (p) => bar.update(p.distinctStates, { note: `depth ${p.depth}, queue ${p.queued}`, elapsedMs: p.wallMs });
}
