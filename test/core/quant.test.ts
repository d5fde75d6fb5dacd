// Fixed-point weights and the weight writer. Gold: level q in 0..2^b - 1 has value q * wMax / (2^b - 1);
// an update dw becomes x = dw / delta levels, rounded nearest (half away from zero), stochastically
// (floor(x) + 1 with probability x - floor(x): unbiased) or by truncation, then saturated to [0, 2^b - 1].
// An update that rounds to 0 levels is lost; a write is counted when the stored level changes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BACKENDS, layerOn } from './helpers.js';
import type { Backend, LayerConfig } from '../../src/core/layer.js';

/** n synapses onto one neuron that fires in step 0 (bias), every input spiking in step 0: one potentiation each. */
function potentiationLayer(backend: Backend, n: number, bits: number, rounding: 'nearest' | 'stochastic' | 'truncate', aPlus: number, seed = 5) {
  const config: Omit<LayerConfig, 'backend'> = {
    nIn: n,
    nOut: 1,
    dt: 1,
    seed,
    neuron: { vRest: 0, vReset: 0, vThresh: 1, tauMembrane: 10, iBias: 10 },
    weights: { format: 'fixed', bits, wMax: 1, rounding },
    stdp: { rule: 'pair', aPlus, aMinus: 0, tauPlus: 10, tauMinus: 10 },
  };
  return layerOn(backend, config);
}

for (const backend of BACKENDS) {
  test(`${backend}: levels map linearly onto [0, wMax] for every bit width`, () => {
    for (let bits = 1; bits <= 8; bits++) {
      const qMax = 2 ** bits - 1;
      const wMax = 0.75;
      const layer = layerOn(backend, {
        nIn: 1, nOut: qMax + 1, dt: 1, seed: 1,
        neuron: { vRest: 0, vReset: 0, vThresh: 1, tauMembrane: 10 },
        weights: { format: 'fixed', bits, wMax },
        stdp: { rule: 'none' },
      });
      const levels = Uint8Array.from({ length: qMax + 1 }, (_, q) => q);
      layer.setWeightLevels(levels);
      assert.equal(Array.from(layer.getWeightLevels()!), Array.from(levels));
      const w = layer.getWeights();
      const delta = Math.fround(wMax / qMax);
      for (let q = 0; q <= qMax; q++) assert.is(w[q], Math.fround(q * delta));
      assert.is(w[qMax], Math.fround(qMax * delta));
      // setWeights rounds to the nearest level (half away from zero).
      layer.setWeights(Float32Array.from({ length: qMax + 1 }, (_, q) => Math.min(wMax, (q + 0.49) * delta)));
      assert.equal(Array.from(layer.getWeightLevels()!), Array.from(levels));
    }
  });

  test(`${backend}: nearest / truncate rounding, saturation, lost updates and writes are exact`, () => {
    // bits 3: delta = 1/7. Start at level 5.
    const cases: [number, 'nearest' | 'truncate', number, number, number][] = [
      // x levels, rounding, expected level, writes, lost
      [0.4, 'nearest', 5, 0, 1],
      [0.5, 'nearest', 6, 1, 0],
      [1.6, 'nearest', 7, 1, 0],
      [3.5, 'nearest', 7, 1, 0], // saturates at qMax
      [0.9, 'truncate', 5, 0, 1],
      [2.9, 'truncate', 7, 1, 0],
    ];
    for (const [x, rounding, want, writes, lost] of cases) {
      const layer = potentiationLayer(backend, 1, 3, rounding, x / 7);
      layer.setWeightLevels([5]);
      layer.present({ steps: 1, spikeSteps: [[0]], learn: true });
      assert.is(layer.getWeightLevels()![0], want, `x=${x} ${rounding}`);
      assert.is(layer.counters().weightWrites, writes, `writes x=${x} ${rounding}`);
      assert.is(layer.counters().lostUpdates, lost, `lost x=${x} ${rounding}`);
    }
    // Saturation at 0: depression larger than the level.
    const layer = layerOn(backend, {
      nIn: 2, nOut: 1, dt: 1, seed: 3,
      neuron: { vRest: 0, vReset: 0, vThresh: 0.5, tauMembrane: 0.01 },
      weights: { format: 'fixed', bits: 4, wMax: 1, rounding: 'nearest' },
      stdp: { rule: 'pair', aPlus: 0, aMinus: 0.9, tauPlus: 10, tauMinus: 1000 },
    });
    layer.setWeightLevels([15, 3]);
    layer.present({ steps: 3, spikeSteps: [[0], [1]], learn: true });
    assert.equal(Array.from(layer.getWeightLevels()!), [15, 0]);
    assert.is(layer.counters().weightWrites, 1);
  });

  test(`${backend}: stochastic rounding is unbiased (mean level change within 3 sigma)`, () => {
    for (const x of [0.3, 0.77, 1.25]) {
      const n = 6000;
      const layer = potentiationLayer(backend, n, 4, 'stochastic', x / 15, 17);
      layer.setWeightLevels(new Uint8Array(n).fill(3));
      layer.present({ steps: 1, spikeSteps: Array.from({ length: n }, () => [0]), learn: true });
      const q = layer.getWeightLevels()!;
      // The update actually applied in levels is x' = f32(f32(dw) * f32(1 / delta)), within 1e-6 of x.
      let sum = 0;
      for (let k = 0; k < n; k++) sum += q[k] - 3;
      const frac = x - Math.floor(x);
      const mean = n * x;
      const sd = Math.sqrt(n * frac * (1 - frac));
      assert.ok(Math.abs(sum - mean) < 3 * sd, `x=${x}: total change ${sum}, expected ${mean} +- ${3 * sd}`);
      for (let k = 0; k < n; k++) assert.ok(q[k] - 3 === Math.floor(x) || q[k] - 3 === Math.floor(x) + 1);
      const c = layer.counters();
      assert.is(c.weightWrites + c.lostUpdates, n);
    }
  });
}

test.run();
