import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { ValidationError } from '../../src/errors.js';
import { cloneConvNet, createConvNet, exportWeights, resetHead } from '../../src/convnet/model.js';
import { extractFeatures, evaluate, predict } from '../../src/convnet/inference.js';
import { trainEpoch } from '../../src/convnet/train.js';
import { identityOrder } from '../../src/convnet/images.js';
import { barImages, onBackend, useWasm } from './helpers.js';

test.before(async () => {
  await useWasm();
});

const SGD = { learningRate: 0.05, momentum: 0.9, weightDecay: 1e-5, batchSize: 16 };

test('a small ConvNet trains on the wasm backend: loss falls and the task is learnt', async () => {
  const { images, labels } = barImages(96, 4);
  const model = createConvNet({ arch: 'reference', numClasses: 4, seed: 3 });
  const order = identityOrder(images.count);
  const before = evaluate(model, images, labels);
  const losses: number[] = [];
  for (let epoch = 0; epoch < 4; epoch++) {
    const r = await trainEpoch(model, images, labels, order, SGD);
    assert.is(r.backend, 'wasm');
    assert.is(r.samples, 96);
    assert.is(r.batches, 6);
    losses.push(r.meanLoss);
  }
  const after = evaluate(model, images, labels);
  assert.ok(losses[3]! < losses[0]! * 0.5, `training loss per epoch ${losses.join(', ')}`);
  assert.ok(after.meanLoss < before.meanLoss * 0.5, `eval loss ${before.meanLoss} -> ${after.meanLoss}`);
  assert.ok(after.accuracy >= 0.9, `accuracy ${after.accuracy}`);
  model.dispose();
});

test('progress is reported after every batch, ending at the total', async () => {
  const { images, labels } = barImages(40, 2);
  const model = createConvNet({ arch: 'reference', numClasses: 2, seed: 1 });
  const seen: number[] = [];
  await trainEpoch(model, images, labels, identityOrder(40), { ...SGD, batchSize: 16, onProgress: (p) => seen.push(p.done) });
  assert.equal(seen, [16, 32, 40]);
  model.dispose();
});

test('extractFeatures gives one featureDim row per image, equal to a batch-of-one pass', () => {
  const { images } = barImages(10, 2);
  const model = createConvNet({ arch: 'reference', numClasses: 2, seed: 5 });
  const features = extractFeatures(model, images, 4);
  assert.is(model.featureDim, 128);
  assert.is(features.length, 10 * 128);
  const single = extractFeatures(model, { pixels: images.pixels.subarray(7 * 784, 8 * 784), count: 1, shape: images.shape }, 1);
  for (let j = 0; j < 128; j++) assert.ok(Math.abs(single[j]! - features[7 * 128 + j]!) < 1e-5);
  // Pre-ReLU: some features are negative.
  assert.ok(features.some((v) => v < 0));
  model.dispose();
});

test('resetHead changes the number of outputs and keeps the trunk', () => {
  const { images } = barImages(6, 2);
  const model = createConvNet({ arch: 'reference', numClasses: 10, seed: 2 });
  const featuresBefore = extractFeatures(model, images);
  assert.is(predict(model, images).logits.length, 6 * 10);
  resetHead(model, 25, 7);
  assert.is(model.numClasses, 25);
  assert.equal(model.params.get('head/kernel')!.shape, [128, 25]);
  assert.is(predict(model, images).logits.length, 6 * 25);
  assert.equal(extractFeatures(model, images), featuresBefore);
  // Fresh head: N(0, 0.01) weights, zero bias.
  const w = model.params.get('head/kernel')!.dataSync() as Float32Array;
  const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
  assert.ok(std > 0.008 && std < 0.012, `head std ${std}`);
  assert.ok(model.params.get('head/bias')!.dataSync().every((v) => v === 0));
  model.dispose();
});

