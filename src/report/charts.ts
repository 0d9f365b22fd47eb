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

/** A saturation point of a run set, as `saturationSpec` draws it. */
export interface SaturationRow {
  readonly series: string;
  readonly runs: number;
  /** Cumulative order classes (happens-before classes for run sets older than order classes). */
  readonly classes: number;
  /** New ones per 1,000 runs in the bucket ending here. */
  readonly rate: number;
  readonly [k: string]: string | number;
}

/** The rows of one series from a run set's saturation points. */
export function saturationRows(
  series: string,
  points: readonly { readonly runs: number; readonly classes: number; readonly newClassesPer1000: number; readonly orderClasses?: number; readonly newOrderClassesPer1000?: number }[],
): SaturationRow[] {
  return points.map((p) => ({ series, runs: p.runs, classes: p.orderClasses ?? p.classes, rate: p.newOrderClassesPer1000 ?? p.newClassesPer1000 }));
}

/**
 * Saturation: order classes found so far (the distinct first-few-event sequences of a node of
 * each role, coverage.ts `orderClasses`), and how many each further 1,000 runs add: when the
 * rate falls to 0, more runs of the same kind stop finding new orders.
 */
export function saturationSpec(title: string, rows: readonly SaturationRow[]): TopLevelSpec {
  const base = {
    data: { values: rows as unknown as Row[] },
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
          y: { field: 'classes', type: 'quantitative', title: 'order classes (cumulative)' },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
      {
        ...base,
        encoding: {
          x: { field: 'runs', type: 'quantitative', title: 'runs' },
          y: { field: 'rate', type: 'quantitative', title: 'new order classes / 1,000 runs' },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
    ],
  };
}

/** One run's commands and fault windows, as `latencySpec` draws them. */
export interface LatencyPanel {
  readonly title: string;
  readonly end: number;
  /** [submitted at, latency or null: never decided]. */
  readonly commands: readonly (readonly [number, number | null])[];
  readonly windows: readonly { readonly k: string; readonly node: number | null; readonly from: number; readonly to: number | null }[];
}

const FAULT_COLORS = { domain: ['crash', 'down', 'partition'], range: ['#ef4444', '#f59e0b', '#8b5cf6'] };

/**
 * Latency over time, one panel per run, as Jepsen draws it: each command at the virtual time it
 * was submitted, at the height of its latency to the first decision (never decided: a red cross
 * along the top), over shaded windows in which a node was crashed, a server down or the network
 * partitioned.
 */
export function latencySpec(title: string, panels: readonly LatencyPanel[]): TopLevelSpec {
  return {
    title,
    columns: 3,
    concat: panels.map((p) => {
      const decided = p.commands.filter((c): c is readonly [number, number] => c[1] !== null).map(([at, latency]) => ({ at, latency }));
      const top = Math.max(1, ...decided.map((d) => d.latency)) * 1.1;
      const never = p.commands.filter((c) => c[1] === null).map(([at]) => ({ at, latency: top, what: 'never decided' }));
      // Up to a little past the last decision or fault start: a run idles on to its horizon after that.
      const last = Math.max(1, ...p.commands.map(([at, l]) => at + (l ?? 0)), ...p.windows.map((w) => w.from));
      const xmax = Math.min(Math.max(1, p.end), Math.ceil(last * 1.15));
      const windows = p.windows
        .filter((w) => w.from <= xmax)
        .map((w) => ({ fault: w.k, node: w.node === null ? 'all' : `n${w.node}`, from: w.from, to: Math.min(xmax, w.to ?? p.end) }));
      const x = { field: 'at', type: 'quantitative' as const, title: 'virtual time (submitted)', scale: { domain: [0, xmax] } };
      return {
        title: { text: p.title, fontSize: 11 },
        width: 250,
        height: 110,
        layer: [
          {
            data: { values: windows },
            mark: { type: 'rect' as const, opacity: 0.22, tooltip: true },
            encoding: {
              x: { field: 'from', type: 'quantitative' as const, scale: x.scale, title: x.title },
              x2: { field: 'to' },
              color: { field: 'fault', type: 'nominal' as const, title: 'fault window', scale: FAULT_COLORS },
            },
          },
          {
            data: { values: decided },
            mark: { type: 'point' as const, filled: true, size: 26, color: '#1f77b4', tooltip: true },
            encoding: { x, y: { field: 'latency', type: 'quantitative' as const, title: 'latency', scale: { domain: [0, top] } } },
          },
          {
            data: { values: never },
            mark: { type: 'point' as const, shape: 'cross', size: 60, color: '#b91c1c', tooltip: true },
            encoding: { x, y: { field: 'latency', type: 'quantitative' as const } },
          },
        ],
      };
    }),
  } as TopLevelSpec;
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
