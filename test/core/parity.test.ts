// Randomized parity: the TypeScript reference, the scalar WebAssembly build and the SIMD build produce
// bit-identical spikes, weights (raw f32 bits / levels), membranes, thetas, traces and counters over many
// seeds, every weight format (f32, fixed 1..8 bits) x rounding mode, both STDP rules (plus none), every
// inhibition mode, both propagation strategies and every input encoder; also fixed-point stores with
// per-sample commit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BACKENDS, layerOn, mulberry32 } from './helpers.js';
import { COMMIT_FORMATS, FORMATS, randomConfig, runOn, snapshot } from './random-layers.js';
import type { LayerConfig, WeightConfig } from '../../src/core/layer.js';

for (const weights of FORMATS) {
  const name = weights.format === 'f32' ? 'f32' : `fixed ${weights.bits} bit ${weights.rounding}`;
  test(`parity reference == wasm-scalar == wasm: ${name}, every rule x inhibition mode`, () => {
    let k = 0;
    for (const rule of ['none', 'dc', 'pair'] as const) {
      for (const mode of ['none', 'soft', 'hard'] as const) {
        const seed = 1000 * (weights.bits ?? 0) + 17 * k++ + (weights.rounding === 'stochastic' ? 7 : weights.rounding === 'truncate' ? 3 : 0);
        const r = mulberry32(seed);
        const config = randomConfig(r, weights, rule, mode, seed);
        const [ref, ...others] = runOn(config, seed + 1);
        for (const o of others) {
          assert.equal(o.snap, ref.snap, `${o.backend} differs from reference (${name}, ${rule}, ${mode}, seed ${seed})`);
        }
      }
    }
  });
}

for (const weights of COMMIT_FORMATS) {
  const name = `fixed ${weights.bits} bit ${weights.rounding} per-sample commit`;
  test(`parity reference == wasm-scalar == wasm: ${name}, every rule x inhibition mode`, () => {
    let k = 0;
    for (const rule of ['none', 'dc', 'pair'] as const) {
      for (const mode of ['none', 'soft', 'hard'] as const) {
        const seed = 50_000 + 1000 * weights.bits! + 17 * k++ + (weights.rounding === 'stochastic' ? 7 : weights.rounding === 'truncate' ? 3 : 0);
        const r = mulberry32(seed);
        const config = randomConfig(r, weights, rule, mode, seed);
        const [ref, ...others] = runOn(config, seed + 1);
        for (const o of others) {
          assert.equal(o.snap, ref.snap, `${o.backend} differs from reference (${name}, ${rule}, ${mode}, seed ${seed})`);
        }
      }
    }
  });
}

test('parity on wide layers: u16 accumulator chunks, sorted bursts, row-wise normalisation, dense and event', () => {
  const cases = [['f32', 'event'], ['fixed', 'event'], ['fixed', 'dense'], ['f32', 'dense'], ['per-sample', 'event']] as const;
  for (const [format, propagation] of cases) {
    const weights: WeightConfig = format === 'f32'
      ? { format, wMax: 1 }
      : { format: 'fixed', bits: format === 'fixed' ? 8 : 4, wMax: 1, rounding: 'stochastic', ...(format === 'per-sample' ? { commit: format } : {}) };
    const config: Omit<LayerConfig, 'backend'> = {
      nIn: 600, nOut: 45, dt: 1, seed: 77, propagation,
      neuron: { vRest: -65, vReset: -65, vThresh: -40, tauMembrane: 20, inputGain: 0.2, thetaPlus: 0.5, tauTheta: 1e4 },
      weights,
      stdp: { rule: 'dc', etaPre: 0.001, etaPost: 0.01, xTar: 0.1, mu: 0.7, tauPre: 10, tauPost: 10 },
      inhibition: { mode: 'soft', strength: 1 },
      normalise: { columnSum: 60 },
    };
    const snaps = BACKENDS.map((backend) => {
      const layer = layerOn(backend, config);
      layer.initWeightsUniform(0, 0.3);
      const results = [
        layer.present({ steps: 30, rates: new Float32Array(600).fill(800), learn: true }),
        layer.present({ steps: 30, rates: Float32Array.from({ length: 600 }, (_, i) => (i % 3) * 200), learn: true, restSteps: 50 }),
      ];
      assert.ok(results[0].totalSpikes > 0);
      return snapshot(layer, results);
    });
    assert.equal(snaps[1], snaps[0], `wasm-scalar (${format}, ${propagation})`);
    assert.equal(snaps[2], snaps[0], `wasm (${format}, ${propagation})`);
  }
});

test.run();
