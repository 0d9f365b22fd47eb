/**
 * Sorts `xs` in place, stably, like `Array.prototype.sort` with the same comparator. Short arrays
 * (the hot path's object keys, group members, pending writes) are sorted by insertion, because
 * the built-in sort allocates a work array on every call, even for two elements.
 */
export function sortSmall<T>(xs: T[], cmp: (a: T, b: T) => number): T[] {
  if (xs.length > 16) return xs.sort(cmp);
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i] as T;
    let j = i - 1;
    while (j >= 0 && cmp(xs[j] as T, x) > 0) {
      xs[j + 1] = xs[j] as T;
      j--;
    }
    xs[j + 1] = x;
  }
  return xs;
}

export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const ascending = (a: number, b: number): number => a - b;
