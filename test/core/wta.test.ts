// Lateral inhibition. Gold: 'hard' lets at most one neuron fire per step (largest overshoot, ties to the
// lower index); 'soft' fires every candidate and pushes every other membrane down by strength x spikes,
// clamped at vMin; 'none' fires every candidate.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BACKENDS, layerOn, mulberry32 } from './helpers.js';
import type { Backend } from '../../src/core/layer.js';

function wtaLayer(backend: Backend, mode: 'none' | 'soft' | 'hard', strength: number, nIn = 20, nOut = 30, seed = 3) {
  return layerOn(backend, {
    nIn, nOut, dt: 1, seed,
    neuron: { vRest: -65, vReset: -65, vThresh: -52, vMin: -80, tauMembrane: 20, inputGain: 4, refractorySteps: 2 },
    weights: { format: 'f32', wMax: 1 },
    stdp: { rule: 'none' },
    inhibition: { mode, strength },
  });
}

for (const backend of BACKENDS) {
  test(`${backend}: hard WTA never lets two neurons fire in one step`, () => {
    for (const seed of [1, 2, 3, 4]) {
      const layer = wtaLayer(backend, 'hard', seed === 4 ? 0 : 3, 20, 30, seed);
      layer.initWeightsUniform(0.3, 1);
      const rnd = mulberry32(seed);
      const rates = Float32Array.from({ length: 20 }, () => 100 + 400 * rnd());
      const r = layer.present({ steps: 400, rates });
      assert.ok(r.totalSpikes > 20, `enough spikes to test (${r.totalSpikes})`);
      for (let k = 1; k < r.totalSpikes; k++) assert.ok(r.spikeSteps[k] > r.spikeSteps[k - 1], `two spikes in step ${r.spikeSteps[k]}`);
    }
  });

  test(`${backend}: hard WTA ties go to the lower index, others are pushed down by the strength`, () => {
    // Four identical neurons driven over threshold in the same step by a bias current.
    const strong = layerOn(backend, {
      nIn: 1, nOut: 4, dt: 1, seed: 1,
      neuron: { vRest: -65, vReset: -65, vThresh: -52, vMin: -80, tauMembrane: 1e9, iBias: 20, inputGain: 1 },
      weights: { format: 'f32', wMax: 1 },
      stdp: { rule: 'none' },
      inhibition: { mode: 'hard', strength: 3 },
    });
    const s = strong.present({ steps: 1 });
    assert.equal(Array.from(s.spikeNeurons), [0]);
    const v = strong.getMembrane();
    assert.is(v[0], -65);
    for (let j = 1; j < 4; j++) assert.is(v[j], Math.fround(Math.fround(-65 + 20) - 3));
    // Larger overshoot wins: raise neuron 2's theta down (lower threshold) -> it wins.
    strong.resetState();
    strong.setTheta([0, 0, -1, 0]);
    assert.equal(Array.from(strong.present({ steps: 1 }).spikeNeurons), [2]);
  });

  test(`${backend}: soft inhibition pushes non-spiking neurons down by strength x spikes, clamped at vMin`, () => {
    const layer = layerOn(backend, {
      nIn: 2, nOut: 4, dt: 1, seed: 1,
      neuron: { vRest: -65, vReset: -70, vThresh: -52, vMin: -72, tauMembrane: 1e9, inputGain: 1 },
      weights: { format: 'f32', wMax: 20 },
      stdp: { rule: 'none' },
      inhibition: { mode: 'soft', strength: 2.5 },
    });
    // Input 0 drives neurons 0 and 1 over threshold (+20), neuron 2 gets +5, neuron 3 nothing.
    layer.setWeights([20, 20, 5, 0, 0, 0, 0, 0]);
    const r = layer.present({ steps: 1, spikeSteps: [[0], []] });
    assert.equal(Array.from(r.spikeNeurons), [0, 1]);
    const v = Array.from(layer.getMembrane());
    assert.equal(v, [-70, -70, -65 + 5 - 5, -65 - 5]);
    // Again: 0 and 1 fire (-70 + 20 >= -52), 2 and 3 are pushed down by 5; neuron 3: -75 clamped at vMin = -72.
    const r2 = layer.present({ steps: 1, spikeSteps: [[0], []] });
    assert.equal(Array.from(r2.spikeNeurons), [0, 1]);
    assert.equal(Array.from(layer.getMembrane()), [-70, -70, -65, -72]);
  });

  test(`${backend}: no inhibition lets every candidate fire`, () => {
    const layer = wtaLayer(backend, 'none', 100, 1, 5);
    layer.setWeights([1, 1, 1, 1, 1]);
    layer.setTheta([-10, -10, -10, -10, 0]);
    const r = layer.present({ steps: 1, spikeSteps: [[0]] });
    assert.equal(Array.from(r.spikeNeurons), [0, 1, 2, 3]);
  });
}

test.run();
