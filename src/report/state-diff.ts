// A readable difference between two JSON-like values: the paths whose leaves changed. Used for
// the per-step state diff of a counterexample (a node's state before and after its handler).

export interface Change {
  /** `a.b[2].c`; empty for the root. */
  readonly path: string;
  /** Rendered values; null when the path did not exist on that side. */
  readonly before: string | null;
  readonly after: string | null;
}

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> => v !== null && typeof v === 'object' && !Array.isArray(v);

function render(v: unknown): string {
  if (v === undefined) return 'undefined';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Changed leaves between `a` and `b`. Objects are walked key by key, arrays of equal length
 * index by index; an array that grew or shrank is one change (the whole list), which reads
 * better than a cascade of shifted indices.
 */
export function diff(a: unknown, b: unknown, limit = 40): Change[] {
  const out: Change[] = [];
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (out.length >= limit || same(x, y)) return;
    if (isRecord(x) && isRecord(y)) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
      for (const k of keys) {
        const p = path ? `${path}.${k}` : k;
        if (!(k in y)) out.push({ path: p, before: render(x[k]), after: null });
        else if (!(k in x)) out.push({ path: p, before: null, after: render(y[k]) });
        else walk(x[k], y[k], p);
        if (out.length >= limit) return;
      }
      return;
    }
    if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) {
      for (let i = 0; i < x.length; i++) walk(x[i], y[i], `${path}[${i}]`);
      return;
    }
    out.push({ path, before: x === undefined ? null : render(x), after: y === undefined ? null : render(y) });
  };
  walk(a, b, '');
  return out;
}
