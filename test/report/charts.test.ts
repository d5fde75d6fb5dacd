import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import {
  barChart,
  barChartSpec,
  binValues,
  histogram,
  lineChart,
  meanAndSpread,
  specToSvg,
  stackedBarChart,
  lineChartSpec,
  writeChart,
} from '../../src/report/charts.js';
import { fontSetup, svgToPng } from '../../src/report/render.js';
import { ValidationError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'deep-stdp-charts-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function decode(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

/** Count of pixels darker than mid grey in a rectangle. */
function darkPixels(png: PNG, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < Math.min(y1, png.height); y++) {
    for (let x = x0; x < Math.min(x1, png.width); x++) {
      const p = (y * png.width + x) * 4;
      if (png.data[p] + png.data[p + 1] + png.data[p + 2] < 3 * 128) n++;
    }
  }
  return n;
}

test('a font file is found without any download and text is drawn', () => {
  const fonts = fontSetup();
  assert.ok(fonts.fontFiles.length > 0, 'expected DejaVu Sans from the dejavu-fonts-ttf package or the system');
  const blank = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"></svg>', { scale: 1 });
  const text = svgToPng(
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><text x="4" y="22" font-size="18" font-family="sans-serif">Spikes 123</text></svg>',
    { scale: 1 },
  );
  const a = PNG.sync.read(blank.png);
  const b = PNG.sync.read(text.png);
  assert.is(darkPixels(a, 0, 0, 120, 30), 0);
  assert.ok(darkPixels(b, 0, 0, 120, 30) > 80, 'glyphs should cover a visible area');
});

test('line chart with seed band and reference line: SVG has the texts, PNG decodes at 2x size', async () => {
  const rows = [1, 2, 3].flatMap((seed) => [1, 2, 3, 4].map((x) => ({ x, y: 0.5 + 0.1 * x + 0.01 * seed, series: 'stdp' })));
  const input = {
    title: 'Accuracy per epoch',
    x: { title: 'epoch' },
    y: { title: 'accuracy', zero: false },
    points: meanAndSpread(rows),
    reference: [{ value: 0.98, label: 'float32' }],
    width: 300,
    height: 200,
  };
  const svg = await specToSvg(lineChartSpec(input));
  assert.match(svg, /Accuracy per epoch/);
  assert.match(svg, />float32</);
  assert.match(svg, />epoch</);
  const file = await lineChart(join(dir, 'line.png'), input);
  const png = decode(file.path);
  assert.is(png.width, file.width);
  assert.is(png.height, file.height);
  assert.ok(png.width > 600 && png.width < 1200, `width ${png.width}`);
  assert.ok(png.height > 400 && png.height < 800, `height ${png.height}`);
  // The title sits in the top band of the image: it must have produced dark glyph pixels there.
  assert.ok(darkPixels(png, 0, 0, png.width, 40) > 100);
});

test('meanAndSpread: mean and sample standard deviation per (series, x); min..max band', () => {
  const rows = [
    { x: 1, y: 1, series: 'a' },
    { x: 1, y: 3, series: 'a' },
    { x: 2, y: 5, series: 'a' },
    { x: 1, y: 10, series: 'b' },
  ];
  const std = meanAndSpread(rows);
  assert.equal(std, [
    { x: 1, y: 2, series: 'a', lo: 2 - Math.SQRT2, hi: 2 + Math.SQRT2 },
    { x: 2, y: 5, series: 'a', lo: 5, hi: 5 },
    { x: 1, y: 10, series: 'b', lo: 10, hi: 10 },
  ]);
  assert.equal(meanAndSpread(rows, 'minmax')[0], { x: 1, y: 2, series: 'a', lo: 1, hi: 3 });
});

test('log bar chart: grouped bars with error bars render; non-positive values are rejected', async () => {
  const rows = [
    { category: 'crossbar 784x400', series: 'wasm', value: 3e9, lo: 2.8e9, hi: 3.1e9 },
    { category: 'crossbar 784x400', series: 'reference', value: 2e8, lo: 1.9e8, hi: 2.1e8 },
    { category: 'synapses 1e4x1e3', series: 'wasm', value: 4e9 },
  ];
  const file = await barChart(join(dir, 'bar.png'), { title: 'events/s', rows, valueTitle: 'synaptic events/s' });
  const png = decode(file.path);
  assert.ok(png.width > 400 && png.height > 80);
  const spec = barChartSpec({ rows, valueTitle: 'x' }) as unknown as { layer: { encoding: Record<string, { scale?: { type?: string } }> }[] };
  assert.is(spec.layer[0].encoding.x.scale?.type, 'log');
  assert.throws(() => barChartSpec({ rows: [{ category: 'a', value: 0 }], valueTitle: 'x' }), (e: unknown) => e instanceof ValidationError && /rows\.value\[0\]/.test((e as Error).message));
});

test('stacked bar chart and histogram write decodable PNGs; SVG output by extension', async () => {
  const stacked = await stackedBarChart(join(dir, 'stacked.png'), {
    rows: [
      { category: 'loihi', component: 'synaptic', value: 2 },
      { category: 'loihi', component: 'static', value: 1 },
      { category: 'odin', component: 'synaptic', value: 3 },
    ],
    valueTitle: 'energy (µJ)',
  });
  assert.ok(decode(stacked.path).width > 300);
  const hist = await histogram(join(dir, 'hist.svg'), { values: [0, 0.5, 1, 1, 2], bins: 4, xTitle: 'Δw' });
  const svg = readFileSync(hist.path, 'utf8');
  assert.match(svg, /^<svg/);
  assert.ok(hist.width > 100);
  const plain = await writeChart(join(dir, 'x.png'), lineChartSpec({ x: { title: 'x' }, y: { title: 'y' }, points: [{ x: 1, y: 1 }] }));
  assert.is(decode(plain.path).width, plain.width);
  try {
    await writeChart(join(dir, 'x.jpg'), lineChartSpec({ x: { title: 'x' }, y: { title: 'y' }, points: [] }));
    assert.unreachable('should reject a .jpg path');
  } catch (e) {
    assert.instance(e, ValidationError);
  }
});

test('binValues: equal-width bins, last bin closed, out-of-range dropped', () => {
  assert.equal(binValues([0, 0.5, 1, 1, 2], 4), [
    { start: 0, end: 0.5, count: 1 },
    { start: 0.5, end: 1, count: 1 },
    { start: 1, end: 1.5, count: 2 },
    { start: 1.5, end: 2, count: 1 },
  ]);
  assert.equal(binValues([-1, 0, 3, 9], 2, [0, 4]), [
    { start: 0, end: 2, count: 1 },
    { start: 2, end: 4, count: 1 },
  ]);
  assert.throws(() => binValues([1], 0), (e: unknown) => e instanceof ValidationError);
});

test.run();
