// LIF neuron array against closed forms. Gold: with a constant bias current I and no input,
// v_k = vRest + R I (1 - a^k), a = exp(-dt / tauMembrane), when inputGain = R (1 - a) (iBias in weight units).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BACKENDS, layerOn, ulp32 } from './helpers.js';
import type { Backend, LayerConfig } from '../../src/core/layer.js';

const dt = 0.5;
const tau = 20;
const a = Math.exp(-dt / tau);
const R = 10; // mV per unit current
const I = 2; // constant current
const vRest = -65;

function biasLayer(backend: Backend, extra: Partial<LayerConfig['neuron']> = {}) {
  return layerOn(backend, {
    nIn: 1,
    nOut: 3,
    dt,
    seed: 1,
    neuron: { vRest, vReset: vRest, vThresh: 100, tauMembrane: tau, inputGain: R * (1 - a), iBias: I, ...extra },
    weights: { format: 'f32', wMax: 1 },
    stdp: { rule: 'none' },
  });
}

for (const backend of BACKENDS) {
  test(`${backend}: membrane follows vRest + R I (1 - a^k) to f32 precision`, () => {
    const layer = biasLayer(backend);
    for (let k = 1; k <= 200; k++) {
      layer.present({ steps: 1 });
      const exact = vRest + R * I * (1 - a ** k);
      const v = layer.getMembrane();
      // Each step rounds a few f32 operations on values of size |vRest|: the error grows at most linearly in k.
      const tol = 4 * k * ulp32(vRest);
      for (let j = 0; j < 3; j++) {
        const err = Math.abs(v[j] - exact);
        assert.ok(err <= tol, `k=${k}: v=${v[j]} exact=${exact} err=${err} tol=${tol}`);
      }
    }
  });

  test(`${backend}: first spike at the closed-form step`, () => {
    // Threshold crossed between k* - 1 and k*: k* = ceil(ln(1 - (vThresh - vRest) / (R I)) / ln a).
    const vThresh = -53.3;
    const kStar = Math.ceil(Math.log(1 - (vThresh - vRest) / (R * I)) / Math.log(a));
    const margin = Math.min(
      Math.abs(vRest + R * I * (1 - a ** kStar) - vThresh),
      Math.abs(vRest + R * I * (1 - a ** (kStar - 1)) - vThresh),
    );
    assert.ok(margin > 1e-3, 'test threshold is not within rounding distance of a step');
    const layer = biasLayer(backend, { vThresh });
    const r = layer.present({ steps: kStar + 5 });
    assert.ok(r.totalSpikes >= 3);
    // spikes are recorded at the 0-based step index: after step index t the membrane is v_{t+1}.
    assert.equal(Array.from(r.spikeSteps.slice(0, 3)), [kStar - 1, kStar - 1, kStar - 1]);
    assert.equal(Array.from(r.spikeNeurons.slice(0, 3)), [0, 1, 2]);
  });

  test(`${backend}: refractory period holds exactly refractorySteps steps`, () => {
    for (const refractorySteps of [0, 1, 7]) {
      for (const reset of ['to-reset', 'subtract'] as const) {
        const layer = layerOn(backend, {
          nIn: 1,
          nOut: 2,
          dt: 1,
          seed: 2,
          neuron: { vRest: 0, vReset: 0, vThresh: 1, tauMembrane: 10, iBias: 50, reset, refractorySteps },
          weights: { format: 'f32', wMax: 1 },
          stdp: { rule: 'none' },
        });
        const r = layer.present({ steps: 100 });
        const steps = Array.from(r.spikeSteps.filter((_, k) => r.spikeNeurons[k] === 0));
        assert.ok(steps.length > 5);
        assert.is(steps[0], 0);
        for (let k = 1; k < steps.length; k++) assert.is(steps[k] - steps[k - 1], refractorySteps + 1, `${reset} R=${refractorySteps}`);
        assert.is(layer.counters().neuronUpdates, 200);
      }
    }
  });

  test(`${backend}: synaptic current decays with tauSynaptic between input spikes`, () => {
    // One input spike at step 0 with weight w: isyn_k = w aS^k, and with no leak (tau = Infinity)
    // v_n = vRest + gain * w * sum_{k=0}^{n-1} aS^k.
    const tauS = 5;
    const aS = Math.exp(-1 / tauS);
    const layer = layerOn(backend, {
      nIn: 1,
      nOut: 1,
      dt: 1,
      seed: 3,
      neuron: { vRest: 0, vReset: 0, vThresh: 1e6, tauMembrane: Infinity, tauSynaptic: tauS, inputGain: 2 },
      weights: { format: 'f32', wMax: 1 },
      stdp: { rule: 'none' },
    });
    layer.setWeights([0.5]);
    layer.present({ steps: 30, spikeSteps: [[0]] });
    const exact = 2 * 0.5 * ((1 - aS ** 30) / (1 - aS));
    assert.ok(Math.abs(layer.getMembrane()[0] - exact) < 1e-5 * exact);
  });

  test(`${backend}: closed-form rest equals stepping silent steps (relative 1e-5)`, () => {
    // Stepping rounds every step; the closed form rounds once: they agree to f32 precision times the step
    // count (300 steps x 2^-24 ~ 2e-5 relative at worst; observed much smaller).
    const config = (b: Backend) =>
      layerOn(b, {
        nIn: 8,
        nOut: 5,
        dt: 0.5,
        seed: 4,
        neuron: {
          vRest: -65, vReset: -70, vThresh: -40, tauMembrane: 30, tauSynaptic: 1, inputGain: 3, iBias: 0.05,
          refractorySteps: 6, thetaPlus: 0.3, tauTheta: 200,
        },
        weights: { format: 'f32', wMax: 1 },
        stdp: { rule: 'none' },
      });
    const rates = new Float32Array(8).fill(200);
    const stepped = config(backend);
    const closed = config(backend);
    stepped.initWeightsUniform(0.2, 1);
    closed.initWeightsUniform(0.2, 1);
    const r1 = stepped.present({ steps: 40, rates, adapt: true });
    const r2 = closed.present({ steps: 40, rates, adapt: true });
    assert.equal(Array.from(r1.spikeSteps), Array.from(r2.spikeSteps));
    assert.ok(Array.from(stepped.toState().refractory).some((r) => r > 0), 'some neurons are refractory when the rest starts');
    const n = 300;
    const silent = stepped.present({ steps: n, adapt: true });
    assert.is(silent.totalSpikes, 0, 'the silent span has no threshold crossing');
    closed.rest(n);
    for (const [name, x, y] of [
      ['membrane', stepped.getMembrane(), closed.getMembrane()],
      ['theta', stepped.getTheta(), closed.getTheta()],
    ] as const) {
      for (let j = 0; j < x.length; j++) {
        assert.ok(Math.abs(x[j] - y[j]) <= 1e-5 * Math.max(1, Math.abs(x[j])), `${name}[${j}] ${x[j]} vs ${y[j]}`);
      }
    }
    const s1 = stepped.toState();
    const s2 = closed.toState();
    for (let j = 0; j < 5; j++) {
      assert.ok(Math.abs(s1.synapticCurrent[j] - s2.synapticCurrent[j]) <= 1e-5 * Math.max(1e-30, Math.abs(s1.synapticCurrent[j])) + 1e-37);
      assert.is(s1.refractory[j], s2.refractory[j]);
    }
    assert.is(stepped.globalStep, closed.globalStep);
    assert.is(closed.counters().stepsSkipped, n);
    assert.is(stepped.counters().stepsRun, 40 + n);
  });
}

test.run();