test('initial weights depend only on the seed (same on wasm and cpu), and clones are equal and independent', async () => {
  const snapshot = () => {
    const m = createConvNet({ arch: 'vgg-28', numClasses: 10, seed: 11 });
    const out = [...m.params.values()].map((v) => Array.from(v.dataSync()));
    m.dispose();
    return out;
  };
  const wasm = await onBackend('wasm', snapshot);
  const cpu = await onBackend('cpu', snapshot);
  assert.equal(wasm, cpu);
  const model = createConvNet({ arch: 'reference', numClasses: 3, seed: 11 });
  const copy = cloneConvNet(model);
  const { images, labels } = barImages(12, 3);
  assert.equal(predict(copy, images).logits, predict(model, images).logits);
  await trainEpoch(copy, images, labels, identityOrder(12), SGD);
  assert.not.equal(predict(copy, images).logits, predict(model, images).logits);
  model.dispose();
  copy.dispose();
});

test('exportWeights lists every parameter and statistic with its shape and values', () => {
  const model = createConvNet({ arch: 'reference', numClasses: 10, seed: 2 });
  const weights = exportWeights(model);
  assert.equal(Object.keys(weights), [
    'conv1/kernel', 'conv1/bias', 'bn1/gamma', 'bn1/beta', 'conv2/kernel', 'conv2/bias', 'fc1/kernel', 'fc1/bias',
    'head/kernel', 'head/bias', 'bn1/moving_mean', 'bn1/moving_variance',
  ]);
  assert.equal(weights['conv2/kernel']!.shape, [3, 3, 32, 64]);
  assert.is(weights['conv2/kernel']!.values.length, 3 * 3 * 32 * 64);
  assert.ok(weights['bn1/moving_variance']!.values.every((v) => v === 1));
  model.dispose();
});

test('training is deterministic for a given seed and sample order', async () => {
  const { images, labels } = barImages(32, 4);
  const run = async () => {
    const m = createConvNet({ arch: 'reference', numClasses: 4, seed: 9 });
    const order = Int32Array.from([...identityOrder(32)].reverse());
    await trainEpoch(m, images, labels, order, SGD);
    const logits = predict(m, images).logits;
    m.dispose();
    return logits;
  };
  assert.equal(await run(), await run());
});

test('bad input is rejected with ValidationError naming the field', async () => {
  assert.throws(() => createConvNet({ arch: 'alexnet', numClasses: 10, seed: 1 }), (e: unknown) => e instanceof ValidationError && e.field === 'arch');
  assert.throws(() => createConvNet({ arch: 'vgg-64', inputShape: [8, 8, 3], numClasses: 10, seed: 1 }), (e: unknown) => e instanceof ValidationError && e.field === 'inputShape');
  const { images, labels } = barImages(8, 2);
  const model = createConvNet({ arch: 'reference', numClasses: 2, seed: 1 });
  const bad = Int32Array.from(labels);
  bad[3] = 2;
  let error: unknown = null;
  try {
    await trainEpoch(model, images, bad, identityOrder(8), SGD);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof ValidationError && error.field === 'labels[3]', String(error));
  error = null;
  try {
    await trainEpoch(model, images, labels, [0, 8], SGD);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof ValidationError && error.field === 'sampleOrder[1]', String(error));
  assert.throws(() => extractFeatures(model, { pixels: new Float32Array(8 * 64), count: 8, shape: [8, 8, 1] }), (e: unknown) => e instanceof ValidationError && e.field === 'images.shape');
  model.dispose();
});

test('no tensors leak across training, inference and head resets', async () => {
  const { images, labels } = barImages(20, 2);
  const model = createConvNet({ arch: 'reference', numClasses: 2, seed: 1 });
  await trainEpoch(model, images, labels, identityOrder(20), SGD);
  const before = tf.memory().numTensors;
  await trainEpoch(model, images, labels, identityOrder(20), SGD);
  extractFeatures(model, images);
  predict(model, images);
  resetHead(model, 2, 3);
  await trainEpoch(model, images, labels, identityOrder(20), SGD);
  // Head momentum is off by default, so the reset head adds no buffers: the count is unchanged.
  assert.is(tf.memory().numTensors, before);
  model.dispose();
});

test.run();
