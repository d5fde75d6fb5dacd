import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../src/errors.js';
import { ARCHITECTURE_NAMES, getArchitecture, trunkParameters } from '../../src/convnet/architectures.js';

test('the reference net has the benchmark layout and parameter count', () => {
  const arch = getArchitecture('reference');
  const { parameters, featureDim } = trunkParameters(arch, [28, 28, 1]);
  assert.is(featureDim, 128);
  const shapes = Object.fromEntries(parameters.map((p) => [p.name, p.shape]));
  assert.equal(shapes['conv1/kernel'], [3, 3, 1, 32]);
  assert.equal(shapes['conv2/kernel'], [3, 3, 32, 64]);
  assert.equal(shapes['fc1/kernel'], [7 * 7 * 64, 128]);
  const trainable = parameters.filter((p) => p.trainable).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  // conv1 320 + bn1 64 + conv2 18496 + fc1 401536 (the 10-way head adds 1290).
  assert.is(trainable, 320 + 64 + 18496 + 401536);
});

test('every architecture builds at its native input; VGG stacks use conv-BN-ReLU without conv bias', () => {
  for (const name of ARCHITECTURE_NAMES) {
    const arch = getArchitecture(name);
    const { featureDim } = trunkParameters(arch, arch.nativeInputShape);
    assert.ok(featureDim > 0, name);
    if (name.startsWith('vgg')) {
      arch.trunk.forEach((layer, i) => {
        if (layer.type === 'conv') {
          assert.is(layer.bias, false, `${name}/${layer.name}`);
          const next = arch.trunk[i + 1];
          assert.ok(next?.type === 'batchnorm' && next.relu, `${name}/${layer.name} followed by BN+ReLU`);
        }
      });
    }
  }
  assert.equal(getArchitecture('vgg-64').nativeInputShape, [64, 64, 3]);
  assert.equal(getArchitecture('vgg-28').nativeInputShape, [28, 28, 1]);
});

test('pooling can be switched to average pooling', () => {
  const arch = getArchitecture('vgg-28', 'avg');
  assert.ok(arch.trunk.some((l) => l.type === 'avgpool'));
  assert.not.ok(arch.trunk.some((l) => l.type === 'maxpool'));
  assert.ok(getArchitecture('vgg-28').trunk.some((l) => l.type === 'maxpool'));
});

test('unknown names and too-small inputs are rejected', () => {
  assert.throws(() => getArchitecture('resnet'), (e: unknown) => e instanceof ValidationError && e.field === 'arch');
  assert.throws(() => trunkParameters(getArchitecture('vgg-64'), [8, 8, 3]), (e: unknown) => e instanceof ValidationError && e.field === 'inputShape');
});

test.run();
