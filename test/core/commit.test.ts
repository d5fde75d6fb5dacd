// Per-sample commit of fixed-point stores (weights.commit 'per-sample', assembly/commit.ts). Gold: hand-worked
// levels, counters and write statistics of a 3 x 2, 2-bit layer; stochastic commits unbiased within 3 sigma;
// levels on the grid between samples, untouched by frozen samples; save/load continues bit-identically.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKENDS, bits, layerOn, mulberry32, spikeLists } from './helpers.js';
import { randomConfig, randomInput } from './random-layers.js';
import { buildDeviceBlock, buildStatsBlock, readWriteStats } from '../../src/fidelity/device-model.js';
import { createLayer, type Backend, type Layer, type LayerConfig, type WeightConfig } from '../../src/core/layer.js';
import { ValidationError } from '../../src/errors.js';

const f = Math.fround;
const dir = mkdtempSync(join(tmpdir(), 'deep-stdp-commit-'));

/**
 * 3 inputs x 2 neurons, 2 bits (levels 0..3, delta = 1/3). Neuron 0 fires whenever input 0 spikes (its
 * weight is level 3); neuron 1 has zero weights and never fires. Pair rule, aPlus = 0.15 (0.45 levels per
 * update), traces that vanish within 2 steps: a post spike potentiates exactly the inputs spiking with it.
 * Inputs 0 and 2 spike at steps 0, 2, 4, 6 (four updates each), input 1 at step 0 only (one update).
 */
function tiny(backend: Backend, rounding: 'nearest' | 'truncate' | 'stochastic', commit?: 'per-update' | 'per-sample', nIn = 3): Layer {
  return layerOn(backend, {
    nIn, nOut: 2, dt: 1, seed: 3,
    neuron: { vRest: 0, vReset: 0, vThresh: 0.5, tauMembrane: 0.01, inputGain: 1 },
    weights: { format: 'fixed', bits: 2, wMax: 1, rounding, ...(commit ? { commit } : {}) },
    stdp: { rule: 'pair', aPlus: 0.15, aMinus: 0, tauPlus: 0.01, tauMinus: 0.01, traceMode: 'reset' },
  });
}

const TINY_LEVELS = [3, 0, 0, 0, 1, 0]; // row-major (input, neuron)
const TINY_SPIKES = spikeLists(3, [[0, 0], [0, 2], [0, 4], [0, 6], [1, 0], [2, 0], [2, 2], [2, 4], [2, 6]]);

for (const backend of BACKENDS) {
  test(`${backend}: hand-worked commit of a 3 x 2, 2-bit layer (nearest, truncate) with counters and statistics`, () => {
    // Column 0 accumulates +0.6 on cell (2, 0) = 1.8 levels and +0.15 on cell (1, 0) = 0.45 levels; cell
    // (0, 0) is at wMax (the f32 working write saturates: no request). Nearest: (2, 0) 1 -> 3, (1, 0) lost;
    // truncate: (2, 0) 1 -> 2, (1, 0) lost. Column 1 never changes.
    for (const [rounding, want, pulses] of [['nearest', [3, 0, 0, 0, 3, 0], 2], ['truncate', [3, 0, 0, 0, 2, 0], 1]] as const) {
      const layer = tiny(backend, rounding, 'per-sample');
      layer.setWeightLevels(TINY_LEVELS);
      layer.attachDevice(buildStatsBlock({ unit: 1 / 3, histogramHalf: 4 }));
      layer.resetCounters();
      const res = layer.present({ steps: 8, spikeSteps: TINY_SPIKES, learn: true });
      assert.equal(Array.from(res.spikeNeurons), [0, 0, 0, 0]);
      assert.equal(Array.from(layer.getWeightLevels()!), want, rounding);
      assert.equal(Array.from(layer.getWeights()), want.map((q) => Math.min(f(q * f(1 / 3)), 1)));
      const c = layer.counters();
      assert.is(c.weightWrites, 1, `${rounding}: one committed level change`);
      assert.is(c.lostUpdates, 1, `${rounding}: one committed change rounded to 0`);
      const s = readWriteStats(layer.deviceBlock()!);
      assert.equal({ a: s.stdp.attempts, l: s.stdp.lost, s: s.stdp.saturated, w: s.stdp.writes, p: s.stdp.pulses }, { a: 2, l: 1, s: 0, w: 1, p: pulses });
      const hist = new Array(2 * 4 + 3).fill(0);
      hist[5] = 1; // bin 0: the lost request
      hist[5 + pulses] = 1; // the applied change in levels
      assert.equal(s.stdp.histogram, hist);
      assert.is(s.normalisation.attempts, 0);
    }
    // Per-update rounds each 0.45-level update to 0: nothing changes.
    const perUpdate = tiny(backend, 'nearest');
    perUpdate.setWeightLevels(TINY_LEVELS);
    perUpdate.present({ steps: 8, spikeSteps: TINY_SPIKES, learn: true });
    assert.equal(Array.from(perUpdate.getWeightLevels()!), TINY_LEVELS);
  });
}

