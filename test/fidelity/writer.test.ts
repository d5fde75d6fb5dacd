// The weight store of a fidelity point, end to end through the core's writers with a statistics or
// device block attached. Gold (hand-worked): bits 3 (delta = 1/7), levels [0, 3, 7, 6], one pair-rule
// potentiation of A levels per synapse in step 0:
//   A = 0.3: nearest and truncate round every update to 0 -> 4 lost, 0 writes;
//   A = 1.6: nearest -> +2: [2, 5, 7 (saturated), 7 (clipped +1)] -> 3 writes, 1 saturated, 5 pulses;
//            truncate -> +1: [1, 4, 7 (saturated), 7] -> 3 writes, 1 saturated, 3 pulses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLayer, type Backend, type LayerConfig } from '../../src/core/layer.js';
import {
  buildDeviceBlock, buildStatsBlock, closedFormUpdate, curve, nonlinearityToA, readWriteStats, type DeviceSpec,
} from '../../src/fidelity/device-model.js';
import { initialDeviceWeights, initialLevels, requireDeviceHook } from '../../src/fidelity/point.js';

const BACKENDS: Backend[] = ['reference', 'wasm-scalar', 'wasm'];

function potentiation(backend: Backend, nIn: number, nOut: number, weights: LayerConfig['weights'], aPlus: number) {
  return requireDeviceHook(createLayer({
    nIn, nOut, dt: 1, seed: 11, backend,
    neuron: { vRest: 0, vReset: 0, vThresh: 1, tauMembrane: 10, iBias: 10 },
    weights,
    stdp: { rule: 'pair', aPlus, aMinus: 0, tauPlus: 10, tauMinus: 10, traceMode: 'reset' },
  }));
}

const allAtZero = (nIn: number) => Array.from({ length: nIn }, () => [0]);

for (const backend of BACKENDS) {
  test(`${backend}: hand-worked lost updates, saturation, writes and pulses (3-bit levels)`, () => {
    const cases: [number, 'nearest' | 'truncate', number[], [number, number, number, number, number]][] = [
      [0.3, 'nearest', [0, 3, 7, 6], [4, 4, 0, 0, 0]],
      [0.3, 'truncate', [0, 3, 7, 6], [4, 4, 0, 0, 0]],
      [1.6, 'nearest', [2, 5, 7, 7], [4, 0, 1, 3, 5]],
      [1.6, 'truncate', [1, 4, 7, 7], [4, 0, 1, 3, 3]],
    ];
    for (const [levels, rounding, want, [attempts, lost, saturated, writes, pulses]] of cases) {
      const layer = potentiation(backend, 4, 1, { format: 'fixed', bits: 3, wMax: 1, rounding }, Math.fround(levels / 7));
      layer.setWeightLevels([0, 3, 7, 6]);
      layer.attachDevice(buildStatsBlock({ unit: 1 / 7 }));
      layer.present({ steps: 1, spikeSteps: allAtZero(4), learn: true });
      assert.equal(Array.from(layer.getWeightLevels()!), want, `${levels} levels, ${rounding}`);
      const s = readWriteStats(layer.deviceBlock()!).stdp;
      assert.equal([s.attempts, s.lost, s.saturated, s.writes, s.pulses], [attempts, lost, saturated, writes, pulses]);
      const c = layer.counters();
      assert.is(c.lostUpdates, lost);
      assert.is(c.weightWrites, writes);
      // Histogram of applied changes (bins of one level, H = 16): lost and saturated updates in bin 0.
      const h = readWriteStats(layer.deviceBlock()!).stdp.histogram;
      const bin = (k: number) => h[k + 16 + 1]!;
      assert.is(h.reduce((a, b) => a + b, 0), attempts);
      if (levels === 0.3) assert.is(bin(0), 4);
      else if (rounding === 'nearest') assert.equal([bin(0), bin(1), bin(2)], [1, 1, 2]);
      else assert.equal([bin(0), bin(1)], [1, 3]);
      // Levels map exactly onto q * wMax / 7.
      const w = layer.getWeights();
      want.forEach((q, i) => assert.is(w[i], Math.fround(q * Math.fround(1 / 7))));
    }
  });

  test(`${backend}: stochastic rounding of the same request is unbiased over 2,000 synapses`, () => {
    const nIn = 200;
    const nOut = 10;
    const layer = potentiation(backend, nIn, nOut, { format: 'fixed', bits: 4, wMax: 1, rounding: 'stochastic' }, Math.fround(0.3 / 15));
    layer.attachDevice(buildStatsBlock({ unit: 1 / 15 }));
    layer.present({ steps: 1, spikeSteps: allAtZero(nIn), learn: true });
    const q = layer.getWeightLevels()!;
    const n = nIn * nOut;
    const mean = q.reduce((a, b) => a + b, 0) / n;
    assert.ok(q.every((x) => x === 0 || x === 1));
    assert.ok(Math.abs(mean - 0.3) < 3 * Math.sqrt((0.3 * 0.7) / n), `mean ${mean}`);
    const s = readWriteStats(layer.deviceBlock()!).stdp;
    assert.is(s.attempts, n);
    assert.is(s.lost + s.writes, n);
    assert.is(s.writes, q.reduce((a, b) => a + b, 0));
  });
}

