import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { ValidationError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { CHART_FONT_FAMILY, svgToPng } from './render.js';

/**
 * Charts: a vega-lite spec is compiled to vega, rendered headless to SVG (View with renderer 'none',
 * toSVG) and rasterised to PNG by resvg with a bundled font. Every helper builds a spec
 * (`*Spec`, useful to inspect or tweak) and writes it (`lineChart` etc.).
 */

export type ChartSpec = TopLevelSpec;

export interface ChartFile {
  path: string;
  /** Pixel size for PNG output, SVG units for SVG output. */
  width: number;
  height: number;
}

export interface AxisOptions {
  title: string;
  /** Logarithmic scale (values must be > 0). */
  log?: boolean;
  /** Include zero in a linear scale. Default: false for x, true for y. */
  zero?: boolean;
  /** Fixed [min, max]. */
  domain?: [number, number];
}

export interface ChartFrame {
  title?: string;
  /** Plot area size in SVG units (the PNG is `scale` times larger). */
  width?: number;
  height?: number;
}

const DEFAULT_WIDTH = 560;
const DEFAULT_HEIGHT = 300;

const BASE_CONFIG = {
  font: CHART_FONT_FAMILY,
  background: 'white',
  view: { stroke: '#bbbbbb' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  title: { fontSize: 14, anchor: 'start' },
} as const;

/** Compiles a vega-lite spec and renders it to an SVG document (no browser, no canvas). */
export async function specToSvg(spec: ChartSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface WriteChartOptions {
  /** PNG pixels per SVG unit. Default 2. */
  scale?: number;
  /** Also write the SVG next to the PNG (same name, .svg). */
  svg?: boolean;
}

/** Renders a spec to `path`: PNG when it ends in .png, SVG when it ends in .svg. Written atomically. */
export async function writeChart(path: string, spec: ChartSpec, options: WriteChartOptions = {}): Promise<ChartFile> {
  const svg = await specToSvg(spec);
  if (/\.svg$/i.test(path)) {
    writeFileAtomic(path, svg);
    const size = svgSize(svg);
    return { path, ...size };
  }
  if (!/\.png$/i.test(path)) throw new ValidationError('chart path', path, 'a file name ending in .png or .svg');
  const image = svgToPng(svg, { scale: options.scale });
  writeFileAtomic(path, image.png);
  if (options.svg) writeFileAtomic(path.replace(/\.png$/i, '.svg'), svg);
  return { path, width: image.width, height: image.height };
}

function svgSize(svg: string): { width: number; height: number } {
  const width = Number(/\bwidth="([\d.]+)"/.exec(svg)?.[1] ?? NaN);
  const height = Number(/\bheight="([\d.]+)"/.exec(svg)?.[1] ?? NaN);
  return { width, height };
}

function scaleOf(axis: AxisOptions, defaultZero: boolean): Record<string, unknown> {
  const scale: Record<string, unknown> = {};
  if (axis.log) scale.type = 'log';
  else scale.zero = axis.zero ?? defaultZero;
  if (axis.domain) scale.domain = axis.domain;
  return scale;
}

function frame(input: ChartFrame): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(input.title ? { title: input.title } : {}),
    width: input.width ?? DEFAULT_WIDTH,
    height: input.height ?? DEFAULT_HEIGHT,
    config: BASE_CONFIG,
  };
}

function requireFiniteValues(field: string, values: Iterable<number | undefined | null>, positive: boolean): void {
  let i = 0;
  for (const v of values) {
    if (v !== undefined && v !== null && (!Number.isFinite(v) || (positive && v <= 0))) {
      throw new ValidationError(`${field}[${i}]`, v, positive ? 'a finite number > 0 (log scale)' : 'a finite number');
    }
    i++;
  }
}

// ---------------------------------------------------------------------------------------------
// Line chart

export interface LinePoint {
  x: number;
  y: number;
  /** Line the point belongs to (legend entry). */
  series?: string;
  /** Lower and upper edge of the shaded band at this x (e.g. mean ± std over seeds). */
  lo?: number;
  hi?: number;
}

export interface ReferenceLine {
  /** Value on the y axis. */
  value: number;
  label: string;
}

export interface LineChartInput extends ChartFrame {
  x: AxisOptions;
  y: AxisOptions;
  points: LinePoint[];
  /** Horizontal reference lines (e.g. the float32 accuracy, chance level). */
  reference?: ReferenceLine[];
  /** Draw a dot at every point. Default true. */
  pointMarks?: boolean;
}

export function lineChartSpec(input: LineChartInput): ChartSpec {
  requireFiniteValues('points.x', input.points.map((p) => p.x), input.x.log ?? false);
  requireFiniteValues('points.y', input.points.map((p) => p.y), input.y.log ?? false);
  const hasSeries = input.points.some((p) => p.series !== undefined);
  const hasBand = input.points.some((p) => p.lo !== undefined && p.hi !== undefined);
  const x = { field: 'x', type: 'quantitative', title: input.x.title, scale: scaleOf(input.x, false) };
  const yScale = scaleOf(input.y, true);
  const color = hasSeries ? { color: { field: 'series', type: 'nominal', title: null, sort: null } } : {};
  const layers: Record<string, unknown>[] = [];
  if (hasBand) {
    layers.push({
      mark: { type: 'area', opacity: 0.18 },
      transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
      encoding: {
        x,
        y: { field: 'lo', type: 'quantitative', scale: yScale, title: input.y.title },
        y2: { field: 'hi' },
        ...color,
      },
    });
  }
  layers.push({
    mark: { type: 'line', point: input.pointMarks ?? true, strokeWidth: 2 },
    encoding: { x, y: { field: 'y', type: 'quantitative', title: input.y.title, scale: yScale }, ...color },
  });
  const refs = input.reference ?? [];
  if (refs.length > 0) {
    const refData = { values: refs.map((r) => ({ value: r.value, label: r.label })) };
    layers.push({
      data: refData,
      mark: { type: 'rule', strokeDash: [5, 4], color: '#555555' },
      encoding: { y: { field: 'value', type: 'quantitative', scale: yScale } },
    });
    layers.push({
      data: refData,
      mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -4, dy: -3, color: '#333333', fontSize: 11 },
      encoding: { y: { field: 'value', type: 'quantitative', scale: yScale }, x: { value: input.width ?? DEFAULT_WIDTH }, text: { field: 'label' } },
    });
  }
  return { ...frame(input), data: { values: input.points }, layer: layers } as unknown as ChartSpec;
}