test('stochastic commit of a fixed fractional change is unbiased (3 sigma) over many keys and cells', () => {
  // 400 inputs spike with the driver at step 0: every cell (i, 0), i > 0, requests x = 0.45 levels.
  const nIn = 401;
  const layer = tiny('wasm', 'stochastic', 'per-sample', nIn);
  const levels = new Array(nIn * 2).fill(0);
  levels[0] = 3;
  const spikes = Array.from({ length: nIn }, () => [0]);
  const x = f(f(f(0 + f(0.15)) - 0) * f(3)); // the requested change in levels, as the kernel computes it
  let ups = 0;
  let n = 0;
  for (let s = 0; s < 40; s++) {
    layer.setWeightLevels(levels);
    layer.present({ steps: 1, spikeSteps: spikes, learn: true });
    const q = layer.getWeightLevels()!;
    for (let i = 1; i < nIn; i++) {
      assert.ok(q[i * 2] === 0 || q[i * 2] === 1);
      ups += q[i * 2];
      n++;
    }
  }
  const sigma = Math.sqrt((x * (1 - x)) / n);
  assert.ok(Math.abs(ups / n - x) < 3 * sigma, `mean ${ups / n} vs ${x} (sigma ${sigma})`);
});

function randomCommitLayer(backend: Backend, seed: number, rounding: 'nearest' | 'stochastic' | 'truncate', bits: number) {
  const r = mulberry32(seed);
  const config = randomConfig(r, { format: 'fixed', bits, wMax: 1, rounding, commit: 'per-sample' }, 'dc', 'soft', seed);
  const layer = layerOn(backend, config);
  layer.initWeightsUniform(0, 0.8);
  return { layer, config, r };
}

function onGrid(layer: Layer, bitsN: number): void {
  const q = layer.getWeightLevels()!;
  const w = layer.getWeights();
  const delta = f(1 / (2 ** bitsN - 1));
  for (let k = 0; k < q.length; k++) assert.is(w[k], Math.min(f(q[k] * delta), 1), `cell ${k}`);
}

test('frozen samples never change levels; between samples every weight is on the grid', () => {
  for (const [seed, rounding, b] of [[11, 'stochastic', 3], [12, 'nearest', 4], [13, 'truncate', 2], [14, 'stochastic', 8]] as const) {
    const { layer, config, r } = randomCommitLayer('wasm', seed, rounding, b);
    onGrid(layer, b);
    let changed = 0;
    for (let s = 0; s < 8; s++) {
      const before = Array.from(layer.getWeightLevels()!);
      const input = { ...randomInput(r, config.nIn, config.dt), learn: s % 2 === 0 };
      layer.present(input);
      const after = Array.from(layer.getWeightLevels()!);
      if (!input.learn) assert.equal(after, before, `frozen sample ${s} (seed ${seed})`);
      else if (after.some((q, k) => q !== before[k])) changed++;
      onGrid(layer, b);
    }
    assert.ok(changed > 0, `seed ${seed}: learning samples changed levels`);
    if (config.normalise) {
      layer.normalise();
      onGrid(layer, b);
    }
  }
});

test('write statistics of a per-sample store: identical on every backend; one STDP record per committed cell', () => {
  const config: Omit<LayerConfig, 'backend'> = {
    nIn: 40, nOut: 13, dt: 0.5, seed: 21,
    neuron: { vRest: -65, vReset: -65, vThresh: -58, tauMembrane: 40, inputGain: 2, refractorySteps: 2, thetaPlus: 0.5 },
    weights: { format: 'fixed', bits: 3, wMax: 1, rounding: 'stochastic', commit: 'per-sample' },
    stdp: { rule: 'dc', etaPre: 0.004, etaPost: 0.05, xTar: 0.1, mu: 0, tauPre: 10, tauPost: 10 },
    inhibition: { mode: 'soft', strength: 1 },
    normalise: { columnSum: 8 },
  };
  const runs = BACKENDS.map((backend) => {
    const layer = layerOn(backend, config);
    layer.initWeightsUniform(0, 0.6);
    layer.attachDevice(buildStatsBlock({ unit: 1 / 7 }));
    const rates = Float32Array.from({ length: 40 }, (_, i) => 40 + 5 * (i % 9));
    for (let s = 0; s < 3; s++) layer.present({ steps: 150, rates, learn: true, restSteps: 50 });
    return { w: bits(layer.getWeights()), q: Array.from(layer.getWeightLevels()!), c: layer.counters(), s: readWriteStats(layer.deviceBlock()!) };
  });
  assert.equal(runs[1], runs[0]);
  assert.equal(runs[2], runs[0]);
  const { s, c } = runs[0];
  assert.is(s.stdp.attempts, s.stdp.lost + s.stdp.saturated + s.stdp.writes);
  assert.is(s.stdp.histogram.reduce((a, b) => a + b, 0), s.stdp.attempts);
  assert.is(s.stdp.writes, c.weightWrites);
  assert.is(s.stdp.lost, c.lostUpdates);
  assert.ok(s.stdp.writes > 0);
  assert.equal(s.normalisation, { attempts: 0, lost: 0, saturated: 0, writes: 0, pulses: 0, histogram: s.normalisation.histogram.map(() => 0) });
  // The commit writes at most one record per cell and sample.
  assert.ok(s.stdp.attempts <= 3 * 40 * 13);
});

