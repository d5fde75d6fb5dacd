import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labelHistogram } from '../../src/data/dataset.js';
import { clearFashionMnistMemo, FASHION_MNIST_CLASS_NAMES, loadFashionMnist } from '../../src/data/fashion-mnist.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'deep-stdp-fmnist-'));

test('Fashion-MNIST from the package: 6,000 / 1,000 per class, standard class names, pixels 0..255', () => {
  clearFashionMnistMemo();
  const train = loadFashionMnist('train', { cacheDir });
  const test_ = loadFashionMnist('test', { cacheDir });
  assert.equal(train.shape, { count: 60000, height: 28, width: 28, channels: 1 });
  assert.equal(test_.shape, { count: 10000, height: 28, width: 28, channels: 1 });
  assert.equal(labelHistogram(train), new Array(10).fill(6000));
  assert.equal(labelHistogram(test_), new Array(10).fill(1000));
  assert.equal(train.classNames, FASHION_MNIST_CLASS_NAMES);
  assert.is(train.classNames[9], 'Ankle boot');
  // The split order mixes classes: the first 100 images cover every class.
  assert.is(new Set(train.labels.subarray(0, 100)).size, 10);
  // Train and test hold different images (the package has a few duplicate records, hence not exactly 0).
  const seen = new Set<string>();
  for (let i = 0; i < train.shape.count; i++) seen.add(Buffer.from(train.images.subarray(i * 784, (i + 1) * 784)).toString('base64'));
  let shared = 0;
  for (let i = 0; i < test_.shape.count; i++) if (seen.has(Buffer.from(test_.images.subarray(i * 784, (i + 1) * 784)).toString('base64'))) shared++;
  assert.ok(shared < 50, `${shared} test images also in train`);
  assert.ok(existsSync(join(cacheDir, 'train-images-idx3-ubyte')));
});

test('a reload from the decoded cache gives identical bytes in the same order', () => {
  const first = loadFashionMnist('test', { cacheDir });
  clearFashionMnistMemo();
  const again = loadFashionMnist('test', { cacheDir });
  assert.match(again.source, /decoded copy/);
  assert.ok(Buffer.from(first.images).equals(Buffer.from(again.images)));
  assert.ok(Buffer.from(first.labels).equals(Buffer.from(again.labels)));
});

test('a returned dataset is a copy: modifying it does not change the next load', () => {
  const a = loadFashionMnist('test', { cacheDir });
  const before = a.images[500];
  a.images[500] = (before! + 1) % 256;
  assert.is(loadFashionMnist('test', { cacheDir }).images[500], before);
});

test.after(() => rmSync(cacheDir, { recursive: true, force: true }));

test.run();
