import { PNG } from 'pngjs';
import { ValidationError, requireInteger } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { writeChart, type ChartFile, type ChartSpec, type WriteChartOptions } from './charts.js';
import { CHART_FONT_FAMILY, escapeXml, svgToPng, type RasterImage } from './render.js';

/**
 * Pixel images: weight grids (receptive fields), sample-image grids and confusion matrices.
 * Grids are drawn pixel-exact with pngjs; text (labels, counts) goes through SVG and resvg.
 */

export type RGB = [number, number, number];
export type Colormap = 'gray' | 'gray-inverted' | 'hot' | 'hot_r';

/** Maps t in [0, 1] to an RGB colour. 'hot' follows matplotlib's: black → red → yellow → white. */
export function colormap(name: Colormap, t: number): RGB {
  const u = t <= 0 ? 0 : t >= 1 ? 1 : t;
  const byte = (x: number) => Math.round((x <= 0 ? 0 : x >= 1 ? 1 : x) * 255);
  switch (name) {
    case 'gray': {
      const g = byte(u);
      return [g, g, g];
    }
    case 'gray-inverted': {
      const g = byte(1 - u);
      return [g, g, g];
    }
    case 'hot':
    case 'hot_r': {
      const v = name === 'hot' ? u : 1 - u;
      return [byte(v / 0.365079), byte((v - 0.365079) / 0.380953), byte((v - 0.746032) / 0.253968)];
    }
  }
}

function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return PNG.sync.write(png);
}

function fillRgb(rgba: Uint8Array, color: RGB): void {
  for (let p = 0; p < rgba.length; p += 4) {
    rgba[p] = color[0];
    rgba[p + 1] = color[1];
    rgba[p + 2] = color[2];
    rgba[p + 3] = 255;
  }
}

// ---------------------------------------------------------------------------------------------
// Weight grid

export interface WeightGridOptions {
  nIn: number;
  nOut: number;
  /** Receptive-field shape: nIn must equal fieldWidth * fieldHeight * channels (HWC order). */
  fieldWidth: number;
  fieldHeight: number;
  channels?: 1 | 3;
  /**
   * 'input-major': w[i * nOut + j] is input i → neuron j (the core's crossbar layout).
   * 'neuron-major': w[j * nIn + i]. Default 'input-major'.
   */
  layout?: 'input-major' | 'neuron-major';
  /** Tiles per row. Default ceil(sqrt(nOut)) (20 for 400 neurons). */
  columns?: number;
  /** Pixels per weight. Default 2. */
  scale?: number;
  /** Pixels between tiles and around the grid. Default 1. */
  gap?: number;
  /**
   * 'per-neuron' (default): each field min-max normalised on its own, as in Diehl & Cook's Figure 1.
   * 'global': one min-max over all weights. {min, max}: a fixed range (e.g. [0, wMax]).
   */
  normalise?: 'per-neuron' | 'global' | { min: number; max: number };
  /** Single-channel fields only. Default 'gray' (low = black, high = white). */
  colormap?: Colormap;
  /** Colour of the gaps. Default mid grey [128, 128, 128]. */
  gapColor?: RGB;
}

/** Pixel size of a weight grid. */
export function weightGridSize(options: WeightGridOptions): { width: number; height: number; columns: number; rows: number } {
  const scale = options.scale ?? 2;
  const gap = options.gap ?? 1;
  const columns = options.columns ?? Math.ceil(Math.sqrt(options.nOut));
  const rows = Math.ceil(options.nOut / columns);
  return {
    width: columns * options.fieldWidth * scale + (columns + 1) * gap,
    height: rows * options.fieldHeight * scale + (rows + 1) * gap,
    columns,
    rows,
  };
}

/**
 * Tiles every neuron's incoming weights as a fieldHeight x fieldWidth image: neuron j sits at grid
 * column j % columns, row floor(j / columns); tile origin (gap + col * (fieldWidth * scale + gap),
 * gap + row * (fieldHeight * scale + gap)).
 */