for (const backend of BACKENDS) {
  test(`${backend}: a per-sample store saved and loaded continues bit-identically`, () => {
    const { layer: a, config, r } = randomCommitLayer(backend, 31, 'stochastic', 4);
    const inputs = Array.from({ length: 6 }, () => ({ ...randomInput(r, config.nIn, config.dt), learn: true }));
    for (const x of inputs.slice(0, 3)) a.present(x);
    const path = join(dir, `${backend}.state`);
    a.saveState(path);
    const state = a.toState();
    assert.is(state.weights, null);
    assert.ok(state.weightLevels instanceof Uint8Array);
    const b = layerOn(backend, config);
    b.loadState(path);
    const go = (l: Layer) => {
      const spikes = inputs.slice(3).map((x) => Array.from(l.present(x).spikeNeurons));
      return { spikes, w: bits(l.getWeights()), q: Array.from(l.getWeightLevels()!), c: l.counters(), s: l.toState().dirtyColumns, g: l.globalStep };
    };
    const contA = go(a);
    assert.equal(go(b), contA);
    assert.ok(contA.c.weightWrites > 0);
    // The commit is a learning parameter: the same levels load into a per-update layer and back.
    const { commit: _c, ...perUpdateWeights } = config.weights;
    const c = layerOn(backend, { ...config, weights: perUpdateWeights });
    c.fromState(state);
    assert.equal(Array.from(c.getWeightLevels()!), Array.from(state.weightLevels!));
    const d = layerOn(backend, config);
    d.fromState(c.toState());
    assert.equal(bits(d.getWeights()), bits(layerFrom(backend, config, state).getWeights()));
    onGrid(d, 4);
  });
}

function layerFrom(backend: Backend, config: Omit<LayerConfig, 'backend'>, state: ReturnType<Layer['toState']>): Layer {
  const l = layerOn(backend, config);
  l.fromState(state);
  return l;
}

test('setWeights on a per-sample store rounds to the nearest level, as a per-update store does', () => {
  const make = (commit: 'per-update' | 'per-sample') => tiny('reference', 'stochastic', commit);
  const w = [0.1, 0.2, 0.5, 0.7, 0.99, 1];
  const a = make('per-sample');
  const b = make('per-update');
  a.setWeights(w);
  b.setWeights(w);
  assert.equal(Array.from(a.getWeightLevels()!), [0, 1, 2, 2, 3, 3]);
  assert.equal(Array.from(a.getWeightLevels()!), Array.from(b.getWeightLevels()!));
  assert.equal(Array.from(a.getWeights()), Array.from(b.getWeights()));
});

test('bad commit options: ValidationError naming weights.commit with the allowed values', () => {
  const base = (weights: WeightConfig): LayerConfig => ({
    nIn: 2, nOut: 2, dt: 1, seed: 1, neuron: { vRest: 0, vReset: 0, vThresh: 1, tauMembrane: 10 }, weights, stdp: { rule: 'none' },
  });
  const named = (e: unknown) => e instanceof ValidationError && e.field === 'weights.commit' && /per-update/.test(e.message) && /per-sample/.test(e.message);
  assert.throws(() => createLayer(base({ format: 'fixed', bits: 3, wMax: 1, commit: 'sometimes' as 'per-sample' })), named);
  assert.throws(() => createLayer(base({ format: 'f32', wMax: 1, commit: 'per-sample' })), named);
  assert.throws(() => createLayer(base({ format: 'f32', wMax: 1, commit: 'per-update' })), named);
  // The default is left out of the resolved configuration (configs and state headers stay as they were).
  assert.is(createLayer(base({ format: 'fixed', bits: 3, wMax: 1, commit: 'per-update' })).config.weights.commit, undefined);
  assert.is(createLayer(base({ format: 'fixed', bits: 3, wMax: 1, commit: 'per-sample' })).config.weights.commit, 'per-sample');
  // An analog device programs f32 weights only.
  const layer = createLayer(base({ format: 'fixed', bits: 3, wMax: 1, commit: 'per-sample' }));
  const device = buildDeviceBlock(
    { pulses: 7, nonlinearityLtp: 1, nonlinearityLtd: -1, cycleToCycleSigma: 0, deviceToDeviceSigmaNl: 0 },
    { unit: 1 / 7, nIn: 2, nOut: 2, wMax: 1, seed: 1, rounding: 'nearest' },
  );
  assert.throws(() => layer.attachDevice(device), (e: unknown) => e instanceof ValidationError && e.field === 'weights.format');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
