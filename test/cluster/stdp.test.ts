import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  encodeOnOff, reseedDeadNeurons, resolveStdpParams, stdpAssign, stdpCluster, stdpClusterPreset, STDP_CLUSTER_DEFAULTS,
} from '../../src/cluster/stdp.js';
import { contingency, nmi } from '../../src/cluster/metrics.js';
import { l2NormalizeRows } from '../../src/cluster/preprocess.js';
import { KMEANS_SPLIT_EPS } from '../../src/cluster/kmeans.js';
import type { FeatureMatrix } from '../../src/cluster/features.js';
import { Rng } from '../../src/data/random.js';
import { ValidationError } from '../../src/errors.js';
import { throwsValidation } from '../data/helpers.js';

/**
 * k clusters on the unit sphere, as the loop hands them over (L2-normalised, signed): random unit
 * centres in d dimensions plus Gaussian noise of standard deviation `noise`, then L2 normalisation.
 */
function sphereClusters(n: number, d: number, k: number, noise: number, seed: number, noiseSeed = seed): { f: FeatureMatrix; labels: number[] } {
  const rng = new Rng(seed);
  const centres = Array.from({ length: k }, () => {
    const c = Array.from({ length: d }, () => rng.nextNormal());
    const norm = Math.hypot(...c);
    return c.map((v) => v / norm);
  });
  const noiseRng = noiseSeed === seed ? rng : new Rng(noiseSeed);
  const data = new Float32Array(n * d);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % k;
    labels.push(c);
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c]![j]! + noise * noiseRng.nextNormal();
  }
  const f = l2NormalizeRows({ data, rows: n, cols: d });
  return { f, labels };
}

test('ON/OFF encoding: signed values split into two non-negative channels, scaled by the row maximum', () => {
  const f: FeatureMatrix = { data: Float32Array.from([0.5, -1, 0, 0.25, 0, 0, 0, 0]), rows: 2, cols: 4 };
  const x = encodeOnOff(f);
  assert.equal(Array.from(x.subarray(0, 8)), [0.5, 0, 0, 0.25, 0, 1, 0, 0]);
  assert.equal(Array.from(x.subarray(8, 16)), [0, 0, 0, 0, 0, 0, 0, 0], 'an all-zero row stays silent');
});

test('separates a synthetic dataset with known clusters (NMI > 0.8), and the held-out pass agrees', async () => {
  const { f, labels } = sphereClusters(600, 12, 4, 0.25, 3);
  const r = await stdpCluster(f, { k: 4, seed: 7 });
  const score = nmi(contingency(r.assignments, labels, 4, 4));
  assert.ok(score > 0.8, `NMI ${score.toFixed(3)}`);
  assert.is(r.assignments.length, 600);
  assert.is(Array.from(r.clusterSizes).reduce((a, b) => a + b, 0), 600);
  assert.is(r.emptyClusters, 0);
  // Counters: learning (STDP events) and frozen passes (no STDP) are both counted.
  assert.ok(r.learn.counters.stdpPostEvents > 0 && r.learn.counters.weightWrites > 0);
  assert.is(r.frozen.counters.stdpPreEvents, 0);
  assert.is(r.counters.synapticEvents, r.learn.counters.synapticEvents + r.frozen.counters.synapticEvents);
  const held = sphereClusters(200, 12, 4, 0.25, 3, 99); // the same centres, new samples
  const a = await stdpAssign(r.model, held.f);
  const heldScore = nmi(contingency(a.assignments, held.labels, 4, 4));
  assert.ok(heldScore > 0.8, `held-out NMI ${heldScore.toFixed(3)}`);
});

test('deterministic: same seed -> same labels, whatever the frozen-pass thread count', async () => {
  const { f } = sphereClusters(200, 6, 3, 0.3, 5);
  const opts = { k: 3, seed: 11, presentMs: 100, restMs: 50 };
  const a = await stdpCluster(f, { ...opts, threads: 1 });
  const b = await stdpCluster(f, { ...opts, threads: 2 });
  assert.equal(Array.from(a.assignments), Array.from(b.assignments));
  assert.equal(a.counters, b.counters);
  const c = await stdpCluster(f, { ...opts, seed: 12 });
  assert.is.not(Array.from(c.assignments).join(), Array.from(a.assignments).join(), 'another seed draws other spikes');
});

