import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { empiricalFisherTrace, fisherTrace } from '../../src/convnet/fisher.js';
import { createConvNet } from '../../src/convnet/model.js';
import { barImages, randomArray, useWasm } from './helpers.js';

test.before(async () => {
  await useWasm();
});

test('tr F of a linear softmax model equals the closed form', () => {
  // logits = x W + b, so grad_W log p_y = x^T (e_y - p) and grad_b = e_y - p:
  // ||g||^2 = (||x||^2 + 1) * ||e_y - p||^2, averaged over samples.
  const d = 5;
  const k = 3;
  const n = 7;
  const xs = randomArray(1, n * d, 2);
  const wv = randomArray(2, d * k);
  const bv = randomArray(3, k, 0.5);
  const labels = [0, 2, 1, 1, 0, 2, 2];
  let expected = 0;
  let expectedW = 0;
  for (let i = 0; i < n; i++) {
    const logits = Array.from({ length: k }, (_, j) => {
      let s = bv[j]!;
      for (let a = 0; a < d; a++) s += xs[i * d + a]! * wv[a * k + j]!;
      return s;
    });
    const m = Math.max(...logits);
    const z = logits.reduce((s, v) => s + Math.exp(v - m), 0);
    const p = logits.map((v) => Math.exp(v - m) / z);
    const r2 = p.reduce((s, pj, j) => s + ((j === labels[i] ? 1 : 0) - pj) ** 2, 0);
    let x2 = 0;
    for (let a = 0; a < d; a++) x2 += xs[i * d + a]! ** 2;
    expected += (x2 + 1) * r2;
    expectedW += x2 * r2;
  }
  expected /= n;
  expectedW /= n;
  const w = tf.variable(tf.tensor2d(wv, [d, k]));
  const b = tf.variable(tf.tensor1d(bv));
  const result = empiricalFisherTrace(
    (x) => tf.add(tf.matMul(x as tf.Tensor2D, w), b) as tf.Tensor2D,
    [['w', w], ['b', b]],
    (i) => tf.tensor2d(xs.subarray(i * d, (i + 1) * d), [1, d]),
    labels,
    n,
  );
  assert.ok(Math.abs(result.trace - expected) < 1e-5 * expected, `trace ${result.trace}, closed form ${expected}`);
  assert.ok(Math.abs(result.perParameter.w! - expectedW) < 1e-5 * expectedW, `W part ${result.perParameter.w}, closed form ${expectedW}`);
  assert.is(result.samples, n);
  assert.is(result.parameterCount, d * k + k);
  w.dispose();
  b.dispose();
});

test('tr F of a ConvNet is positive, splits over parameters and averages over the probe', () => {
  const { images, labels } = barImages(6, 3);
  const model = createConvNet({ arch: 'reference', numClasses: 3, seed: 4 });
  const before = tf.memory().numTensors;
  const all = fisherTrace(model, images, labels, [0, 1, 2, 3]);
  assert.is(tf.memory().numTensors, before);
  assert.ok(all.trace > 0 && Number.isFinite(all.trace));
  const parts = Object.values(all.perParameter).reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(parts - all.trace) < 1e-9 * all.trace);
  assert.equal(Object.keys(all.perParameter), [...model.params.keys()]);
  assert.ok(all.perParameter['conv1/kernel']! > 0 && all.perParameter['head/kernel']! > 0);
  const first = fisherTrace(model, images, labels, [0, 1]);
  const second = fisherTrace(model, images, labels, [2, 3]);
  assert.ok(Math.abs((first.trace + second.trace) / 2 - all.trace) < 1e-5 * all.trace);
  model.dispose();
});

test.run();
