import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../src/errors.js';
import { loadConvNet, saveConvNet } from '../../src/convnet/checkpoint.js';
import { createConvNet, resetHead } from '../../src/convnet/model.js';
import { predict } from '../../src/convnet/inference.js';
import { trainEpoch } from '../../src/convnet/train.js';
import { identityOrder } from '../../src/convnet/images.js';
import { barImages, useWasm } from './helpers.js';

let dir = '';
test.before(async () => {
  await useWasm();
  dir = mkdtempSync(join(tmpdir(), 'deep-stdp-convnet-'));
});
test.after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const SGD = { learningRate: 0.05, momentum: 0.9, weightDecay: 1e-5, batchSize: 8, headMomentum: 0.9 };

test('save then load restores identical predictions, features and metadata', async () => {
  const { images, labels } = barImages(24, 3);
  const model = createConvNet({ arch: 'reference', numClasses: 3, seed: 2, pooling: 'avg' });
  await trainEpoch(model, images, labels, identityOrder(24), SGD);
  resetHead(model, 5, 8);
  const ckpt = join(dir, 'a');
  await saveConvNet(model, ckpt, { metadata: { epoch: 3 } });
  assert.ok(existsSync(join(ckpt, 'model.json')) && existsSync(join(ckpt, 'weights.bin')));
  const loaded = await loadConvNet(ckpt);
  assert.is(loaded.model.numClasses, 5);
  assert.is(loaded.model.pooling, 'avg');
  assert.equal(loaded.metadata, { epoch: 3 });
  assert.ok(loaded.optimizerRestored);
  assert.equal(predict(loaded.model, images).logits, predict(model, images).logits);
  model.dispose();
  loaded.model.dispose();
});

test('resume: training on after a load equals training on without it (momentum included)', async () => {
  const { images, labels } = barImages(24, 3);
  const order = identityOrder(24);
  const model = createConvNet({ arch: 'reference', numClasses: 3, seed: 6 });
  await trainEpoch(model, images, labels, order, SGD);
  const ckpt = join(dir, 'b');
  await saveConvNet(model, ckpt);
  await trainEpoch(model, images, labels, order, SGD);
  const resumed = (await loadConvNet(ckpt)).model;
  await trainEpoch(resumed, images, labels, order, SGD);
  assert.equal(predict(resumed, images).logits, predict(model, images).logits);
  model.dispose();
  resumed.dispose();
});

test('a damaged or mismatched checkpoint is rejected with ValidationError', async () => {
  const model = createConvNet({ arch: 'reference', numClasses: 2, seed: 1 });
  const ckpt = join(dir, 'c');
  await saveConvNet(model, ckpt);
  model.dispose();
  const weights = join(ckpt, 'weights.bin');
  const bytes = readFileSync(weights);
  bytes[100] = bytes[100]! ^ 0xff;
  writeFileSync(weights, bytes);
  let error: unknown = null;
  try { await loadConvNet(ckpt); } catch (e) { error = e; }
  assert.ok(error instanceof ValidationError && /SHA-256/.test(error.message), String(error));
  error = null;
  try { await loadConvNet(join(dir, 'missing')); } catch (e) { error = e; }
  assert.ok(error instanceof ValidationError && error.field === 'checkpoint', String(error));
  const json = JSON.parse(readFileSync(join(ckpt, 'model.json'), 'utf8'));
  json.formatVersion = 99;
  writeFileSync(join(ckpt, 'model.json'), JSON.stringify(json));
  error = null;
  try { await loadConvNet(ckpt); } catch (e) { error = e; }
  assert.ok(error instanceof ValidationError && /formatVersion/.test(error.field), String(error));
});

test.run();
