import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { labelHistogram } from '../../src/data/dataset.js';
import { loadDataset, parseDatasetSpec } from '../../src/data/load.js';
import { throwsValidation } from './helpers.js';

test('parseDatasetSpec recognises every documented form', () => {
  assert.equal(parseDatasetSpec('mnist'), { kind: 'mnist' });
  assert.equal(parseDatasetSpec('Fashion-MNIST'), { kind: 'fashion-mnist' });
  assert.equal(parseDatasetSpec('idx:/d'), { kind: 'idx-folder', dir: '/d' });
  assert.equal(parseDatasetSpec('idx:a,b'), { kind: 'idx', train: { images: 'a', labels: 'b' }, test: null });
  assert.equal(parseDatasetSpec('idx:a,b,c,d'), { kind: 'idx', train: { images: 'a', labels: 'b' }, test: { images: 'c', labels: 'd' } });
  assert.equal(parseDatasetSpec('folder:/x/y'), { kind: 'folder', path: '/x/y' });
  assert.equal(parseDatasetSpec('tiny-imagenet:/t'), { kind: 'tiny-imagenet', path: '/t' });
  assert.equal(parseDatasetSpec('synthetic-bars:classes=4'), { kind: 'synthetic', synthetic: 'bars', params: 'classes=4' });
});

test('unknown or malformed specs list the accepted forms', () => {
  for (const bad of ['cifar10', '', 'idx:a,b,c', 'idx:', 'folder:', 'mnist:extra', 'synthetic-cats']) {
    throwsValidation(() => parseDatasetSpec(bad), /dataset: got .*allowed: mnist \| fashion-mnist \| idx:<folder>/);
  }
  throwsValidation(() => loadDataset('mnist', 'validation' as 'train'), /split/);
});

test('limit takes the first n, or a stratified seeded subset with subsetSeed', () => {
  const first = loadDataset('mnist', 'test', { limit: 50 });
  assert.is(first.shape.count, 50);
  assert.equal([...first.sourceIndices!], Array.from({ length: 50 }, (_, i) => i));
  const strat = loadDataset('mnist', 'test', { limit: 1000, subsetSeed: 3 });
  const h = labelHistogram(strat);
  // Proportional to the test-set counts 980 1135 1032 1010 982 892 958 1028 974 1009 (per 10,000).
  assert.equal(h, [98, 114, 103, 101, 98, 89, 96, 103, 97, 101]);
});

test.run();
