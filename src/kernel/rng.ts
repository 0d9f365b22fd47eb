import seedrandom from 'seedrandom';

/** A seeded stream of draws. Every random choice in a run comes from one of these. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
}

class SeededRng implements Rng {
  private readonly prng: seedrandom.PRNG;
  constructor(seed: string) {
    this.prng = seedrandom.alea(seed);
  }
  next(): number {
    return this.prng.double();
  }
  int(n: number): number {
    return Math.floor(this.prng.double() * n);
  }
  chance(p: number): boolean {
    return p > 0 && this.prng.double() < p;
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[this.int(xs.length)] as T;
  }
}

/**
 * Named child streams of one root seed: each component draws from its own stream, so adding a
 * fault kind (a new stream) does not shift the draws of the network or the scheduler.
 */
export class RngStreams {
  private readonly streams = new Map<string, Rng>();
  constructor(readonly rootSeed: number | string) {}
  get(name: string): Rng {
    let r = this.streams.get(name);
    if (!r) {
      r = new SeededRng(`${String(this.rootSeed)}/${name}`);
      this.streams.set(name, r);
    }
    return r;
  }
}
