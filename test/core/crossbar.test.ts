// Crossbar propagation strategies. Gold: event-driven (a spike adds its row) and dense clock-driven
// (a matrix-vector product over all inputs every step) give bit-identical results, because adding
// s * w with s = 0 leaves an f32 sum unchanged and fixed-point levels are summed exactly as integers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BACKENDS, layerOn, mulberry32 } from './helpers.js';
import { FORMATS, pick, randomConfig, runOn } from './random-layers.js';

test('event-driven == dense propagation (bit-identical), f32 and fixed point, random layers', () => {
  for (const weights of [FORMATS[0], FORMATS[3 * 3 + 1], FORMATS[3 * 7 + 2], FORMATS[3 * 7 + 3]]) {
    for (let s = 0; s < 6; s++) {
      const r = mulberry32(500 + s);
      const config = randomConfig(r, weights, pick(r, ['dc', 'pair'] as const), pick(r, ['none', 'soft', 'hard'] as const), 500 + s);
      const event = runOn({ ...config, propagation: 'event' }, 900 + s);
      const dense = runOn({ ...config, propagation: 'dense' }, 900 + s);
      for (let b = 0; b < 3; b++) assert.equal(dense[b].snap, event[b].snap, `${event[b].backend} seed ${500 + s}`);
    }
  }
});

for (const backend of BACKENDS) {
  test(`${backend}: a spike adds exactly its row to the neurons' input`, () => {
    // No leak memory (tau << dt), gain 1, threshold out of reach: v after one step = vRest + sum of the spiking rows.
    for (const format of ['f32', 'fixed'] as const) {
      const nIn = 5, nOut = 21;
      const layer = layerOn(backend, {
        nIn, nOut, dt: 1, seed: 1,
        neuron: { vRest: 0, vReset: 0, vThresh: 1e9, tauMembrane: 1e-3 },
        weights: format === 'f32' ? { format, wMax: 1 } : { format, bits: 6, wMax: 1 },
        stdp: { rule: 'none' },
      });
      layer.initWeightsUniform(0, 1);
      const w = layer.getWeights();
      layer.present({ steps: 1, spikeSteps: [[0], [], [0], [0], []] });
      const v = layer.getMembrane();
      for (let j = 0; j < nOut; j++) {
        // f32: rows added in ascending input order; fixed: the level sum times the level step.
        let want: number;
        if (format === 'f32') want = Math.fround(Math.fround(w[j] + w[2 * nOut + j]) + w[3 * nOut + j]);
        else {
          const q = layer.getWeightLevels()!;
          want = Math.fround((q[j] + q[2 * nOut + j] + q[3 * nOut + j]) * Math.fround(1 / 63));
        }
        assert.is(v[j], Math.fround(0 + Math.fround(1 * want)), `${format} neuron ${j}`);
      }
    }
  });
}

test.run();
