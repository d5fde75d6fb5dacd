import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { labelHistogram, imagesAsFloat01 } from '../../src/data/dataset.js';
import { makeSynthetic, parseSyntheticParams } from '../../src/data/synthetic.js';
import { loadDataset } from '../../src/data/load.js';
import { throwsValidation } from './helpers.js';

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => v === b[i]);

test('deterministic per seed; a different seed or split gives different samples', () => {
  for (const kind of ['prototypes', 'bars'] as const) {
    const a = makeSynthetic(kind, 'train', { seed: 4, train: 100 });
    const b = makeSynthetic(kind, 'train', { seed: 4, train: 100 });
    const c = makeSynthetic(kind, 'train', { seed: 5, train: 100 });
    const t = makeSynthetic(kind, 'test', { seed: 4, test: 100 });
    assert.ok(same(a.images, b.images) && same(a.labels, b.labels), kind);
    assert.not.ok(same(a.images, c.images), kind);
    assert.not.ok(same(a.images, t.images), kind);
  }
});

test('balanced labels, requested shape, class names', () => {
  const ds = makeSynthetic('bars', 'train', { classes: 6, size: 12, channels: 3, train: 61 });
  assert.equal(ds.shape, { count: 61, height: 12, width: 12, channels: 3 });
  const h = labelHistogram(ds);
  assert.ok(Math.max(...h) - Math.min(...h) <= 1);
  assert.equal(ds.classNames.slice(0, 4), ['horizontal bar 0', 'horizontal bar 1', 'horizontal bar 2', 'vertical bar 0']);
});

test('classes are recoverable: nearest class mean on train classifies test above 95 %', () => {
  for (const kind of ['prototypes', 'bars'] as const) {
    const train = makeSynthetic(kind, 'train', { train: 500, test: 200, seed: 7 });
    const testSet = makeSynthetic(kind, 'test', { train: 500, test: 200, seed: 7 });
    const p = 28 * 28;
    const means = Array.from({ length: 10 }, () => new Float64Array(p));
    const counts = labelHistogram(train);
    const x = imagesAsFloat01(train);
    for (let i = 0; i < train.shape.count; i++) for (let j = 0; j < p; j++) means[train.labels[i]!]![j]! += x[i * p + j]! / counts[train.labels[i]!]!;
    const y = imagesAsFloat01(testSet);
    let correct = 0;
    for (let i = 0; i < testSet.shape.count; i++) {
      let best = -1;
      let bestD = Infinity;
      means.forEach((m, c) => {
        let d = 0;
        for (let j = 0; j < p; j++) d += (y[i * p + j]! - m[j]!) ** 2;
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      });
      if (best === testSet.labels[i]) correct++;
    }
    assert.ok(correct / testSet.shape.count > 0.95, `${kind}: ${correct}`);
  }
});

test('spec parameters and validation', () => {
  const ds = loadDataset('synthetic-prototypes:classes=3,size=8,train=30,noise=0', 'train', { seed: 9 });
  assert.equal(ds.shape, { count: 30, height: 8, width: 8, channels: 1 });
  assert.is(ds.classNames.length, 3);
  assert.match(ds.source, /"seed":9/);
  assert.equal(parseSyntheticParams(''), {});
  throwsValidation(() => parseSyntheticParams('colours=3'), /key one of classes, size/);
  throwsValidation(() => parseSyntheticParams('size=abc'), /synthetic size: got "abc"/);
  throwsValidation(() => makeSynthetic('bars', 'train', { classes: 1 }), /synthetic classes/);
  throwsValidation(() => makeSynthetic('bars', 'train', { noise: -1 }), /synthetic noise/);
});

test.run();
