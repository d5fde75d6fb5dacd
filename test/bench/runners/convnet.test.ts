import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { runner, tfjsNodeRunner } from '../../../bench/runners/convnet.js';
import type { ScenarioParams } from '../../../bench/harness.js';

const ctx = { scenario: 't', variant: 'v', quick: true };
const base: ScenarioParams = { arch: 'reference', dataset: 'mnist', batch: 4, images: 8, backend: 'wasm', seed: 1 };

test('convnet runner: train and infer repetitions process every image and leak no tensors', async () => {
  for (const train of [true, false]) {
    const prepared = await runner.prepare({ ...base, train }, ctx);
    assert.is(prepared.info!.backend, 'wasm');
    await prepared.run();
    const tensors = tf.memory().numTensors;
    const r = await prepared.run();
    assert.is(r.samples, 8);
    assert.is(r.events, 0, 'a ConvNet reports images, not synaptic events');
    assert.is(tf.memory().numTensors, tensors, 'no tensors left behind by a repetition');
    if (train) assert.ok(Number.isFinite(r.extra!.meanLoss) && r.extra!.meanLoss > 0);
    await prepared.dispose?.();
  }
});

test('convnet-tfjs-node runner: states a reason to skip exactly when tfjs-node does not load', async () => {
  let loads = true;
  try {
    const name = '@tensorflow/tfjs-node';
    await import(name);
  } catch {
    loads = false;
  }
  const reason = await tfjsNodeRunner.unavailable!();
  assert.is(reason === null, loads);
  if (!loads) assert.match(reason!, /npm install @tensorflow\/tfjs-node/);
});

test.run();