export function weightGridPng(weights: ArrayLike<number>, options: WeightGridOptions): RasterImage {
  const nIn = requireInteger('nIn', options.nIn, 1);
  const nOut = requireInteger('nOut', options.nOut, 1);
  const channels = options.channels ?? 1;
  requireInteger('fieldWidth', options.fieldWidth, 1);
  requireInteger('fieldHeight', options.fieldHeight, 1);
  if (options.fieldWidth * options.fieldHeight * channels !== nIn) {
    throw new ValidationError('fieldWidth x fieldHeight x channels', `${options.fieldWidth}x${options.fieldHeight}x${channels}`, `a shape with ${nIn} elements (nIn)`);
  }
  if (weights.length !== nIn * nOut) {
    throw new ValidationError('weights.length', weights.length, `nIn * nOut = ${nIn * nOut}`);
  }
  const scale = requireInteger('scale', options.scale ?? 2, 1, 64);
  const gap = requireInteger('gap', options.gap ?? 1, 0, 64);
  if (options.columns !== undefined) requireInteger('columns', options.columns, 1);
  const { width, height, columns } = weightGridSize(options);
  const inputMajor = (options.layout ?? 'input-major') === 'input-major';
  const at = (i: number, j: number) => (inputMajor ? weights[i * nOut + j] : weights[j * nIn + i]);
  const cmap = options.colormap ?? 'gray';

  const rgba = new Uint8Array(width * height * 4);
  fillRgb(rgba, options.gapColor ?? [128, 128, 128]);

  let globalMin = Infinity;
  let globalMax = -Infinity;
  const norm = options.normalise ?? 'per-neuron';
  if (norm === 'global') {
    for (let k = 0; k < weights.length; k++) {
      if (weights[k] < globalMin) globalMin = weights[k];
      if (weights[k] > globalMax) globalMax = weights[k];
    }
  }
  for (let j = 0; j < nOut; j++) {
    let lo: number;
    let hi: number;
    if (norm === 'per-neuron') {
      lo = Infinity;
      hi = -Infinity;
      for (let i = 0; i < nIn; i++) {
        const w = at(i, j);
        if (w < lo) lo = w;
        if (w > hi) hi = w;
      }
    } else if (norm === 'global') {
      lo = globalMin;
      hi = globalMax;
    } else {
      lo = norm.min;
      hi = norm.max;
    }
    const span = hi > lo ? hi - lo : 0;
    const x0 = gap + (j % columns) * (options.fieldWidth * scale + gap);
    const y0 = gap + Math.floor(j / columns) * (options.fieldHeight * scale + gap);
    for (let fy = 0; fy < options.fieldHeight; fy++) {
      for (let fx = 0; fx < options.fieldWidth; fx++) {
        const base = (fy * options.fieldWidth + fx) * channels;
        let color: RGB;
        if (channels === 1) {
          color = colormap(cmap, span > 0 ? (at(base, j) - lo) / span : 0);
        } else {
          const c = (k: number) => Math.round(Math.min(1, Math.max(0, span > 0 ? (at(base + k, j) - lo) / span : 0)) * 255);
          color = [c(0), c(1), c(2)];
        }
        for (let sy = 0; sy < scale; sy++) {
          let p = ((y0 + fy * scale + sy) * width + x0 + fx * scale) * 4;
          for (let sx = 0; sx < scale; sx++, p += 4) {
            rgba[p] = color[0];
            rgba[p + 1] = color[1];
            rgba[p + 2] = color[2];
          }
        }
      }
    }
  }
  return { png: encodePng(width, height, rgba), width, height };
}

export function writeWeightGrid(path: string, weights: ArrayLike<number>, options: WeightGridOptions): RasterImage {
  const image = weightGridPng(weights, options);
  writeFileAtomic(path, image.png);
  return image;
}

// ---------------------------------------------------------------------------------------------
// Image grid (e.g. sample images per cluster)

export interface GridImage {
  /** Row-major, channels interleaved (HWC). Uint8Array = 0..255; other arrays see `valueRange`. */
  pixels: ArrayLike<number>;
  width: number;
  height: number;
  channels: 1 | 3;
}

export interface ImageGridOptions {
  /** Pixels per image pixel. Default 2. */
  scale?: number;
  /** Pixels between images. Default 2. */
  gap?: number;
  /** Value range of non-Uint8 pixels: [lo, hi] (default [0, 1]) or 'auto' (per-image min-max). */
  valueRange?: [number, number] | 'auto';
  /** One label per row, drawn to the left (e.g. "cluster 3 (n=512)"). */
  rowLabels?: string[];
  title?: string;
  /** Colour of gaps and empty cells. Default white. */
  background?: RGB;
}

