import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { brian2ParamsFromPreset, type CorePresetLike } from '../../../bench/peers/brian2-params.js';
import { diehlCookPreset } from '../../../src/snn/presets/diehl-cook.js';

function base(): CorePresetLike {
  return {
    dtMs: 0.5,
    presentMs: 350,
    restMs: 150,
    maxRateHz: 63.75,
    minSpikes: 0,
    maxRetries: 0,
    initWeightMax: 0.3,
    resetBetweenSamples: true,
    columnSum: 78,
    neuron: { vRest: -65, vReset: -60, vThresh: -52, vMin: -90, tauMembrane: 100, inputGain: 0.5, refractorySteps: 10, thetaPlus: 0.05, tauTheta: 1e7 },
    weights: { format: 'f32', wMax: 1 },
    stdp: { rule: 'dc', etaPre: 1e-4, etaPost: 1e-2, xTar: 0.1, mu: 0.2, tauPre: 20, tauPost: 40, traceMode: 'additive' },
    inhibition: { mode: 'soft', strength: 25 },
  };
}

test('a soft-inhibition preset maps onto the Brian2 core model with no differences', () => {
  const { params, learning, differences } = brian2ParamsFromPreset(base());
  assert.equal(differences, []);
  assert.ok(learning);
  assert.is(params.refractoryMs, 5); // 10 steps of 0.5 ms
  assert.is(params.vResetMv, -60);
  assert.is(params.vInitMv, -65);
  assert.is(params.vMinMv, -90);
  assert.is(params.inhibitionMv, 25);
  assert.is(params.inputGainMv, 0.5);
  assert.is(params.tauSynMs, 0);
  assert.is(params.xTar, 0.1);
  assert.is(params.mu, 0.2);
  assert.is(params.tauPostMs, 40);
  assert.is(params.traceAdditive, 1);
  assert.is(params.resetBetweenSamples, 1);
  assert.is(params.columnSum, 78);
});

test('infinite time constants and a missing floor become finite JSON numbers', () => {
  const p = base();
  p.neuron = { ...p.neuron, tauMembrane: Infinity, tauTheta: Infinity, vMin: undefined };
  const { params } = brian2ParamsFromPreset(p);
  for (const [key, value] of Object.entries(params)) assert.ok(Number.isFinite(value), key);
  assert.ok(params.tauMembraneMs! >= 1e30);
  assert.ok(params.vMinMv! <= -1e9);
  assert.ok(JSON.parse(JSON.stringify(params)).tauThetaMs >= 1e30);
});

test('what Brian2 cannot reproduce is listed', () => {
  const p = base();
  p.inhibition = { mode: 'hard', strength: 120 };
  p.weights = { format: 'fixed', bits: 4, wMax: 1, rounding: 'stochastic' };
  p.minSpikes = 5;
  p.maxRetries = 10;
  p.dtMs = 1;
  const { differences, params } = brian2ParamsFromPreset(p);
  assert.is(differences.length, 4);
  assert.match(differences.join('\n'), /hard winner-take-all/);
  assert.match(differences.join('\n'), /4-bit fixed-point/);
  assert.match(differences.join('\n'), /fewer than 5 spikes/);
  assert.match(differences.join('\n'), /dt 1 ms/);
  assert.is(params.inhibitionMv, 120);
  const none = brian2ParamsFromPreset({ ...base(), stdp: { rule: 'none' }, inhibition: { mode: 'none', strength: 9 } });
  assert.not.ok(none.learning);
  assert.is(none.params.inhibitionMv, 0);
});

test("the project's Diehl & Cook preset maps without type or value surprises", () => {
  const preset = diehlCookPreset({ nNeurons: 400 });
  const { params, learning } = brian2ParamsFromPreset(preset);
  assert.ok(learning);
  assert.is(params.columnSum, preset.columnSum);
  assert.is(params.maxRateHz, preset.maxRateHz);
  assert.is(params.refractoryMs, (preset.neuron.refractorySteps ?? 0) * preset.dtMs);
  assert.is(params.inhibitionMv, preset.inhibition.mode === 'none' ? 0 : preset.inhibition.strength);
});

test.run();
