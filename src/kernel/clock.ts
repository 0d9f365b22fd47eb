import type { Rng } from './rng.js';

/** Delay distributions of the timed model, in virtual time units. */
export type Distribution =
  | { readonly dist: 'fixed'; readonly value: number }
  | { readonly dist: 'uniform'; readonly min: number; readonly max: number }
  | { readonly dist: 'exponential'; readonly mean: number }
  /** Pareto: most draws near `scale`, a few very late (long tail). */
  | { readonly dist: 'longtail'; readonly scale: number; readonly alpha: number; readonly cap: number };

export function draw(d: Distribution, rng: Rng): number {
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return d.min + rng.next() * (d.max - d.min);
    case 'exponential':
      return -d.mean * Math.log(1 - rng.next());
    case 'longtail':
      return Math.min(d.cap, d.scale / Math.pow(1 - rng.next(), 1 / d.alpha));
  }
}
