import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  diehlCookLayerConfig,
  diehlCookPreset,
  maxRateAt,
  pixelRates,
  presentSteps,
  restSteps,
  thetaPlusFor,
} from '../../../src/snn/presets/diehl-cook.js';
import { createLayer } from '../../../src/core/layer.js';
import { ValidationError } from '../../../src/errors.js';

test('the preset keeps Diehl & Cook\'s protocol: 350 ms + 150 ms at dt 0.5 ms, 63.75 Hz, column sum 78', () => {
  const p = diehlCookPreset({ nNeurons: 400 });
  assert.is(p.nInputs, 784);
  assert.is(p.nNeurons, 400);
  assert.is(presentSteps(p), 700);
  assert.is(restSteps(p), 300);
  assert.is(p.maxRateHz, 63.75);
  assert.is(p.columnSum, 78);
  assert.is(p.minSpikes, 5);
  assert.is(maxRateAt(p, 2), 63.75 + 2 * 31.875);
  assert.is(p.neuron.vThresh, -52);
  assert.is(p.neuron.vRest, -65);
  assert.is(p.neuron.tauMembrane, 100);
  assert.is(p.stdp.rule, 'dc');
  assert.is(diehlCookPreset({ nNeurons: 10, nInputs: 256 }).columnSum, 25.6);
  // theta increment: D&C's 0.05 mV up to 100 neurons, proportional to the neuron count above
  assert.equal([10, 100, 400, 1600].map(thetaPlusFor), [0.05, 0.05, 0.2, 0.8]);
  assert.is(p.neuron.thetaPlus, 0.2);
});

test('pixel rates: pixel / 255 x the presentation\'s full-intensity rate; f32 images in [0, 1]', () => {
  const p = diehlCookPreset({ nNeurons: 4, nInputs: 3 });
  const out = new Float32Array(3);
  pixelRates(p, new Uint8Array([0, 255, 51, 7]), 1, 0, out);
  assert.equal(Array.from(out), [Math.fround(63.75), Math.fround(0.2 * 63.75), Math.fround((7 / 255) * 63.75)]);
  pixelRates(p, new Float32Array([1, 0.5, 0]), 0, 1, out);
  assert.equal(Array.from(out), [95.625, Math.fround(0.5 * 95.625), 0]);
});

test('the layer configuration is accepted by the core and carries the preset\'s parameters', () => {
  const p = diehlCookPreset({ nNeurons: 5, weightBits: 4, rounding: 'stochastic' });
  const config = diehlCookLayerConfig(p, 9, 'reference');
  assert.equal(config.normalise, { columnSum: 78 });
  assert.equal(config.weights, { format: 'fixed', bits: 4, wMax: 1, rounding: 'stochastic' });
  const layer = createLayer(config);
  assert.is(layer.backend, 'reference');
  layer.dispose();
});

test('bad preset values are rejected', () => {
  assert.throws(() => diehlCookPreset({ nNeurons: 0 }), (err: unknown) => err instanceof ValidationError && err.field === 'neurons');
  assert.throws(() => diehlCookPreset({ nNeurons: 4, weightBits: 12 }), /weight bits/);
  assert.throws(() => diehlCookPreset({ nNeurons: 4, overrides: { presentMs: 350.2 } }), /presentMs/);
  assert.throws(() => diehlCookPreset({ nNeurons: 4, overrides: { maxRetries: 100 } }), /maxRetries/);
});

test.run();
