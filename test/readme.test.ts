// The README shows real runs (issue 10): every block marked `<!-- example … -->` is executed here
// and its key lines compared, so a change that alters what a user sees fails until the README is
// regenerated. Command blocks run through the real CLI in one scratch directory (a later block
// replays what an earlier one wrote); the "check your own protocol" code is written to a file,
// checked with the options its test shows, and the matcher's message compared with the README's.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Protocol } from '../src/index.js';
import { check } from '../src/vitest.js';
import { paxcheck } from './cli.js';

interface Block {
  readonly lang: string;
  readonly text: string;
  /** The next fenced block: the output a code block is said to produce. */
  readonly next: string | null;
}

function exampleBlocks(markdown: string): Block[] {
  const fence = /(<!-- example[^>]*-->\n)?```(\w*)\n([\s\S]*?)```/g;
  const all = [...markdown.matchAll(fence)].map((m) => ({ marked: m[1] !== undefined, lang: m[2] ?? '', text: m[3] ?? '' }));
  return all.flatMap((b, i) => (b.marked ? [{ lang: b.lang, text: b.text, next: all[i + 1]?.text ?? null }] : []));
}

// Wall-clock figures differ between runs; everything else a run prints is determined by its seed.
const normalize = (line: string): string =>
  line.trimEnd().replace(/\d+(\.\d+)? ?ms\b/g, '‹ms›').replace(/\d+ events\/s/g, '‹rate›');

/**
 * Every expected line appears in `actual`, in order. A line ending in "…" is a prefix; a line
 * that is only "…" stands for lines left out.
 */
function missingLines(expected: string, actual: string): string[] {
  const have = actual.split('\n').map(normalize);
  const missing: string[] = [];
  let at = 0;
  for (const raw of expected.split('\n')) {
    const want = normalize(raw);
    if (want.trim() === '' || want.trim().startsWith('…')) continue;
    const prefix = want.endsWith('…') ? want.slice(0, -1).trimEnd() : null;
    const found = have.findIndex((h, i) => i >= at && (prefix !== null ? h.startsWith(prefix) : h === want));
    if (found < 0) missing.push(raw);
    else at = found + 1;
  }
  return missing;
}

/** `$ cmd` lines and the output that follows each, or (a block without `$`) one command a line. */
function commands(block: string): { argv: string[]; expected: string }[] {
  const lines = block.trimEnd().split('\n');
  if (!lines.some((l) => l.startsWith('$ '))) {
    return lines.map((l) => l.replace(/#.*$/, '').trim()).filter((l) => l !== '').map((l) => ({ argv: l.split(/\s+/), expected: '' }));
  }
  const out: { argv: string[]; expected: string }[] = [];
  for (const l of lines) {
    if (l.startsWith('$ ')) out.push({ argv: l.slice(2).trim().split(/\s+/), expected: '' });
    else if (out.length > 0) (out[out.length - 1] as { expected: string }).expected += `${l}\n`;
  }
  return out;
}

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const blocks = exampleBlocks(readme);
const cwd = mkdtempSync(join(tmpdir(), 'paxcheck-readme-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('README examples are real runs', () => {
  it('marks the command blocks and the protocol example', () => {
    expect(blocks.filter((b) => b.lang !== 'ts').length).toBeGreaterThanOrEqual(2);
    expect(blocks.filter((b) => b.lang === 'ts')).toHaveLength(1);
  });

  const shell = blocks.filter((b) => b.lang !== 'ts').flatMap((b) => commands(b.text));
  // In README order, in one directory: the replay commands read the failure simulate wrote.
  it.each(shell.map((c) => [c.argv.join(' '), c] as const))('%s', (_line, c) => {
    expect(c.argv.slice(0, 2)).toEqual(['npx', 'paxcheck']);
    const r = paxcheck(c.argv.slice(2), cwd);
    expect([0, 1], r.stderr).toContain(r.code);
    expect(missingLines(c.expected, r.stdout), r.stdout).toEqual([]);
  });

  it('the protocol in "Check your own protocol" behaves as shown', async () => {
    const code = blocks.find((b) => b.lang === 'ts') as Block;
    const [protocolFile = '', testFile = ''] = code.text.split('// keeper.test.ts');
    const options = { strategy: 'bfs', budget: { crashes: 1, drops: 1 } } as const;
    expect(testFile).toContain(`const options = ${JSON.stringify(options).replace(/"(\w+)":/g, '$1: ').replace(/"/g, "'").replace(/,/g, ', ').replace(/\{/g, '{ ').replace(/\}/g, ' }')} as const;`);
    const dir = join(__dirname, 'fixtures');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, '.readme-keeper.ts');
    writeFileSync(file, protocolFile);
    const mod = (await import(file)) as { default: Protocol; forgetfulKeeper: Protocol };
    const reportDir = join(cwd, 'reports');
    expect(check(mod.default, { ...options, out: reportDir })).toHold();
    let message = '';
    try {
      expect(check(mod.forgetfulKeeper, { ...options, out: reportDir })).toHold();
    } catch (e) {
      message = (e as Error).message;
    }
    const shown = (code.next ?? '').replace(/^Error: /, '').replace(/reports\/failures\//g, `${reportDir}/failures/`);
    expect(missingLines(shown, message), message).toEqual([]);
  });
});
