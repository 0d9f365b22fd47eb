// Small HTML building blocks for self-contained report pages: everything inline, no script, no
// external resource, so a page opens from disk or a CI artifact with no network.

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export type Cell = string | number | null | { readonly html: string; readonly cls?: string };

function cell(c: Cell, tag: 'td' | 'th'): string {
  if (c === null) return `<${tag} class="na">–</${tag}>`;
  if (typeof c === 'number') return `<${tag} class="num">${c}</${tag}>`;
  if (typeof c === 'string') return `<${tag}>${esc(c)}</${tag}>`;
  return `<${tag}${c.cls ? ` class="${c.cls}"` : ''}>${c.html}</${tag}>`;
}

/** A row with a class of its own (e.g. the violating step). */
export interface Row {
  readonly cells: readonly Cell[];
  readonly cls: string;
}

export function table(header: readonly string[], rows: readonly (readonly Cell[] | Row)[], cls = ''): string {
  const head = `<tr>${header.map((h) => cell(h, 'th')).join('')}</tr>`;
  const body = rows
    .map((r) => {
      const cells = 'cells' in r ? r.cells : r;
      const rc = 'cells' in r && r.cls ? ` class="${r.cls}"` : '';
      return `<tr${rc}>${cells.map((c) => cell(c, 'td')).join('')}</tr>`;
    })
    .join('\n');
  return `<table${cls ? ` class="${cls}"` : ''}><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}

export const badge = (text: string, kind: 'ok' | 'bad' | 'warn' | 'info'): { html: string } => ({ html: `<span class="badge ${kind}">${esc(text)}</span>` });

export function pct(a: number, b: number): string {
  return b === 0 ? '–' : `${Math.round((1000 * a) / b) / 10}%`;
}

/** A slug usable as an element id. */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #222; background: #fafafa; }
header.top { background: #1f2937; color: #f9fafb; padding: 14px 24px; }
header.top h1 { margin: 0; font-size: 20px; }
header.top p { margin: 4px 0 0; color: #cbd5e1; font-size: 13px; }
main { padding: 8px 24px 48px; max-width: 1400px; box-sizing: border-box; }
nav.toc { font-size: 13px; margin: 12px 0; }
nav.toc a { margin-right: 12px; }
section { background: white; border: 1px solid #e5e7eb; border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
h2 { font-size: 17px; margin: 4px 0 10px; }
h3 { font-size: 15px; margin: 16px 0 8px; }
h4 { font-size: 13px; margin: 12px 0 6px; color: #444; }
table { border-collapse: collapse; font-size: 12.5px; margin: 6px 0 12px; max-width: 100%; }
th, td { border: 1px solid #e5e7eb; padding: 3px 7px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
td.diff, td code { overflow-wrap: anywhere; }
th { background: #f3f4f6; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.na { color: #999; text-align: center; }
tr.hit td { background: #fff1f0; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11.5px; font-weight: 600; }
.badge.ok { background: #dcfce7; color: #166534; } .badge.bad { background: #fee2e2; color: #991b1b; }
.badge.warn { background: #fef3c7; color: #92400e; } .badge.info { background: #e0e7ff; color: #3730a3; }
.banner { padding: 8px 12px; border-radius: 6px; margin: 12px 0; }
.banner.bad { background: #fee2e2; color: #7f1d1d; } .banner.warn { background: #fef3c7; color: #78350f; } .banner.ok { background: #dcfce7; color: #14532d; }
/* Nothing scrolls inside the page: wide charts and diagrams scale down to the page's width. */
.chart { margin: 8px 0 16px; }
.chart svg, .diagram svg { max-width: 100%; height: auto; display: block; }
.diagram { border: 1px solid #e5e7eb; background: white; width: fit-content; max-width: 100%; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
pre { background: #f8fafc; border: 1px solid #e5e7eb; padding: 8px; white-space: pre-wrap; overflow-wrap: anywhere; }
.diff del { color: #b91c1c; text-decoration: none; } .diff ins { color: #15803d; text-decoration: none; }
.muted { color: #6b7280; } .small { font-size: 12px; }
details > summary { cursor: pointer; margin: 6px 0; }
.grid { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
`;

/** A complete, self-contained HTML document. */
export function page(title: string, subtitle: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="top"><h1>${esc(title)}</h1><p>${esc(subtitle)}</p></header>
<main>
${body}
</main>
</body>
</html>
`;
}
