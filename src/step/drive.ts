// Long computations (runs of a simulation, states of a search, cells of a campaign) are written
// once, as generators that yield at step boundaries: after a run, every few hundred states. Two
// drivers run them. `runSync` is what library callers and tests use: it never gives up the
// thread, so results and signatures stay as they were. `runAsync` is what the CLI uses: Node
// runs a SIGINT handler only when the event loop turns, so it hands the thread back every few
// tens of milliseconds; the handler sets a stop flag, and the generator, resumed, sees it at
// its next step boundary and returns what it has (a partial result marked interrupted).

/** A computation that yields at step boundaries and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/** Read by engines at their step boundaries; set by whoever wants them to stop (Ctrl-C). */
export interface StopFlag {
  readonly stopped: boolean;
}

/** Runs `g` to its end without yielding the thread. */
export function runSync<T>(g: Steps<T>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/** Work between two turns of the event loop: short enough that Ctrl-C acts well within a second. */
export const SLICE_MS = 40;

/** Lets the event loop run (timers, signal handlers, I/O callbacks) once. */
export function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs `g`, letting the event loop turn whenever a slice of work has taken `sliceMs`. */
export async function runAsync<T>(g: Steps<T>, sliceMs: number = SLICE_MS): Promise<T> {
  let last = performance.now();
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
    const now = performance.now();
    if (now - last >= sliceMs) {
      await turnEventLoop();
      last = performance.now();
    }
  }
}
