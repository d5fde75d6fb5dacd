import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import {
  colormap,
  confusionMatrixSpec,
  imageGridPng,
  weightGridPng,
  weightGridSize,
  writeConfusionMatrix,
  writeWeightGrid,
} from '../../src/report/images.js';
import { ValidationError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'deep-stdp-images-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const rgbAt = (png: PNG, x: number, y: number) => {
  const p = (y * png.width + x) * 4;
  return [png.data[p], png.data[p + 1], png.data[p + 2]];
};

/*
 * Tiny case: 3 neurons with 2x2 fields (nIn = 4), 2 tiles per row, scale 1, gap 1.
 * Width = 2 cols * 2 px + 3 gaps = 7, height = 2 rows * 2 px + 3 gaps = 7.
 * Neuron j's weights (input order i = y*2 + x), stored input-major w[i*3 + j]:
 *   j=0: [0, 1, 2, 3]  -> per-neuron min-max -> [0, 1/3, 2/3, 1] -> grey 0, 85, 170, 255
 *   j=1: [5, 5, 5, 9]  -> [0, 0, 0, 1]                            -> 0, 0, 0, 255
 *   j=2: [7, 7, 7, 7]  -> constant field                          -> all 0
 * Tile origins: j=0 (1,1), j=1 (4,1), j=2 (1,4). Everything else is gap grey 128.
 */
const fields = [
  [0, 1, 2, 3],
  [5, 5, 5, 9],
  [7, 7, 7, 7],
];
const inputMajor = new Float32Array(12);
const neuronMajor = new Float32Array(12);
fields.forEach((f, j) => f.forEach((w, i) => {
  inputMajor[i * 3 + j] = w;
  neuronMajor[j * 4 + i] = w;
}));
const tiny = { nIn: 4, nOut: 3, fieldWidth: 2, fieldHeight: 2, columns: 2, scale: 1, gap: 1 };

test('weight grid: exact pixel layout on a tiny case (per-neuron min-max, input-major)', () => {
  const image = weightGridPng(inputMajor, tiny);
  const png = PNG.sync.read(image.png);
  assert.is(png.width, 7);
  assert.is(png.height, 7);
  const expected: number[][] = Array.from({ length: 7 }, () => new Array(7).fill(128));
  const put = (x0: number, y0: number, greys: number[]) => greys.forEach((g, i) => (expected[y0 + (i >> 1)][x0 + (i & 1)] = g));
  put(1, 1, [0, 85, 170, 255]);
  put(4, 1, [0, 0, 0, 255]);
  put(1, 4, [0, 0, 0, 0]);
  for (let y = 0; y < 7; y++) for (let x = 0; x < 7; x++) assert.equal(rgbAt(png, x, y), [expected[y][x], expected[y][x], expected[y][x]], `pixel (${x}, ${y})`);
});

test('weight grid: neuron-major layout gives the same picture; scale repeats pixels; sizes', () => {
  const a = weightGridPng(inputMajor, tiny).png;
  const b = weightGridPng(neuronMajor, { ...tiny, layout: 'neuron-major' }).png;
  assert.ok(a.equals(b));
  const big = PNG.sync.read(weightGridPng(inputMajor, { ...tiny, scale: 3, gap: 0 }).png);
  assert.is(big.width, 12);
  assert.equal(rgbAt(big, 3, 0), [85, 85, 85]);
  assert.equal(rgbAt(big, 5, 2), [85, 85, 85]);
  assert.equal(rgbAt(big, 3, 3), [255, 255, 255]);
  // Diehl & Cook size: 400 fields of 28x28 on a 20x20 grid.
  assert.equal(weightGridSize({ nIn: 784, nOut: 400, fieldWidth: 28, fieldHeight: 28 }), { width: 20 * 56 + 21, height: 20 * 56 + 21, columns: 20, rows: 20 });
});

