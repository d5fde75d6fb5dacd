// Bad input is rejected at the boundary with ValidationError naming the field, the value and what is
// allowed - never a WebAssembly trap or a silent NaN.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLayer, type LayerConfig, type Layer } from '../../src/core/layer.js';
import { ValidationError } from '../../src/errors.js';
import { BACKENDS } from './helpers.js';

const good: LayerConfig = {
  nIn: 4, nOut: 3, dt: 0.5, seed: 1,
  neuron: { vRest: -65, vReset: -65, vThresh: -52, tauMembrane: 100 },
  weights: { format: 'f32', wMax: 1 },
  stdp: { rule: 'dc', etaPre: 1e-4, etaPost: 1e-2, xTar: 0, mu: 0, tauPre: 20, tauPost: 20 },
};

function expectError(fn: () => unknown, field: string): void {
  try {
    fn();
  } catch (err) {
    assert.instance(err, ValidationError, `expected ValidationError for ${field}, got ${String(err)}`);
    const e = err as ValidationError;
    assert.is(e.field, field);
    assert.ok(e.message.startsWith(`${field}: got `), e.message);
    assert.ok(e.allowed.length > 0);
    return;
  }
  assert.unreachable(`no error for ${field}`);
}

const withNeuron = (n: Record<string, unknown>): LayerConfig => ({ ...good, neuron: { ...good.neuron, ...n } as LayerConfig['neuron'] });

test('bad layer configurations name the field', () => {
  const cases: [LayerConfig, string][] = [
    [{ ...good, nIn: 0 }, 'nIn'],
    [{ ...good, nIn: 2.5 }, 'nIn'],
    [{ ...good, nOut: -3 }, 'nOut'],
    [{ ...good, dt: Number.NaN }, 'dt'],
    [{ ...good, dt: -0.5 }, 'dt'],
    [withNeuron({ tauMembrane: Number.NaN }), 'neuron.tauMembrane'],
    [withNeuron({ tauMembrane: -10 }), 'neuron.tauMembrane'],
    [withNeuron({ tauMembrane: 0 }), 'neuron.tauMembrane'],
    [withNeuron({ tauSynaptic: -1 }), 'neuron.tauSynaptic'],
    [withNeuron({ tauTheta: Number.NaN }), 'neuron.tauTheta'],
    [withNeuron({ vThresh: Number.NaN }), 'neuron.vThresh'],
    [withNeuron({ vRest: undefined }), 'neuron.vRest'],
    [withNeuron({ refractorySteps: 1.5 }), 'neuron.refractorySteps'],
    [withNeuron({ vMin: -60 }), 'neuron.vMin'],
    [withNeuron({ tauMem: 5 }), 'neuron.tauMem'],
    [withNeuron({ reset: 'zero' }), 'neuron.reset'],
    [{ ...good, weights: { format: 'fixed', bits: 0, wMax: 1 } }, 'weights.bits'],
    [{ ...good, weights: { format: 'fixed', bits: 9, wMax: 1 } }, 'weights.bits'],
    [{ ...good, weights: { format: 'fixed', bits: 3.5, wMax: 1 } }, 'weights.bits'],
    [{ ...good, weights: { format: 'fixed', wMax: 1 } }, 'weights.bits'],
    [{ ...good, weights: { format: 'f32', bits: 4, wMax: 1 } }, 'weights.bits'],
    [{ ...good, weights: { format: 'fixed', bits: 4, wMax: 1, rounding: 'up' as never } }, 'weights.rounding'],
    [{ ...good, weights: { format: 'f32', wMax: 0 } }, 'weights.wMax'],
    [{ ...good, weights: { format: 'f16' as never, wMax: 1 } }, 'weights.format'],
    [{ ...good, stdp: { ...good.stdp, tauPre: Number.NaN } as never }, 'stdp.tauPre'],
    [{ ...good, stdp: { ...good.stdp, tauPost: -20 } as never }, 'stdp.tauPost'],
    [{ ...good, stdp: { ...good.stdp, etaPre: -1 } as never }, 'stdp.etaPre'],
    [{ ...good, stdp: { rule: 'pair', aPlus: 0.1, aMinus: 0.1, tauPlus: -1, tauMinus: 20 } }, 'stdp.tauPlus'],
    [{ ...good, stdp: { rule: 'pair', aPlus: 0.1, aMinus: 0.1, tauPlus: 20, tauMinus: 20, multiplicative: 1 as never } }, 'stdp.multiplicative'],
    [{ ...good, stdp: { rule: 'triplet' } as never }, 'stdp.rule'],
    [{ ...good, inhibition: { mode: 'soft', strength: -1 } }, 'inhibition.strength'],
    [{ ...good, inhibition: { mode: 'max' as never, strength: 1 } }, 'inhibition.mode'],
    [{ ...good, normalise: { columnSum: 0 } }, 'normalise.columnSum'],
    [{ ...good, seed: -1 }, 'seed'],
    [{ ...good, seed: 2 ** 32 }, 'seed'],
    [{ ...good, backend: 'gpu' as never }, 'backend'],
    [{ ...good, propagation: 'sparse' as never }, 'propagation'],
    [{ ...good, maxSteps: 0 }, 'maxSteps'],
  ];
  for (const [config, field] of cases) expectError(() => createLayer(config), field);
});

