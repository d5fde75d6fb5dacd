// Spike encoders. Gold: a Poisson input with rate r fires with probability p = r dt / 1000 per step, so
// over n steps and m inputs the count is Binomial(m n, p): mean m n p, sd sqrt(m n p (1 - p)); its
// inter-spike intervals are geometric (P(ISI = 1) = p, mean 1 / p). The regular code's k-th spike falls
// at step ceil(k / p) - 1.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BACKENDS, layerOn, probeConfig, spikeLists } from './helpers.js';

for (const backend of BACKENDS) {
  test(`${backend}: Poisson input counts within 3 sigma of the rate`, () => {
    const m = 300;
    const steps = 2000;
    for (const [rate, dt] of [[2, 1], [20, 1], [63.75, 0.5], [300, 1], [1500, 0.5]] as const) {
      const layer = layerOn(backend, { ...probeConfig(m, 11), dt });
      const p = (rate * dt) / 1000;
      layer.present({ steps, rates: new Float32Array(m).fill(rate) });
      const count = layer.counters().inputSpikes;
      const mean = m * steps * p;
      const sd = Math.sqrt(m * steps * p * (1 - p));
      assert.ok(Math.abs(count - mean) < 3 * sd, `rate ${rate} Hz dt ${dt}: ${count} spikes, expected ${mean} +- ${3 * sd}`);
    }
  });

  test(`${backend}: Poisson inter-spike intervals are geometric`, () => {
    // A probe neuron fires in every step with an input spike, so its spike steps are the input's.
    const layer = layerOn(backend, probeConfig(1, 12));
    layer.setWeights([1]);
    const p = 0.2;
    const steps = 20000;
    const r = layer.present({ steps, rates: new Float32Array([p * 1000]) });
    const s = r.spikeSteps;
    const n = s.length - 1;
    let ones = 0;
    let sum = 0;
    for (let k = 1; k < s.length; k++) {
      const isi = s[k] - s[k - 1];
      assert.ok(isi >= 1);
      if (isi === 1) ones++;
      sum += isi;
    }
    assert.ok(Math.abs(ones - n * p) < 3 * Math.sqrt(n * p * (1 - p)), `P(ISI=1): ${ones / n}`);
    const meanIsi = sum / n;
    const sdMean = Math.sqrt((1 - p) / (p * p) / n);
    assert.ok(Math.abs(meanIsi - 1 / p) < 3 * sdMean, `mean ISI ${meanIsi}`);
  });

  test(`${backend}: different seeds and successive samples give different Poisson trains`, () => {
    const a = layerOn(backend, probeConfig(1, 1));
    const b = layerOn(backend, probeConfig(1, 2));
    a.setWeights([1]);
    b.setWeights([1]);
    const rates = new Float32Array([100]);
    const ra = a.present({ steps: 500, rates });
    const rb = b.present({ steps: 500, rates });
    const ra2 = a.present({ steps: 500, rates });
    assert.not.equal(Array.from(ra.spikeSteps), Array.from(rb.spikeSteps));
    assert.not.equal(Array.from(ra.spikeSteps), Array.from(ra2.spikeSteps));
  });

  test(`${backend}: regular rate code fires at ceil(k / p) - 1`, () => {
    for (const p of [1, 0.5, 0.3, 0.07]) {
      const layer = layerOn(backend, probeConfig(1, 3));
      layer.setWeights([1]);
      const steps = 200;
      const r = layer.present({ steps, rates: new Float32Array([p * 1000]), regular: true });
      const pf = Math.fround(p);
      const want: number[] = [];
      for (let k = 1; Math.ceil(k / pf) - 1 < steps; k++) want.push(Math.ceil(k / pf) - 1);
      assert.equal(Array.from(r.spikeSteps), want, `p=${p}`);
    }
  });

  test(`${backend}: explicit spike steps arrive exactly, in any given order`, () => {
    const layer = layerOn(backend, probeConfig(3, 4));
    layer.setWeights([1, 1, 1]);
    const r = layer.present({ steps: 30, spikeSteps: [[5, 1, 29], [], [7, 5]] });
    assert.equal(Array.from(r.spikeSteps), [1, 5, 7, 29]);
    assert.is(layer.counters().inputSpikes, 5);
  });

  test(`${backend}: zero rates and silent samples produce no input`, () => {
    const layer = layerOn(backend, probeConfig(4, 5));
    layer.present({ steps: 100, rates: new Float32Array(4) });
    layer.present({ steps: 100 });
    layer.present({ steps: 10, spikeSteps: spikeLists(4, []) });
    assert.is(layer.counters().inputSpikes, 0);
    assert.is(layer.counters().stepsRun, 210);
  });
}

test.run();
