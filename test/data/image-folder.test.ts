import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { labelHistogram } from '../../src/data/dataset.js';
import { loadDataset } from '../../src/data/load.js';
import { throwsValidation } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'deep-stdp-folder-'));

function pngBytes(value: number, w: number, h: number): Uint8Array {
  const png = new PNG({ width: w, height: h });
  png.data.fill(value);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  return PNG.sync.write(png);
}

function jpegBytes(value: number, w: number, h: number): Uint8Array {
  const data = new Uint8Array(w * h * 4).fill(value);
  return jpeg.encode({ data, width: w, height: h }, 95).data;
}

// Flat layout: cats (5 PNG, 16x16), dogs (5 JPEG, 24x24 -> resized to the first image's 16x16).
const flat = join(root, 'flat');
mkdirSync(join(flat, 'cats'), { recursive: true });
mkdirSync(join(flat, 'dogs'), { recursive: true });
mkdirSync(join(flat, '.hidden'), { recursive: true });
for (let i = 0; i < 5; i++) {
  writeFileSync(join(flat, 'cats', `c${i}.png`), pngBytes(40 + i, 16, 16));
  writeFileSync(join(flat, 'dogs', `d${i}.jpg`), jpegBytes(200, 24, 24));
}
writeFileSync(join(flat, 'dogs', 'notes.txt'), 'not an image, ignored');

test('flat layout: classes from sorted folder names, mixed PNG/JPEG, resized, deterministic split', () => {
  const train = loadDataset(`folder:${flat}`, 'train');
  const testSplit = loadDataset(`folder:${flat}`, 'test');
  assert.equal(train.classNames, ['cats', 'dogs']);
  assert.equal(train.shape, { count: 8, height: 16, width: 16, channels: 3 });
  // testFraction 0.2 of 5 images per class: file index 4 goes to test (floor(5*.2) > floor(4*.2)).
  assert.equal(labelHistogram(train), [4, 4]);
  assert.equal(labelHistogram(testSplit), [1, 1]);
  assert.is(testSplit.images[0], 44); // cats/c4.png, value 40 + 4
  const dogPixel = testSplit.images[16 * 16 * 3 + 5]!;
  assert.ok(Math.abs(dogPixel - 200) <= 3);
  const half = loadDataset(`folder:${flat}`, 'test', { testFraction: 0.5, grayscale: true, imageSize: [8, 4] });
  assert.equal(labelHistogram(half), [2, 2]);
  assert.equal(half.shape, { count: 4, height: 8, width: 4, channels: 1 });
});

test('split layout: train/ and test/ (or val/) folders used as given; class subset', () => {
  const split = join(root, 'split');
  for (const [part, n] of [['train', 3], ['val', 2]] as const) {
    for (const cls of ['a', 'b', 'c']) {
      mkdirSync(join(split, part, cls), { recursive: true });
      for (let i = 0; i < n; i++) writeFileSync(join(split, part, cls, `${i}.png`), pngBytes(10, 4, 4));
    }
  }
  assert.equal(labelHistogram(loadDataset(`folder:${split}`, 'train')), [3, 3, 3]);
  const test2 = loadDataset(`folder:${split}`, 'test', { classes: ['c', 'a'] });
  assert.equal(test2.classNames, ['c', 'a']);
  assert.equal(labelHistogram(test2), [2, 2]);
  assert.equal(loadDataset(`folder:${split}`, 'train', { classes: 2 }).classNames, ['a', 'b']);
});

test('errors: missing folder, empty class folder, no classes, undecodable PNG, bad testFraction', () => {
  throwsValidation(() => loadDataset(`folder:${join(root, 'missing')}`, 'train'), /dataset folder: got ".*missing"; allowed: an existing folder/);
  const bad = join(root, 'bad');
  mkdirSync(join(bad, 'empty'), { recursive: true });
  throwsValidation(() => loadDataset(`folder:${bad}`, 'train'), /class folder: got ".*empty"; allowed: at least one JPEG or PNG image/);
  const none = join(root, 'none');
  mkdirSync(none, { recursive: true });
  throwsValidation(() => loadDataset(`folder:${none}`, 'train'), /at least one class sub-folder/);
  const corrupt = join(root, 'corrupt', 'x');
  mkdirSync(corrupt, { recursive: true });
  const png = pngBytes(1, 4, 4);
  writeFileSync(join(corrupt, 'a.png'), png.subarray(0, png.length - 20));
  throwsValidation(() => loadDataset(`folder:${join(root, 'corrupt')}`, 'train'), /image file: got ".*a\.png"; allowed: a decodable PNG image/);
  throwsValidation(() => loadDataset(`folder:${flat}`, 'train', { testFraction: 1 }), /testFraction/);
});

test.after(() => rmSync(root, { recursive: true, force: true }));

test.run();