for (const backend of BACKENDS) {
  test(`${backend}: bad samples and setter arguments name the field and leave the layer usable`, () => {
    const layer: Layer = createLayer({ ...good, backend });
    const rates = new Float32Array(4).fill(10);
    expectError(() => layer.present({ steps: -1 }), 'input.steps');
    expectError(() => layer.present({ steps: 1.5 }), 'input.steps');
    expectError(() => layer.present({ steps: 10, rates: new Float32Array(3) }), 'input.rates');
    expectError(() => layer.present({ steps: 10, rates: Float32Array.from([1, -2, 3, 4]) }), 'input.rates[1]');
    expectError(() => layer.present({ steps: 10, rates: Float32Array.from([1, 2, Number.NaN, 4]) }), 'input.rates[2]');
    expectError(() => layer.present({ steps: 10, rates: Float32Array.from([1, 2, 3, 2001]) }), 'input.rates[3]');
    expectError(() => layer.present({ steps: 10, spikeSteps: [[1], [2], [3]] }), 'input.spikeSteps');
    expectError(() => layer.present({ steps: 10, spikeSteps: [[1], [10], [], []] }), 'input.spikeSteps[1][0]');
    expectError(() => layer.present({ steps: 10, spikeSteps: [[1], [], [4, 4], []] }), 'input.spikeSteps[2]');
    expectError(() => layer.present({ steps: 10, rates, spikeSteps: [[], [], [], []] }), 'input');
    expectError(() => layer.present({ steps: 10, regular: true }), 'input.regular');
    expectError(() => layer.present({ steps: 10, restSteps: -5 }), 'input.restSteps');
    expectError(() => layer.present({ steps: 10, learn: 'yes' as never }), 'input.learn');
    expectError(() => layer.setWeights(new Float32Array(11)), 'weights');
    expectError(() => layer.setWeights(new Float32Array(12).fill(1.5)), 'weights[0]');
    expectError(() => layer.setWeights(Float32Array.from({ length: 12 }, (_, k) => (k === 7 ? Number.NaN : 0.5))), 'weights[7]');
    expectError(() => layer.setWeightLevels(new Uint8Array(12)), 'weights.format');
    expectError(() => layer.setTheta([0, Number.NaN, 0]), 'theta[1]');
    expectError(() => layer.initWeightsUniform(0.5, 0.2), 'hi');
    expectError(() => layer.initWeightsUniform(-1, 0.2), 'lo');
    expectError(() => layer.normalise(), 'normalise');
    expectError(() => layer.rest(-1), 'steps');
    const fixed = createLayer({ ...good, backend, weights: { format: 'fixed', bits: 2, wMax: 1 } });
    expectError(() => fixed.setWeightLevels(Uint8Array.from({ length: 12 }, (_, k) => (k === 5 ? 4 : 1))), 'weightLevels[5]');
    // Still usable and finite after every rejection.
    layer.initWeightsUniform(0, 1);
    layer.present({ steps: 50, rates, learn: true, restSteps: 10 });
    for (const x of [...layer.getWeights(), ...layer.getMembrane(), ...layer.getTheta()]) assert.ok(Number.isFinite(x));
  });
}

test('samples longer than maxSteps grow the buffers instead of failing', () => {
  const layer = createLayer({ ...good, maxSteps: 10, neuron: { ...good.neuron, iBias: 100 } });
  const r = layer.present({ steps: 500 });
  assert.is(layer.counters().stepsRun, 500);
  assert.ok(r.totalSpikes > 100);
});

test.run();
