import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  imageView,
  imagesAsFloat01,
  labelHistogram,
  summarizeDataset,
  takeFirst,
  takeIndices,
  takeStratified,
  toFloat01,
  validateDataset,
  type Dataset,
} from '../../src/data/dataset.js';
import { throwsValidation } from './helpers.js';

/** 10 images of 2x1x1; image i has pixels [i, 10 + i]; labels 0,0,0,0,0,0,1,1,1,2. */
function tiny(): Dataset {
  const images = new Uint8Array(20);
  for (let i = 0; i < 10; i++) images.set([i, 10 + i], 2 * i);
  return validateDataset({
    name: 'tiny',
    spec: 'tiny',
    split: 'train',
    images,
    shape: { count: 10, height: 2, width: 1, channels: 1 },
    labels: new Uint8Array([0, 0, 0, 0, 0, 0, 1, 1, 1, 2]),
    classNames: ['a', 'b', 'c'],
    source: 'test',
  });
}

test('imageView is a view of image i', () => {
  const ds = tiny();
  const v = imageView(ds, 3);
  assert.equal([...v], [3, 13]);
  v[0] = 99;
  assert.is(ds.images[6], 99);
  throwsValidation(() => imageView(ds, 10), /image index/);
});

test('float conversion scales u8 by 1/255 and leaves f32 data as is', () => {
  const ds = tiny();
  const f = imagesAsFloat01(ds);
  assert.is(f[2], Math.fround(1 / 255)); // image 1, pixel 0 holds 1
  assert.is(f[19], Math.fround(19 / 255));
  const fds = toFloat01(ds);
  assert.is(imagesAsFloat01(fds), fds.images);
});

test('takeFirst and takeIndices copy images and labels and record source indices', () => {
  const ds = tiny();
  const first = takeFirst(ds, 3);
  assert.is(first.shape.count, 3);
  assert.equal([...first.images], [0, 10, 1, 11, 2, 12]);
  const picked = takeIndices(first, [2, 0]);
  assert.equal([...picked.images], [2, 12, 0, 10]);
  assert.equal([...picked.sourceIndices!], [2, 0]);
  const nested = takeIndices(takeIndices(ds, [9, 8, 7]), [2, 0]);
  assert.equal([...nested.sourceIndices!], [7, 9]);
  assert.is(takeFirst(ds, 100).shape.count, 10);
  throwsValidation(() => takeIndices(ds, [10]), /indices\[0\]/);
});

test('takeStratified keeps class proportions (largest remainder), is seeded and keeps original order', () => {
  const ds = tiny();
  const s = takeStratified(ds, 5, 1);
  // quotas 3, 1.5, 0.5 -> floors 3, 1, 0; one left goes to the larger remainder, ties to the lower class: b.
  assert.equal(labelHistogram(s), [3, 2, 0]);
  const idx = [...s.sourceIndices!];
  assert.equal(idx, [...idx].sort((a, b) => a - b));
  assert.equal([...takeStratified(ds, 5, 1).sourceIndices!], idx);
  const others = new Set(Array.from({ length: 20 }, (_, seed) => takeStratified(ds, 5, seed).sourceIndices!.join()));
  assert.ok(others.size > 1);
});

test('validateDataset rejects inconsistent datasets', () => {
  const ds = tiny();
  throwsValidation(() => validateDataset({ ...ds, labels: new Uint8Array(9) }), /tiny.labels: .*10 labels/);
  throwsValidation(() => validateDataset({ ...ds, images: new Uint8Array(19) }), /tiny.images/);
  throwsValidation(() => validateDataset({ ...ds, labels: new Uint8Array(10).fill(3) }), /labels\[0\]: got 3/);
  assert.equal(summarizeDataset(ds).classCounts, [6, 3, 1]);
});

test.run();
