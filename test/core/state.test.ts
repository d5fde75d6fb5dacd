// State files: a run saved and loaded continues bit-identically to an uninterrupted run; mismatched or
// corrupt files throw ValidationError.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKENDS, bits, layerOn, mulberry32 } from './helpers.js';
import { ValidationError } from '../../src/errors.js';
import { decodeState, encodeState } from '../../src/core/state.js';
import type { Layer, LayerConfig } from '../../src/core/layer.js';

const dir = mkdtempSync(join(tmpdir(), 'deep-stdp-state-'));

function config(format: 'f32' | 'fixed'): Omit<LayerConfig, 'backend'> {
  return {
    nIn: 30, nOut: 12, dt: 0.5, seed: 5,
    neuron: { vRest: -65, vReset: -65, vThresh: -55, tauMembrane: 50, tauSynaptic: 2, inputGain: 3, refractorySteps: 3, thetaPlus: 0.2, tauTheta: 1e4 },
    weights: format === 'f32' ? { format, wMax: 1 } : { format, bits: 5, wMax: 1, rounding: 'stochastic' },
    stdp: { rule: 'dc', etaPre: 0.002, etaPost: 0.02, xTar: 0.05, mu: 0.5, tauPre: 20, tauPost: 20 },
    inhibition: { mode: 'soft', strength: 2 },
    normalise: { columnSum: 6 },
  };
}

function drive(layer: Layer, samples: number, seed: number) {
  const r = mulberry32(seed);
  const out: number[][] = [];
  for (let s = 0; s < samples; s++) {
    const rates = Float32Array.from({ length: 30 }, () => 200 * r());
    const res = layer.present({ steps: 80, rates, learn: true, restSteps: 40 });
    out.push(Array.from(res.spikeSteps), Array.from(res.spikeNeurons));
  }
  return { out, w: bits(layer.getWeights()), v: bits(layer.getMembrane()), theta: bits(layer.getTheta()), c: layer.counters(), g: layer.globalStep };
}

for (const backend of BACKENDS) {
  for (const format of ['f32', 'fixed'] as const) {
    test(`${backend} ${format}: save, load into a fresh layer, continue bit-identically`, () => {
      const a = layerOn(backend, config(format));
      a.initWeightsUniform(0, 0.4);
      drive(a, 3, 1);
      const path = join(dir, `${backend}-${format}.state`);
      a.saveState(path);
      const contA = drive(a, 3, 2);
      const b = layerOn(backend, config(format));
      b.loadState(path);
      const contB = drive(b, 3, 2);
      assert.equal(contB, contA);
      assert.ok(contA.c.weightWrites > 0 && contA.out.some((x) => x.length > 0));
    });
  }
}

test('a state saved on one backend loads and continues identically on the others', () => {
  const a = layerOn('wasm', config('f32'));
  a.initWeightsUniform(0, 0.4);
  drive(a, 2, 3);
  const s = a.toState();
  const runs = BACKENDS.map((backend) => {
    const l = layerOn(backend, config('f32'));
    l.fromState(decodeState(encodeState(s)));
    return drive(l, 2, 4);
  });
  assert.equal(runs[1], runs[0]);
  assert.equal(runs[2], runs[0]);
});

test('state file round trip keeps every section and non-finite config values', () => {
  const a = layerOn('wasm', { ...config('fixed'), neuron: { ...config('fixed').neuron, tauTheta: Infinity, vMin: -Infinity } });
  a.initWeightsUniform(0, 1);
  drive(a, 1, 5);
  const s = a.toState();
  const back = decodeState(encodeState(s));
  assert.equal(back, s);
  assert.is(back.config.neuron.tauTheta, Infinity);
});

test('mismatched or corrupt state files throw ValidationError', () => {
  const a = layerOn('wasm', config('f32'));
  const path = join(dir, 'good.state');
  a.saveState(path);
  const bytes = readFileSync(path);
  const expectInvalid = (mutate: (b: Uint8Array) => Uint8Array, target: Layer, what: RegExp) => {
    const p = join(dir, 'bad.state');
    writeFileSync(p, mutate(Uint8Array.from(bytes)));
    try {
      target.loadState(p);
      assert.unreachable('should have thrown');
    } catch (err) {
      assert.instance(err, ValidationError);
      assert.match((err as Error).message, what);
    }
  };
  const layer = layerOn('wasm', config('f32'));
  expectInvalid((b) => { new DataView(b.buffer).setUint32(8, 99, true); return b; }, layer, /state file version: got 99/);
  expectInvalid((b) => { b[0] = 0x41; return b; }, layer, /state file/);
  expectInvalid((b) => b.subarray(0, b.length - 100), layer, /truncated/);
  expectInvalid((b) => b, layerOn('wasm', { ...config('f32'), nIn: 31 }), /state\.config\.nIn: got 30/);
  expectInvalid((b) => b, layerOn('wasm', { ...config('f32'), nOut: 11 }), /state\.config\.nOut: got 12/);
  expectInvalid((b) => b, layerOn('wasm', config('fixed')), /state\.config\.weights\.format: got "f32"/);
  assert.throws(() => layer.loadState(join(dir, 'missing.state')), (e: unknown) => e instanceof ValidationError);
  const s = a.toState();
  s.theta[3] = Number.NaN;
  assert.throws(() => layer.fromState(s), /state\.theta\[3\]: got NaN/);
});

test('resetState clears membranes, currents, traces and refractory counters; keeps weights, theta, counters, RNG position', () => {
  for (const backend of BACKENDS) {
    const a = layerOn(backend, config('f32'));
    a.initWeightsUniform(0, 0.4);
    drive(a, 2, 6);
    const before = a.toState();
    a.resetState();
    const after = a.toState();
    assert.equal(after.weights, before.weights);
    assert.equal(after.theta, before.theta);
    assert.equal(after.counters, before.counters);
    assert.is(after.globalStep, before.globalStep);
    assert.ok(before.theta.some((x) => x > 0) && before.postTrace.some((x) => x > 0));
    assert.ok(after.membrane.every((v) => v === -65));
    for (const name of ['synapticCurrent', 'preTrace', 'postTrace'] as const) assert.ok(after[name].every((x) => x === 0), name);
    assert.ok(after.refractory.every((r) => r === 0));
    a.setGlobalStep(12345);
    assert.is(a.globalStep, 12345);
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
