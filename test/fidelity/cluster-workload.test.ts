// The deep-stdp-cluster workload reads a `deep-stdp train` checkpoint (written here by the train
// loop's own checkpoint writer), computes and reduces the ConvNet features, and sweeps the clustering
// layer on them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConvNet } from '../../src/convnet/model.js';
import { initBackend } from '../../src/convnet/backend.js';
import { fitPreprocess } from '../../src/cluster/preprocess.js';
import { STDP_CLUSTER_DEFAULTS } from '../../src/cluster/stdp.js';
import { saveRunCheckpoint } from '../../src/deepstdp/checkpoint.js';
import { clusterWorkload } from '../../src/fidelity/cluster-workload.js';
import { runFidelity } from '../../src/fidelity/run.js';

const root = mkdtempSync(join(tmpdir(), 'fid-cluster-'));
const dataset = 'synthetic-prototypes:train=60,test=20,classes=3,seed=4';
const dims = 6;
const k = 3;

test('a train checkpoint becomes a clustering workload and sweeps', async () => {
  await initBackend('wasm');
  const model = createConvNet({ arch: 'reference', inputShape: [28, 28, 1], numClasses: k, seed: 2 });
  const pca = fitPreprocess({ data: Float32Array.from({ length: 40 * 8 }, (_, i) => Math.sin(i * 1.7)), rows: 40, cols: 8 }, { dims: 4 }).transform;
  const fingerprint = { dataset, classes: null, train: 60, test: 20, 'data-seed': 1, 'image-size': null, arch: 'reference', k, dims, stdp: { ...STDP_CLUSTER_DEFAULTS, presentMs: 100, restMs: 50, maxRetries: 2 }, backend: 'wasm' };
  await saveRunCheckpoint(root, { model, pca, stdpModel: null, centroids: null }, {
    method: 'stdp', seed: 1, fingerprint, epoch: 1, records: [], assignments: [], initialWeightsSha256: '0', rng: { scheme: 'test' }, wallSeconds: 0, sessions: 1,
  });
  model.dispose();

  const data = await clusterWorkload({ checkpoint: root, train: 30, probe: 10 });
  assert.is(data.name, 'deep-stdp-cluster');
  assert.is(data.nIn, 2 * dims);
  assert.is(data.preset.nNeurons, k);
  assert.is(data.preset.presentMs, 100, 'STDP parameters from the checkpoint');
  assert.is(data.train.count, 30);
  assert.is(data.evaluation, 'clustering');
  const x = new Float32Array(data.train.inputs);
  assert.is(x.length, 30 * 2 * dims);
  assert.ok(x.every((v) => v >= 0 && v <= 1) && x.some((v) => v === 1), 'ON/OFF intensities in [0, 1], the strongest channel at 1');

  const r = await runFidelity({ workload: 'deep-stdp-cluster', checkpoint: root, train: 30, probe: 10, bits: [4], rounding: ['stochastic'], device: ['ideal'], seeds: [1], threads: 1, out: null });
  assert.is(r.points.length, 2);
  assert.ok(r.points.every((p) => p.accuracy >= 1 / 3 - 1e-9 && p.accuracy <= 1), 'clustering accuracy of 3 balanced classes is at least 1/3');
  assert.is(r.points[1]!.label, null);
  assert.ok(r.points[1]!.prototypeCosine! > 0);
});

test.run();
