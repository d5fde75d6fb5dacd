// The core's device / write-statistics hook (blocks laid out by assembly/device-layout.ts, built by
// src/fidelity/device-model.ts). Gold: every backend records the same statistics and, with an analog
// device attached, writes the same weights (bit-identical); every attempted update is exactly one of
// lost, saturated or written, and the written ones are the core's weightWrites.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BACKENDS, bits, layerOn } from './helpers.js';
import { buildDeviceBlock, buildStatsBlock, readWriteStats } from '../../src/fidelity/device-model.js';
import { ValidationError } from '../../src/errors.js';
import type { LayerConfig, WeightConfig } from '../../src/core/layer.js';

function config(weights: WeightConfig): Omit<LayerConfig, 'backend'> {
  return {
    nIn: 40, nOut: 13, dt: 0.5, seed: 21,
    neuron: { vRest: -65, vReset: -65, vThresh: -58, tauMembrane: 40, inputGain: 2, refractorySteps: 2, thetaPlus: 0.5 },
    weights,
    stdp: { rule: 'dc', etaPre: 0.004, etaPost: 0.05, xTar: 0.1, mu: 0, tauPre: 10, tauPost: 10 },
    inhibition: { mode: 'soft', strength: 1 },
    normalise: { columnSum: 8 },
  };
}

function run(weights: WeightConfig, block: () => Uint8Array) {
  return BACKENDS.map((backend) => {
    const layer = layerOn(backend, config(weights));
    layer.initWeightsUniform(0, 0.6);
    layer.attachDevice(block());
    const rates = Float32Array.from({ length: 40 }, (_, i) => 40 + 5 * (i % 9));
    for (let s = 0; s < 3; s++) layer.present({ steps: 150, rates, learn: true, restSteps: 50 });
    return { w: bits(layer.getWeights()), c: layer.counters(), stats: readWriteStats(layer.deviceBlock()!) };
  });
}

function checkAccounting(r: ReturnType<typeof run>[number]): void {
  const { stdp, normalisation } = r.stats;
  for (const p of [stdp, normalisation]) {
    assert.is(p.attempts, p.lost + p.saturated + p.writes);
    assert.is(p.histogram.reduce((a, b) => a + b, 0), p.attempts);
  }
  assert.is(stdp.writes + normalisation.writes, r.c.weightWrites);
  assert.is(stdp.lost + normalisation.lost, r.c.lostUpdates);
  assert.ok(stdp.attempts > 0 && normalisation.attempts > 0);
}

test('statistics blocks: identical on every backend, and the accounting adds up (fixed and f32)', () => {
  for (const weights of [
    { format: 'fixed', bits: 4, wMax: 1, rounding: 'stochastic' },
    { format: 'fixed', bits: 2, wMax: 1, rounding: 'nearest' },
    { format: 'f32', wMax: 1 },
  ] as WeightConfig[]) {
    const unit = weights.format === 'fixed' ? 1 / (2 ** weights.bits! - 1) : 1 / 255;
    const runs = run(weights, () => buildStatsBlock({ unit }));
    assert.equal(runs[1], runs[0]);
    assert.equal(runs[2], runs[0]);
    runs.forEach(checkAccounting);
    // A statistics block changes nothing: same weights as without it.
    const plain = layerOn('wasm', config(weights));
    plain.initWeightsUniform(0, 0.6);
    const rates = Float32Array.from({ length: 40 }, (_, i) => 40 + 5 * (i % 9));
    for (let s = 0; s < 3; s++) plain.present({ steps: 150, rates, learn: true, restSteps: 50 });
    assert.equal(bits(plain.getWeights()), runs[0].w);
  }
});

test('analog device blocks: identical weights and statistics on every backend', () => {
  for (const rounding of ['nearest', 'stochastic'] as const) {
    const spec = { pulses: 15, nonlinearityLtp: 2.4, nonlinearityLtd: -4.88, cycleToCycleSigma: 0.02, deviceToDeviceSigmaNl: 0.5 };
    const runs = run({ format: 'f32', wMax: 1 }, () => buildDeviceBlock(spec, { nIn: 40, nOut: 13, wMax: 1, seed: 3, rounding, unit: 1 / 15 }));
    assert.equal(runs[1], runs[0], `wasm-scalar (${rounding})`);
    assert.equal(runs[2], runs[0], `wasm (${rounding})`);
    runs.forEach(checkAccounting);
  }
});

test('device blocks are validated and detach cleanly', () => {
  const fixed = layerOn('wasm', config({ format: 'fixed', bits: 4, wMax: 1 }));
  const spec = { pulses: 15, nonlinearityLtp: 1, nonlinearityLtd: -1, cycleToCycleSigma: 0, deviceToDeviceSigmaNl: 0 };
  const device = buildDeviceBlock(spec, { nIn: 40, nOut: 13, wMax: 1, seed: 3, rounding: 'nearest', unit: 1 / 15 });
  assert.throws(() => fixed.attachDevice(device), (e: unknown) => e instanceof ValidationError && /weights\.format/.test((e as Error).message));
  assert.throws(() => fixed.attachDevice(new Uint8Array(16)), (e: unknown) => e instanceof ValidationError);
  const f32 = layerOn('wasm', config({ format: 'f32', wMax: 1 }));
  f32.attachDevice(device);
  assert.ok(f32.deviceBlock() !== null);
  // The block survives a re-layout of the per-sample buffers (a sample longer than maxSteps).
  f32.initWeightsUniform(0, 0.5);
  f32.present({ steps: 3000, rates: new Float32Array(40).fill(50), learn: true });
  assert.ok(readWriteStats(f32.deviceBlock()!).stdp.attempts > 0);
  f32.attachDevice(null);
  assert.is(f32.deviceBlock(), null);
});

test.run();
