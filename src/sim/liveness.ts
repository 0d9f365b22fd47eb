import type { RunResult } from './timed.js';

export interface Quantiles {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly max: number | null;
}

export function quantiles(xs: readonly number[]): Quantiles {
  if (xs.length === 0) return { p50: null, p95: null, max: null };
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return { p50: round(at(0.5)), p95: round(at(0.95)), max: round(s[s.length - 1] as number) };
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** Liveness summary of a set of runs (DESIGN §4: recorded, never a failure by itself). */
export interface LivenessSummary {
  readonly runs: number;
  readonly decided: number;
  readonly quorumUnavailable: number;
  /** Undecided because a submitted command vanished with a crash before anyone else held it. */
  readonly commandLost: number;
  readonly livelock: number;
  readonly latency: Quantiles;
  readonly ballotsPerRun: Quantiles;
  readonly messagesPerDecision: number | null;
  readonly storageOpsPerDecision: number | null;
}

export class LivenessTally {
  private runs = 0;
  private decided = 0;
  private quorumUnavailable = 0;
  private commandLost = 0;
  private livelock = 0;
  private slots = 0;
  private messages = 0;
  private storageOps = 0;
  readonly latencies: number[] = [];
  readonly ballots: number[] = [];

  add(r: RunResult): void {
    const l = r.liveness;
    this.runs++;
    if (l.decided) this.decided++;
    if (l.undecided === 'quorum-unavailable') this.quorumUnavailable++;
    if (l.undecided === 'command-lost') this.commandLost++;
    if (l.undecided === 'livelock') this.livelock++;
    if (l.latency !== null) this.latencies.push(l.latency);
    this.ballots.push(l.ballots);
    this.slots += l.slotsDecided;
    this.messages += l.messages;
    this.storageOps += l.storageOps;
  }

  summary(): LivenessSummary {
    return {
      runs: this.runs,
      decided: this.decided,
      quorumUnavailable: this.quorumUnavailable,
      commandLost: this.commandLost,
      livelock: this.livelock,
      latency: quantiles(this.latencies),
      ballotsPerRun: quantiles(this.ballots),
      messagesPerDecision: this.slots > 0 ? round(this.messages / this.slots) : null,
      storageOpsPerDecision: this.slots > 0 ? round(this.storageOps / this.slots) : null,
    };
  }
}
