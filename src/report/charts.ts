// Charts for the HTML report: Vega-Lite specs compiled and rendered to static SVG in Node, so
// the page needs no script and no network to show them.

import { parse, View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { compile } from 'vega-lite';

type Row = Readonly<Record<string, string | number | null>>;

const FONT = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';

const config = {
  font: FONT,
  background: 'white',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 11, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 11 },
  header: { labelFontSize: 11, titleFontSize: 11 },
  title: { fontSize: 13, anchor: 'start' as const },
};

/** Renders one Vega-Lite spec to an SVG string (no renderer, no DOM, no network). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { ...config, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new View(parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Cumulative distinct states and the rate of new interleaving classes, one line per series. */
export function saturationSpec(title: string, rows: readonly Row[]): TopLevelSpec {
  const base = {
    data: { values: rows as Row[] },
    mark: { type: 'line' as const, point: true },
    width: 300,
    height: 160,
  };
  return {
    title,
    hconcat: [
      {
        ...base,
        encoding: {
          x: { field: 'runs', type: 'quantitative', title: 'runs' },
          y: { field: 'states', type: 'quantitative', title: 'distinct states (cumulative)' },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
      {
        ...base,
        encoding: {
          x: { field: 'runs', type: 'quantitative', title: 'runs' },
          y: { field: 'newClassesPer1000', type: 'quantitative', title: 'new interleaving classes / 1,000 runs' },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
    ],
  };
}

/** A histogram of pre-counted values ({value, runs, series}), binned, one small chart per series. */
export function histogramSpec(title: string, xTitle: string, rows: readonly Row[], binned: boolean): TopLevelSpec {
  return {
    title,
    data: { values: rows as Row[] },
    facet: { field: 'series', type: 'nominal', title: null },
    columns: 3,
    spec: {
      width: 200,
      height: 110,
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: binned
          ? { field: 'value', type: 'quantitative', bin: { maxbins: 24 }, title: xTitle }
          : { field: 'value', type: 'ordinal', title: xTitle },
        y: { aggregate: 'sum', field: 'runs', type: 'quantitative', title: 'runs' },
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
}

/** Heatmap of message orders: cell (first, second) = runs where `first` arrived before `second`. */
export function orderHeatmapSpec(title: string, rows: readonly Row[], kinds: readonly string[]): TopLevelSpec {
  const sort = [...kinds];
  return {
    title,
    data: { values: rows as Row[] },
    width: Math.max(80, 48 * kinds.length),
    height: Math.max(60, 26 * kinds.length),
    encoding: {
      x: { field: 'second', type: 'ordinal', sort, title: 'then arrives', axis: { labelAngle: -40 } },
      y: { field: 'first', type: 'ordinal', sort, title: 'arrives first' },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white' },
        encoding: {
          color: {
            field: 'runs',
            type: 'quantitative',
            title: 'runs',
            scale: { type: 'symlog', range: ['#f3f7fc', '#5b9bd5'], domainMin: 0 },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'label', type: 'nominal' },
          color: { condition: { test: 'datum.runs === 0 && datum.first !== datum.second', value: '#c0392b' }, value: '#333' },
        },
      },
    ],
  };
}

/** Grouped bars: a rate by a numeric x, one bar colour per group, one column per facet. */
export function groupedBarSpec(
  title: string,
  rows: readonly Row[],
  o: { x: string; xTitle: string; y: string; yTitle: string; color: string; facet: string; share?: boolean },
): TopLevelSpec {
  return {
    title,
    data: { values: rows as Row[] },
    facet: { field: o.facet, type: 'nominal', title: null },
    columns: 3,
    spec: {
      width: 180,
      height: 130,
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: o.x, type: 'ordinal', title: o.xTitle },
        xOffset: { field: o.color, type: 'nominal' },
        // A share keeps its 0–100 % axis even when every bar is 0 (no livelock at all).
        y: o.share
          ? { field: o.y, type: 'quantitative', title: o.yTitle, scale: { domain: [0, 1] }, axis: { format: '.0%' } }
          : { field: o.y, type: 'quantitative', title: o.yTitle },
        color: { field: o.color, type: 'nominal', title: null, scale: { domain: ['deterministic', 'randomized'], range: ['#d95f02', '#1b9e77'] } },
      },
    },
  };
}