/** Lays out rows of equally sized images (rows may have different lengths) into one PNG. */
export function imageGridPng(rows: GridImage[][], options: ImageGridOptions = {}): RasterImage {
  const all = rows.flat();
  if (all.length === 0) throw new ValidationError('rows', rows, 'at least one image');
  const { width: iw, height: ih } = all[0];
  for (const [k, img] of all.entries()) {
    if (img.width !== iw || img.height !== ih) {
      throw new ValidationError(`images[${k}]`, `${img.width}x${img.height}`, `the size of the first image, ${iw}x${ih}`);
    }
    if (img.pixels.length !== img.width * img.height * img.channels) {
      throw new ValidationError(`images[${k}].pixels.length`, img.pixels.length, `width * height * channels = ${img.width * img.height * img.channels}`);
    }
  }
  if (options.rowLabels && options.rowLabels.length !== rows.length) {
    throw new ValidationError('rowLabels.length', options.rowLabels.length, `one label per row (${rows.length})`);
  }
  const scale = requireInteger('scale', options.scale ?? 2, 1, 64);
  const gap = requireInteger('gap', options.gap ?? 2, 0, 64);
  const columns = Math.max(...rows.map((r) => r.length));
  const width = columns * iw * scale + (columns + 1) * gap;
  const height = rows.length * ih * scale + (rows.length + 1) * gap;
  const rgba = new Uint8Array(width * height * 4);
  fillRgb(rgba, options.background ?? [255, 255, 255]);
  const range = options.valueRange ?? [0, 1];

  rows.forEach((row, r) => {
    row.forEach((img, c) => {
      let lo = 0;
      let hi = 255;
      const isBytes = img.pixels instanceof Uint8Array || img.pixels instanceof Uint8ClampedArray;
      if (!isBytes) {
        if (range === 'auto') {
          lo = Infinity;
          hi = -Infinity;
          for (let k = 0; k < img.pixels.length; k++) {
            lo = Math.min(lo, img.pixels[k]);
            hi = Math.max(hi, img.pixels[k]);
          }
        } else {
          [lo, hi] = range;
        }
      }
      const span = hi > lo ? hi - lo : 1;
      const x0 = gap + c * (iw * scale + gap);
      const y0 = gap + r * (ih * scale + gap);
      for (let y = 0; y < ih; y++) {
        for (let x = 0; x < iw; x++) {
          const base = (y * iw + x) * img.channels;
          const byte = (k: number) => Math.round(Math.min(1, Math.max(0, (img.pixels[base + k] - lo) / span)) * 255);
          const color: RGB = img.channels === 1 ? [byte(0), byte(0), byte(0)] : [byte(0), byte(1), byte(2)];
          for (let sy = 0; sy < scale; sy++) {
            let p = ((y0 + y * scale + sy) * width + x0 + x * scale) * 4;
            for (let sx = 0; sx < scale; sx++, p += 4) {
              rgba[p] = color[0];
              rgba[p + 1] = color[1];
              rgba[p + 2] = color[2];
            }
          }
        }
      }
    });
  });
  const grid: RasterImage = { png: encodePng(width, height, rgba), width, height };
  if (!options.rowLabels && !options.title) return grid;
  return annotateGrid(grid, rows.length, ih * scale, gap, options.rowLabels, options.title);
}

