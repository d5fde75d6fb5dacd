import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { labelHistogram } from '../../src/data/dataset.js';
import { loadDataset } from '../../src/data/load.js';
import { throwsValidation } from './helpers.js';

// A miniature Tiny ImageNet: 4 classes (wnids out of sorted order on purpose), 3 train images each,
// 2 val images each listed in val_annotations.txt, words.txt naming them. Each class has its own colour.
const root = mkdtempSync(join(tmpdir(), 'deep-stdp-tin-'));
const wnids = ['n03000000', 'n01000000', 'n04000000', 'n02000000'];
const colour: Record<string, [number, number, number]> = {
  n01000000: [220, 30, 30],
  n02000000: [30, 220, 30],
  n03000000: [30, 30, 220],
  n04000000: [220, 220, 30],
};

function jpegBytes(rgb: [number, number, number], size = 64): Uint8Array {
  const data = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    data[4 * i] = rgb[0];
    data[4 * i + 1] = rgb[1];
    data[4 * i + 2] = rgb[2];
    data[4 * i + 3] = 255;
  }
  return jpeg.encode({ data, width: size, height: size }, 90).data;
}

const annotations: string[] = [];
let valIndex = 0;
for (const w of wnids) {
  const dir = join(root, 'train', w, 'images');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 3; i++) writeFileSync(join(dir, `${w}_${i}.JPEG`), jpegBytes(colour[w]!));
  writeFileSync(join(root, 'train', w, `${w}_boxes.txt`), 'ignored');
}
mkdirSync(join(root, 'val', 'images'), { recursive: true });
for (let r = 0; r < 2; r++) {
  for (const w of wnids) {
    const file = `val_${valIndex++}.JPEG`;
    writeFileSync(join(root, 'val', 'images', file), jpegBytes(colour[w]!));
    annotations.push(`${file}\t${w}\t0\t0\t63\t63`);
  }
}
writeFileSync(join(root, 'val', 'val_annotations.txt'), `${annotations.join('\n')}\n`);
writeFileSync(join(root, 'words.txt'), 'n01000000\tred thing, crimson\nn02000000\tgreen thing\nn03000000\tblue thing\nn09999999\tunused\n');

function meanColour(images: Uint8Array, i: number, pixels: number): number[] {
  const m = [0, 0, 0];
  for (let p = 0; p < pixels; p++) for (let c = 0; c < 3; c++) m[c]! += images[(i * pixels + p) * 3 + c]!;
  return m.map((v) => v / pixels);
}

test('train split: sorted wnids, class names from words.txt, labels match the image content', () => {
  const ds = loadDataset(`tiny-imagenet:${root}`, 'train');
  assert.equal(ds.classIds, ['n01000000', 'n02000000', 'n03000000', 'n04000000']);
  assert.equal(ds.classNames, ['red thing', 'green thing', 'blue thing', 'n04000000']);
  assert.equal(ds.shape, { count: 12, height: 64, width: 64, channels: 3 });
  assert.equal(labelHistogram(ds), [3, 3, 3, 3]);
  for (let i = 0; i < ds.shape.count; i++) {
    const expected = colour[ds.classIds![ds.labels[i]!]!]!;
    const got = meanColour(ds.images as Uint8Array, i, 64 * 64);
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(got[c]! - expected[c]!) < 8, `image ${i} channel ${c}: ${got[c]} vs ${expected[c]}`);
  }
});

test('test split = val/ with val_annotations.txt; class subset and resizing/grayscale options', () => {
  const ds = loadDataset(`tiny-imagenet:${root}`, 'test', { classes: 2, imageSize: 32, grayscale: true });
  assert.equal(ds.classIds, ['n01000000', 'n02000000']);
  assert.equal(ds.shape, { count: 4, height: 32, width: 32, channels: 1 });
  assert.equal(labelHistogram(ds), [2, 2]);
  // Annotation order is kept: val_1 (n01) comes before val_3 (n02) and val_5 (n01).
  assert.equal([...ds.labels], [0, 1, 0, 1]);
  const lumaRed = 0.299 * 220 + 0.587 * 30 + 0.114 * 30;
  assert.ok(Math.abs(ds.images[0]! - lumaRed) < 8);
  const picked = loadDataset(`tiny-imagenet:${root}`, 'test', { classes: ['n04000000', 'n02000000'] });
  assert.equal(picked.classIds, ['n04000000', 'n02000000']);
  // val_2 (n04), val_3 (n02), val_6 (n04), val_7 (n02)
  assert.equal([...picked.labels], [0, 1, 0, 1]);
});

test('default class subset is the first 10 sorted wnids', () => {
  const big = mkdtempSync(join(tmpdir(), 'deep-stdp-tin12-'));
  for (let c = 0; c < 12; c++) {
    const dir = join(big, 'train', `n${String(100 - c).padStart(8, '0')}`, 'images');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.JPEG'), jpegBytes([c * 20, 0, 0], 8));
  }
  const ds = loadDataset(`tiny-imagenet:${big}`, 'train');
  assert.is(ds.classNames.length, 10);
  assert.is(ds.classIds![0], 'n00000089');
  assert.is(ds.shape.height, 64); // 8x8 sources are resized to Tiny ImageNet's 64x64
  rmSync(big, { recursive: true, force: true });
});

test('errors: missing folder, unknown class, empty class folder, undecodable image', () => {
  throwsValidation(() => loadDataset(`tiny-imagenet:${join(root, 'nope')}`, 'train'), /tiny-imagenet folder: got ".*nope"/);
  throwsValidation(() => loadDataset(`tiny-imagenet:${root}`, 'train', { classes: ['n05000000'] }), /classes: got "n05000000"/);
  throwsValidation(() => loadDataset(`tiny-imagenet:${root}`, 'train', { classes: 9 }), /an integer in \[1, 4\]/);
  const broken = mkdtempSync(join(tmpdir(), 'deep-stdp-tinb-'));
  mkdirSync(join(broken, 'train', 'n1', 'images'), { recursive: true });
  throwsValidation(() => loadDataset(`tiny-imagenet:${broken}`, 'train'), /class folder: got ".*n1\/images"; allowed: at least one JPEG image/);
  writeFileSync(join(broken, 'train', 'n1', 'images', 'x.JPEG'), new Uint8Array([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]));
  throwsValidation(() => loadDataset(`tiny-imagenet:${broken}`, 'train'), /image file: got ".*x\.JPEG"; allowed: a decodable JPEG image/);
  writeFileSync(join(broken, 'train', 'n1', 'images', 'x.JPEG'), 'not an image at all');
  throwsValidation(() => loadDataset(`tiny-imagenet:${broken}`, 'train'), /signature not recognised/);
  throwsValidation(() => loadDataset(`tiny-imagenet:${broken}`, 'test'), /val\//);
  rmSync(broken, { recursive: true, force: true });
});

test.after(() => rmSync(root, { recursive: true, force: true }));

test.run();