test('weight grid: global and fixed ranges, colormaps, file written', () => {
  const fixed = PNG.sync.read(weightGridPng(inputMajor, { ...tiny, normalise: { min: 0, max: 9 } }).png);
  assert.equal(rgbAt(fixed, 4, 1), [142, 142, 142]); // 5/9*255 = 141.7
  const hot = PNG.sync.read(weightGridPng(inputMajor, { ...tiny, colormap: 'hot' }).png);
  assert.equal(rgbAt(hot, 2, 2), colormap('hot', 1));
  assert.equal(colormap('hot', 1), [255, 255, 255]);
  assert.equal(colormap('hot', 0), [0, 0, 0]);
  assert.equal(colormap('hot_r', 0), [255, 255, 255]);
  assert.equal(colormap('gray-inverted', 1), [0, 0, 0]);
  const path = join(dir, 'weights.png');
  writeWeightGrid(path, inputMajor, tiny);
  assert.is(PNG.sync.read(readFileSync(path)).width, 7);
});

test('weight grid: shape mismatches are rejected with the field named', () => {
  assert.throws(() => weightGridPng(new Float32Array(11), tiny), (e: unknown) => e instanceof ValidationError && e.field === 'weights.length');
  assert.throws(() => weightGridPng(inputMajor, { ...tiny, fieldWidth: 3 }), (e: unknown) => e instanceof ValidationError);
});

test('image grid: pixel placement, u8 and float ranges, ragged rows, labels widen the image', () => {
  const a = { pixels: new Uint8Array([0, 255, 10, 20]), width: 2, height: 2, channels: 1 as const };
  const b = { pixels: new Float32Array([0, 1, 0.5, 0.25, 0, 1, 1, 1, 1, 0, 0, 0]), width: 2, height: 2, channels: 3 as const };
  const grid = imageGridPng([[a, b], [a]], { scale: 1, gap: 1 });
  const png = PNG.sync.read(grid.png);
  assert.is(png.width, 2 * 2 + 3);
  assert.is(png.height, 2 * 2 + 3);
  assert.equal(rgbAt(png, 1, 1), [0, 0, 0]);
  assert.equal(rgbAt(png, 2, 1), [255, 255, 255]);
  assert.equal(rgbAt(png, 1, 2), [10, 10, 10]);
  assert.equal(rgbAt(png, 4, 1), [0, 255, 128]);
  assert.equal(rgbAt(png, 5, 1), [64, 0, 255]);
  assert.equal(rgbAt(png, 4, 4), [255, 255, 255]); // empty cell in the short row
  assert.equal(rgbAt(png, 1, 4), [0, 0, 0]);
  const labelled = imageGridPng([[a, b], [a]], { scale: 4, rowLabels: ['cluster 0', 'cluster 1'], title: 'samples' });
  assert.ok(labelled.width > grid.width + 40);
  assert.throws(() => imageGridPng([[a, { ...a, width: 1, pixels: new Uint8Array(2) }]]), (e: unknown) => e instanceof ValidationError);
});

test('confusion matrix: one cell per entry with row fractions; PNG written; bad shapes rejected', async () => {
  const counts = [
    [8, 2],
    [1, 3],
    [0, 0],
  ];
  const spec = confusionMatrixSpec(counts, { rowNames: ['a', 'b', 'c'], columnNames: ['k0', 'k1'] }) as unknown as { data: { values: { row: string; column: string; count: number; fraction: number }[] } };
  assert.is(spec.data.values.length, 6);
  assert.equal(spec.data.values[1], { row: 'a', column: 'k1', count: 2, fraction: 0.2, r: 0, c: 1 });
  assert.is(spec.data.values[4].fraction, 0);
  const file = await writeConfusionMatrix(join(dir, 'cm.png'), counts, { rowNames: ['a', 'b', 'c'], columnNames: ['k0', 'k1'], title: 'confusion' });
  const png = PNG.sync.read(readFileSync(file.path));
  assert.ok(png.width > 100 && png.height > 100);
  assert.throws(() => confusionMatrixSpec(counts, { rowNames: ['a', 'b'] }), (e: unknown) => e instanceof ValidationError);
  assert.throws(() => confusionMatrixSpec([[1, -1]], { rowNames: ['a'], columnNames: ['x', 'y'] }), (e: unknown) => e instanceof ValidationError);
});

test.run();