test('silent samples fall back to the largest synaptic drive (counted), so every sample gets a label', async () => {
  const { f } = sphereClusters(60, 6, 3, 0.3, 9);
  // Far too weak to reach threshold and no retries: every sample stays silent.
  const r = await stdpCluster(f, { k: 3, seed: 1, inputGain: 1e-3, maxRetries: 0, presentMs: 50, restMs: 0, reseedRounds: 0 });
  assert.is(r.fallbackSamples, 60);
  assert.is(r.spikesPerSample, 0);
  const w = r.model.frozen.weights!;
  const x = encodeOnOff(f);
  for (let s = 0; s < 60; s++) {
    const drive = [0, 1, 2].map((j) => {
      let d = 0;
      for (let i = 0; i < 12; i++) d += x[s * 12 + i]! * w[i * 3 + j]!;
      return d;
    });
    assert.is(r.assignments[s], drive.indexOf(Math.max(...drive)), `sample ${s}`);
  }
});

test("dead neurons are reseeded by DeepCluster's split rule: a perturbed copy of a donor's weights and threshold", () => {
  const preset = stdpClusterPreset(2, 2, resolveStdpParams()); // 4 inputs, 2 neurons
  const weights = Float32Array.from([0.1, 0.5, 0.2, 0.3, 0.6, 0.2, 0.5, 0.7]); // row-major 4 x 2
  const frozen = { preset, seed: 1, weights: Float32Array.from(weights), weightLevels: null, theta: Float32Array.from([1, 2]) };
  // Neuron 0 won nothing; neuron 1 holds all 10 samples, so it is accepted as the donor with probability 9 / 8 > 1.
  const pairs = reseedDeadNeurons(frozen, Int32Array.from([0, 10]), 10, new Rng(1));
  assert.equal(pairs, [{ neuron: 0, donor: 1 }]);
  const e = KMEANS_SPLIT_EPS;
  for (let i = 0; i < 4; i++) {
    const donor = weights[i * 2 + 1]!;
    const up = i % 2 === 0 ? 1 + e : 1 - e;
    const down = i % 2 === 0 ? 1 - e : 1 + e;
    assert.ok(Math.abs(frozen.weights[i * 2 + 0]! - donor * up) < 1e-6, `copy, row ${i}`);
    assert.ok(Math.abs(frozen.weights[i * 2 + 1]! - donor * down) < 1e-6, `donor, row ${i}`);
  }
  assert.equal(Array.from(frozen.theta), [2, 2], 'the copy inherits the donor threshold');
  assert.equal(reseedDeadNeurons(frozen, Int32Array.from([5, 5]), 10, new Rng(1)), [], 'no dead neuron, no reseed');
});

test('end to end: 6 neurons on 2 tight clusters leave dead neurons; reseeding revives them so k stays k', async () => {
  const rng = new Rng(1);
  const n = 200;
  const data = new Float32Array(n * 6);
  for (let i = 0; i < n; i++) for (let j = 0; j < 6; j++) data[i * 6 + j] = (i % 2 === 0 ? (j === 0 ? 1 : 0) : (j === 1 ? -1 : 0)) + 0.1 * rng.nextNormal();
  const f = l2NormalizeRows({ data, rows: n, cols: 6 });
  const none = await stdpCluster(f, { k: 6, seed: 3, presentMs: 100, restMs: 0, reseedRounds: 0 });
  assert.ok(none.deadBeforeReseed > 0 && none.emptyClusters === none.deadBeforeReseed, 'without reseeding some neurons stay dead');
  const r = await stdpCluster(f, { k: 6, seed: 3, presentMs: 100, restMs: 0 });
  assert.is(r.deadBeforeReseed, none.deadBeforeReseed);
  assert.ok(r.reseeded >= r.deadBeforeReseed);
  assert.is(r.emptyClusters, 0);
  assert.ok(Array.from(r.clusterSizes).every((s) => s > 0));
  assert.ok(r.learn.samples > n, 'the reseeding rounds relearn on the donors\' samples');
});

test('bad parameters and features throw ValidationError naming the field', async () => {
  throwsValidation(() => resolveStdpParams({ maxRateHz: -1 }), /maxRateHz/);
  throwsValidation(() => resolveStdpParams({ init: 'zeros' as never }), /init/);
  throwsValidation(() => resolveStdpParams({ bogus: 1 } as never), /bogus/);
  assert.is(resolveStdpParams().etaPost, STDP_CLUSTER_DEFAULTS.etaPost);
  const bad: FeatureMatrix = { data: Float32Array.from([0, NaN, 1, 1]), rows: 2, cols: 2 };
  try {
    await stdpCluster(bad, { k: 2, seed: 1 });
    assert.unreachable('NaN features accepted');
  } catch (err) {
    assert.instance(err, ValidationError);
  }
  try {
    await stdpCluster({ data: new Float32Array(4), rows: 2, cols: 2 }, { k: 3, seed: 1 });
    assert.unreachable('k > rows accepted');
  } catch (err) {
    assert.instance(err, ValidationError);
    assert.match((err as Error).message, /k \(number of clusters\)/);
  }
});

test.run();