test('device blocks: the same sample gives bit-identical weights and statistics on every backend', () => {
  const specs: DeviceSpec[] = [
    { pulses: 15, nonlinearityLtp: 4.22, nonlinearityLtd: -4.22, cycleToCycleSigma: 0, deviceToDeviceSigmaNl: 0 },
    { pulses: 7, nonlinearityLtp: 0, nonlinearityLtd: 0, cycleToCycleSigma: 0.02, deviceToDeviceSigmaNl: 0 },
    { pulses: 31, nonlinearityLtp: 2.4, nonlinearityLtd: -4.88, cycleToCycleSigma: 0.005, deviceToDeviceSigmaNl: 1 },
  ];
  const nIn = 48;
  const nOut = 6;
  for (const spec of specs) {
    for (const rounding of ['nearest', 'stochastic'] as const) {
      const block = buildDeviceBlock(spec, { nIn, nOut, wMax: 1, seed: 4, rounding, unit: 1 / spec.pulses });
      const results = BACKENDS.map((backend) => {
        const layer = requireDeviceHook(createLayer({
          nIn, nOut, dt: 0.5, seed: 4, backend,
          neuron: { vRest: -65, vReset: -65, vThresh: -60, tauMembrane: 20, inputGain: 2, thetaPlus: 0.1, refractorySteps: 4 },
          weights: { format: 'f32', wMax: 1 },
          stdp: { rule: 'dc', etaPre: 0.02, etaPost: 0.2, xTar: 0.1, mu: 0, tauPre: 20, tauPost: 20 },
          inhibition: { mode: 'soft', strength: 5 },
          normalise: { columnSum: 0.3 * nIn },
        }));
        layer.attachDevice(block);
        layer.initWeightsUniform(0, 0.6);
        const rates = Float32Array.from({ length: nIn }, (_, i) => 20 + ((i * 37) % 60));
        for (let s = 0; s < 3; s++) layer.present({ steps: 200, rates, learn: true, restSteps: 50 });
        return { w: Array.from(new Uint32Array(layer.getWeights().buffer)), block: Array.from(layer.deviceBlock()!), counters: layer.counters() };
      });
      const stats = readWriteStats(Uint8Array.from(results[0]!.block));
      assert.ok(stats.stdp.writes > 100 && stats.normalisation.attempts > 0, 'the samples learned');
      for (let b = 1; b < BACKENDS.length; b++) {
        assert.equal(results[b]!.w, results[0]!.w, `${BACKENDS[b]} weights, ${rounding}, ${JSON.stringify(spec)}`);
        assert.equal(results[b]!.block, results[0]!.block, `${BACKENDS[b]} statistics`);
        assert.equal(results[b]!.counters, results[0]!.counters);
      }
    }
  }
});

test('initial weights of a point: levels and device programming from the float weights', () => {
  const w0 = Float32Array.from([0, 0.05, 0.49 / 7, 0.51 / 7, 0.5, 0.999, 1]);
  assert.equal(Array.from(initialLevels(w0, 3, 1, 'nearest', 1)), [0, 0, 0, 1, 4, 7, 7]);
  assert.equal(Array.from(initialLevels(w0, 3, 1, 'truncate', 1)), [0, 0, 0, 0, 3, 6, 7]);
  // Stochastic: floor or floor + 1, unbiased.
  const many = new Float32Array(20000).fill(0.3 / 7);
  let sum = 0;
  for (let seed = 1; seed <= 5; seed++) {
    const q = initialLevels(many, 3, 1, 'stochastic', seed);
    assert.ok(q.every((x) => x === 0 || x === 1));
    sum += q.reduce((a, b) => a + b, 0);
  }
  const mean = sum / (5 * many.length);
  assert.ok(Math.abs(mean - 0.3) < 3 * Math.sqrt(0.21 / (5 * many.length)), `mean ${mean}`);
  // A device cell is programmed with round(p Pmax) potentiation pulses from Gmin: on its LTP curve.
  const spec: DeviceSpec = { pulses: 15, nonlinearityLtp: 4.22, nonlinearityLtd: -4.22, cycleToCycleSigma: 0, deviceToDeviceSigmaNl: 0 };
  const a = nonlinearityToA(4.22);
  const dev = initialDeviceWeights(Float32Array.from([0, 0.3, 1]), spec, 1, 'nearest', 1);
  const n = Math.floor(15 * (-a * Math.log1p(0.3 * Math.expm1(-1 / a))) + 0.5);
  assert.equal(Array.from(dev), [0, Math.fround(curve(a, n / 15)), 1]);
  assert.ok(Math.abs(closedFormUpdate(0, n, 15, a, a) - curve(a, n / 15)) < 1e-12);
});

test.run();
