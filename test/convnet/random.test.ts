import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normalArray, Rng } from '../../src/convnet/random.js';

// Saved runs' initial weights come from these streams: the values must never change.
test('weight-initialisation streams are pinned', () => {
  const rng = new Rng(42, 'conv1/kernel');
  assert.equal(
    [rng.nextUint32(), rng.nextUint32(), rng.uniform(), rng.normal(), rng.normal(), rng.normal()],
    [3491820597, 4126012148, 0.425322433422089, -0.30029807755122073, -0.8034630948529209, 0.11874826240980255],
  );
  assert.equal(Array.from(normalArray(7, 'dense/kernel', 4, 0.1)), [-0.07926718145608902, -0.0914849042892456, 0.09311244636774063, -0.1181427463889122]);
});

test('each parameter name has its own stream', () => {
  assert.not.equal(Array.from(normalArray(7, 'a', 8, 1)), Array.from(normalArray(7, 'b', 8, 1)));
  assert.equal(Array.from(normalArray(7, 'a', 8, 1)), Array.from(normalArray(7, 'a', 8, 1)));
});

test.run();