/** Places a pixel grid in an SVG with row labels and a title; rendered at 1:1 so pixels stay exact. */
function annotateGrid(grid: RasterImage, rowCount: number, rowHeight: number, gap: number, labels?: string[], title?: string): RasterImage {
  const fontSize = 12;
  const labelWidth = labels ? Math.ceil(Math.max(...labels.map((l) => l.length)) * fontSize * 0.62) + 8 : 0;
  const titleHeight = title ? fontSize + 12 : 0;
  const width = labelWidth + grid.width;
  const height = titleHeight + grid.height;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<image x="${labelWidth}" y="${titleHeight}" width="${grid.width}" height="${grid.height}" style="image-rendering:pixelated" xlink:href="data:image/png;base64,${grid.png.toString('base64')}"/>`,
  ];
  if (title) {
    parts.push(`<text x="4" y="${fontSize + 4}" font-family="${CHART_FONT_FAMILY}" font-size="${fontSize + 1}" font-weight="bold">${escapeXml(title)}</text>`);
  }
  for (let r = 0; r < rowCount && labels; r++) {
    const y = titleHeight + gap + r * (rowHeight + gap) + rowHeight / 2 + fontSize * 0.35;
    parts.push(`<text x="${labelWidth - 6}" y="${y}" text-anchor="end" font-family="${CHART_FONT_FAMILY}" font-size="${fontSize}">${escapeXml(labels[r])}</text>`);
  }
  parts.push('</svg>');
  return svgToPng(parts.join(''), { scale: 1 });
}

export function writeImageGrid(path: string, rows: GridImage[][], options: ImageGridOptions = {}): RasterImage {
  const image = imageGridPng(rows, options);
  writeFileAtomic(path, image.png);
  return image;
}

// ---------------------------------------------------------------------------------------------
// Confusion matrix

export interface ConfusionMatrixOptions {
  /** Names of the rows (true classes). */
  rowNames: string[];
  /** Names of the columns (predicted classes or clusters). Default: rowNames. */
  columnNames?: string[];
  title?: string;
  rowTitle?: string;
  columnTitle?: string;
  /** Write the count in every cell. Default: when there are at most 400 cells. */
  showCounts?: boolean;
  /** Pixels (SVG units) per cell. Default 34. */
  cellSize?: number;
}

/**
 * Heatmap of counts[row][column]. Cells are coloured by the fraction of their row (so rare classes are
 * as readable as common ones) and labelled with the raw count.
 */
export function confusionMatrixSpec(counts: readonly (readonly number[])[], options: ConfusionMatrixOptions): ChartSpec {
  const columnNames = options.columnNames ?? options.rowNames;
  if (counts.length !== options.rowNames.length) {
    throw new ValidationError('confusion matrix rows', counts.length, `one row per row name (${options.rowNames.length})`);
  }
  const cells: { row: string; column: string; count: number; fraction: number; r: number; c: number }[] = [];
  counts.forEach((row, r) => {
    if (row.length !== columnNames.length) {
      throw new ValidationError(`confusion matrix row ${r} length`, row.length, `one entry per column name (${columnNames.length})`);
    }
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((count, c) => {
      if (!Number.isFinite(count) || count < 0) throw new ValidationError(`confusion matrix [${r}][${c}]`, count, 'a finite count >= 0');
      cells.push({ row: options.rowNames[r], column: columnNames[c], count, fraction: total > 0 ? count / total : 0, r, c });
    });
  });
  const showCounts = options.showCounts ?? cells.length <= 400;
  const cell = options.cellSize ?? 34;
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'rect' },
      encoding: {
        color: {
          field: 'fraction',
          type: 'quantitative',
          title: 'fraction of row',
          scale: { domain: [0, 1], range: ['#ffffff', '#08306b'] },
        },
      },
    },
  ];
  if (showCounts) {
    layers.push({
      mark: { type: 'text', fontSize: Math.min(11, cell * 0.36) },
      encoding: {
        text: { field: 'count', type: 'quantitative' },
        color: { condition: { test: 'datum.fraction > 0.5', value: 'white' }, value: '#222222' },
      },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    config: {
      font: CHART_FONT_FAMILY,
      background: 'white',
      axis: { labelFontSize: 11, titleFontSize: 12, grid: false },
      title: { fontSize: 14, anchor: 'start' },
    },
    width: { step: cell },
    height: { step: cell },
    data: { values: cells },
    encoding: {
      x: { field: 'column', type: 'ordinal', sort: columnNames, title: options.columnTitle ?? 'predicted', axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'row', type: 'ordinal', sort: options.rowNames, title: options.rowTitle ?? 'true class' },
    },
    layer: layers,
  } as unknown as ChartSpec;
}

export function writeConfusionMatrix(
  path: string,
  counts: readonly (readonly number[])[],
  options: ConfusionMatrixOptions,
  writeOptions?: WriteChartOptions,
): Promise<ChartFile> {
  return writeChart(path, confusionMatrixSpec(counts, options), writeOptions);
}
