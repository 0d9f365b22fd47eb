import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

// The public surface is what the entry files name, and docs/api.md documents each name. Read
// from the entry files' source (type exports leave nothing at run time), then cross-checked
// against what the modules really export, so a parser slip cannot hide a name.

const root = new URL('..', import.meta.url);
const read = (p: string): string => readFileSync(new URL(p, root), 'utf8');

function exportedNames(source: string): { values: string[]; types: string[] } {
  const values: string[] = [];
  const types: string[] = [];
  for (const m of source.matchAll(/export\s+(type\s+)?\{([^}]*)\}\s+from/g)) {
    const names = (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((s) => s.split(/\s+as\s+/).pop() ?? s);
    (m[1] ? types : values).push(...names);
  }
  return { values, types };
}

const entries = [
  { file: 'src/index.ts', load: () => import('../src/index.js') },
  { file: 'src/vitest.ts', load: () => import('../src/vitest.js') },
  { file: 'src/runtime.ts', load: () => import('../src/runtime.js') },
] as const;

describe('the public API surface', () => {
  const doc = read('docs/api.md');
  for (const { file, load } of entries) {
    test(`${file}: every export is documented in docs/api.md, and the source names what the module exports`, async () => {
      const { values, types } = exportedNames(read(file));
      expect(values.length).toBeGreaterThan(0);
      const undocumented = [...values, ...types].filter((n) => !new RegExp('`' + n + '[`(<]').test(doc));
      expect(undocumented).toEqual([]);
      const mod = (await load()) as Record<string, unknown>;
      expect(Object.keys(mod).sort()).toEqual([...values].sort());
    });
  }

  test('package.json exports each entry with its declarations', () => {
    const pkg = JSON.parse(read('package.json')) as { exports: Record<string, { types?: string; import?: string }> };
    expect(Object.keys(pkg.exports).sort()).toEqual(['.', './package.json', './runtime', './vitest']);
    for (const [key, file] of [['.', 'index'], ['./vitest', 'vitest'], ['./runtime', 'runtime']] as const) {
      expect(pkg.exports[key]).toMatchObject({ types: `./dist/${file}.d.ts`, import: `./dist/${file}.js` });
    }
  });
});