export function lineChart(path: string, input: LineChartInput, options?: WriteChartOptions): Promise<ChartFile> {
  return writeChart(path, lineChartSpec(input), options);
}

/**
 * Collapses repeated runs (e.g. one row per seed) into one point per (series, x): y = mean, and the
 * band = mean ± sample standard deviation ('std') or the min..max range ('minmax').
 */
export function meanAndSpread(
  rows: readonly { x: number; y: number; series?: string }[],
  spread: 'std' | 'minmax' = 'std',
): LinePoint[] {
  const groups = new Map<string, { x: number; series?: string; ys: number[] }>();
  for (const r of rows) {
    const key = `${r.series ?? ''}\u0000${r.x}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { x: r.x, series: r.series, ys: [] }));
    g.ys.push(r.y);
  }
  const out: LinePoint[] = [];
  for (const g of groups.values()) {
    const n = g.ys.length;
    const mean = g.ys.reduce((a, b) => a + b, 0) / n;
    let lo: number;
    let hi: number;
    if (spread === 'minmax') {
      lo = Math.min(...g.ys);
      hi = Math.max(...g.ys);
    } else {
      const sd = n > 1 ? Math.sqrt(g.ys.reduce((a, y) => a + (y - mean) ** 2, 0) / (n - 1)) : 0;
      lo = mean - sd;
      hi = mean + sd;
    }
    out.push({ x: g.x, y: mean, ...(g.series !== undefined ? { series: g.series } : {}), lo, hi });
  }
  return out.sort((a, b) => (a.series ?? '').localeCompare(b.series ?? '') || a.x - b.x);
}

// ---------------------------------------------------------------------------------------------
// Stacked bar chart

export interface StackedBarRow {
  /** Bar (e.g. hardware model). */
  category: string;
  /** Segment within the bar (e.g. energy component). */
  component: string;
  value: number;
}

export interface StackedBarChartInput extends ChartFrame {
  rows: StackedBarRow[];
  valueTitle: string;
  categoryTitle?: string;
  componentTitle?: string;
  /** Bars along the y axis (long category names). Default false. */
  horizontal?: boolean;
}

export function stackedBarChartSpec(input: StackedBarChartInput): ChartSpec {
  requireFiniteValues('rows.value', input.rows.map((r) => r.value), false);
  const components = [...new Set(input.rows.map((r) => r.component))];
  const rows = input.rows.map((r) => ({ ...r, order: components.indexOf(r.component) }));
  const horizontal = input.horizontal ?? false;
  const category = {
    field: 'category',
    type: 'nominal',
    title: input.categoryTitle ?? null,
    sort: null,
    axis: horizontal ? { labelLimit: 480 } : { labelAngle: 0 },
  };
  const value = { field: 'value', type: 'quantitative', title: input.valueTitle, stack: 'zero' };
  const size = horizontal ? { height: { step: 22 } } : {};
  return {
    ...frame(input),
    ...size,
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      [horizontal ? 'y' : 'x']: category,
      [horizontal ? 'x' : 'y']: value,
      color: { field: 'component', type: 'nominal', title: input.componentTitle ?? null, sort: components },
      order: { field: 'order', type: 'quantitative' },
      tooltip: [{ field: 'category' }, { field: 'component' }, { field: 'value' }],
    },
  } as unknown as ChartSpec;
}

export function stackedBarChart(path: string, input: StackedBarChartInput, options?: WriteChartOptions): Promise<ChartFile> {
  return writeChart(path, stackedBarChartSpec(input), options);
}

// ---------------------------------------------------------------------------------------------
// Grouped bar chart (log scale by default)

export interface BarRow {
  category: string;
  /** Bars of the same category side by side, coloured by series (e.g. kernel variant). */
  series?: string;
  value: number;
  /** Optional error bar (e.g. min..max over repetitions). */
  lo?: number;
  hi?: number;
}

export interface BarChartInput extends ChartFrame {
  rows: BarRow[];
  valueTitle: string;
  categoryTitle?: string;
  seriesTitle?: string;
  /** Logarithmic value axis. Default true. */
  log?: boolean;
  /** Categories down the y axis (readable with long names). Default true. */
  horizontal?: boolean;
  /**
   * 'side-by-side' (default): bars of one category grouped, one per series.
   * 'colour-only': one bar per row, the series only picks the colour (rows with distinct categories).
   */
  seriesLayout?: 'side-by-side' | 'colour-only';
}

export function barChartSpec(input: BarChartInput): ChartSpec {
  const log = input.log ?? true;
  requireFiniteValues('rows.value', input.rows.map((r) => r.value), log);
  const horizontal = input.horizontal ?? true;
  const hasSeries = input.rows.some((r) => r.series !== undefined);
  const offset = hasSeries && (input.seriesLayout ?? 'side-by-side') === 'side-by-side';
  const catAxis = horizontal ? 'y' : 'x';
  const valAxis = horizontal ? 'x' : 'y';
  const category = { field: 'category', type: 'nominal', title: input.categoryTitle ?? null, sort: null, axis: { labelLimit: 480 } };
  const valueScale = log ? { type: 'log' } : { zero: true };
  // stack: null — a stacked bar starts at 0, which a log scale cannot show. SI labels (1G, 300M).
  const value = {
    field: 'value',
    type: 'quantitative',
    title: input.valueTitle,
    scale: valueScale,
    stack: null,
    axis: { format: '~s', labelOverlap: 'greedy' },
  };
  const series = {
    ...(hasSeries ? { color: { field: 'series', type: 'nominal', title: input.seriesTitle ?? null, sort: null } } : {}),
    ...(offset ? { [`${catAxis}Offset`]: { field: 'series', type: 'nominal', sort: null } } : {}),
  };
  // One fixed-height slot per bar: with offsets the step is per offset bar, else per category.
  const step = offset ? { step: 14, for: 'offset' } : { step: 18 };
  const layers: Record<string, unknown>[] = [{ mark: { type: 'bar' }, encoding: { [catAxis]: category, [valAxis]: value, ...series } }];
  if (input.rows.some((r) => r.lo !== undefined && r.hi !== undefined)) {
    layers.push({
      transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
      mark: { type: 'rule', color: '#222222' },
      encoding: {
        [catAxis]: category,
        [valAxis]: { field: 'lo', type: 'quantitative', scale: valueScale, title: input.valueTitle },
        [`${valAxis}2`]: { field: 'hi' },
        ...(offset ? { [`${catAxis}Offset`]: { field: 'series', type: 'nominal', sort: null } } : {}),
      },
    });
  }
  const base = frame(input);
  const sizeKey = horizontal ? 'height' : 'width';
  return {
    ...base,
    [sizeKey]: input[sizeKey] ?? step,
    data: { values: input.rows },
    layer: layers,
  } as unknown as ChartSpec;
}

export function barChart(path: string, input: BarChartInput, options?: WriteChartOptions): Promise<ChartFile> {
  return writeChart(path, barChartSpec(input), options);
}

// ---------------------------------------------------------------------------------------------
// Histogram

export interface HistogramBin {
  start: number;
  end: number;
  count: number;
}

/**
 * Counts values into `bins` equal-width bins over `range` (default: [min, max] of the values). The
 * last bin is closed on the right so the maximum is counted; values outside `range` are dropped.
 */
export function binValues(values: ArrayLike<number>, bins: number, range?: [number, number]): HistogramBin[] {
  if (!Number.isInteger(bins) || bins < 1) throw new ValidationError('bins', bins, 'an integer >= 1');
  let lo = range?.[0] ?? Infinity;
  let hi = range?.[1] ?? -Infinity;
  if (!range) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo === Infinity) {
      lo = 0;
      hi = 1;
    }
  }
  if (!(hi >= lo)) throw new ValidationError('range', range, 'a [min, max] pair with max >= min');
  if (hi === lo) hi = lo + 1; // one distinct value: a unit-wide bin around nothing else
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v < lo || v > hi) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  }
  return counts.map((count, k) => ({ start: lo + k * width, end: k === bins - 1 ? hi : lo + (k + 1) * width, count }));
}

export interface HistogramInput extends ChartFrame {
  /** Raw values (binned with `bins` and `range`) or ready-made bins. */
  values?: ArrayLike<number>;
  binned?: HistogramBin[];
  bins?: number;
  range?: [number, number];
  xTitle: string;
  yTitle?: string;
  /** Logarithmic count axis (empty bins are not drawn). */
  logCount?: boolean;
}

export function histogramSpec(input: HistogramInput): ChartSpec {
  const binned = input.binned ?? binValues(input.values ?? [], input.bins ?? 30, input.range);
  const rows = input.logCount ? binned.filter((b) => b.count > 0) : binned;
  return {
    ...frame(input),
    data: { values: rows },
    mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
    encoding: {
      x: { field: 'start', type: 'quantitative', bin: { binned: true }, title: input.xTitle },
      x2: { field: 'end' },
      y: { field: 'count', type: 'quantitative', title: input.yTitle ?? 'count', scale: input.logCount ? { type: 'log' } : {} },
    },
  } as unknown as ChartSpec;
}

export function histogram(path: string, input: HistogramInput, options?: WriteChartOptions): Promise<ChartFile> {
  return writeChart(path, histogramSpec(input), options);
}
