import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { labelHistogram, imageView } from '../../src/data/dataset.js';
import { loadMnist } from '../../src/data/mnist.js';
import { loadDataset } from '../../src/data/load.js';

test('MNIST train: 60,000 28x28x1 images with the published per-digit counts', () => {
  const ds = loadMnist('train');
  assert.equal(ds.shape, { count: 60000, height: 28, width: 28, channels: 1 });
  assert.instance(ds.images, Uint8Array);
  // Per-digit counts of the MNIST training set (LeCun et al.), 0..9.
  assert.equal(labelHistogram(ds), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  assert.is(ds.labels[0], 5); // the first training image is the well-known "5"
  const first = imageView(ds, 0);
  assert.is(first.length, 784);
  assert.ok(Math.max(...first) === 255 && Math.min(...first) === 0);
});

test('MNIST test: 10,000 images with the published per-digit counts, via the --dataset spec', () => {
  const ds = loadDataset('mnist', 'test');
  assert.is(ds.shape.count, 10000);
  assert.equal(labelHistogram(ds), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  assert.is(ds.labels[0], 7);
  assert.is(ds.split, 'test');
  assert.equal(ds.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  // Digits have on average ~19% ink (pixels > 128): a sanity check that bytes are pixels, not garbage.
  let ink = 0;
  for (let i = 0; i < ds.images.length; i++) if (ds.images[i]! > 128) ink++;
  const frac = ink / ds.images.length;
  assert.ok(frac > 0.1 && frac < 0.3, `ink fraction ${frac}`);
});

test.run();
