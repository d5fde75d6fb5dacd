import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveTrainOptions, runFingerprint } from '../../src/deepstdp/options.js';
import { loadTrainData, resolveArch } from '../../src/deepstdp/data.js';
import { fisherProbe, runDeepStdp } from '../../src/deepstdp/run.js';
import { loadHwModels } from '../../src/deepstdp/energy.js';
import type { EpochRecord } from '../../src/deepstdp/records.js';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/convnet/backend.js';

// uvu runs every test file in one process, and initBackend() returns its cached choice without
// re-selecting it: if an earlier file left tf on another backend (test/core/spiking-conv.test.ts once
// left it on 'cpu'), this file's ConvNet trains on pure JS, ~60x slower (minutes instead of seconds).
test.before(async () => {
  const info = await initBackend();
  if (tf.getBackend() !== info.name) await tf.setBackend(info.name);
});

/** 4 well-separated classes of 16 x 16 noisy blob prototypes: chance accuracy is 25 %. */
const DATASET = 'synthetic-prototypes:classes=4,size=16,train=300,test=100,noise=0.2';

test('the whole loop, 2 epochs of Deep-STDP on a small synthetic set: pseudo-labels well above chance', async () => {
  const o = resolveTrainOptions({ out: null, dataset: DATASET, train: 300, test: 100, epochs: 2, dims: 16, fisherSamples: 20, method: 'stdp', stdp: { learningPasses: 3 } });
  const data = loadTrainData(o);
  const arch = resolveArch(o.arch, data.train.shape);
  assert.is(arch, 'reference');
  const k = data.classNames.length;
  const phases = new Set<string>();
  const epochs: EpochRecord[] = [];
  const r = await runDeepStdp({ method: 'stdp', seed: 1, options: o, k, arch, fingerprint: runFingerprint(o, k, arch) }, data, {
    hwModels: loadHwModels('loihi,truenorth'),
    onPhase: (_e, p) => {
      phases.add(p);
    },
    onEpoch: (rec) => epochs.push(rec),
  });
  assert.is(r.records.length, 2);
  assert.equal(epochs.map((e) => e.epoch), [1, 2]);
  for (const rec of r.records) {
    assert.ok(rec.clusterTrain.accuracy > 0.5, `epoch ${rec.epoch}: pseudo-label accuracy ${rec.clusterTrain.accuracy} (chance 0.25)`);
    assert.is(rec.clusterTrain.accuracyMethod, 'hungarian');
    assert.ok(rec.clusterTrain.nmi > 0.3);
    assert.ok(rec.clusterTest.accuracy > 0.5, `held-out cluster accuracy ${rec.clusterTest.accuracy}`);
    assert.is(rec.clusterSizes.reduce((a, b) => a + b, 0), 300);
    assert.ok(Number.isFinite(rec.trainLoss) && rec.trainLoss > 0);
    assert.ok(rec.fisherTrace !== null && rec.fisherTrace > 0);
    assert.ok(rec.stdp !== null && rec.stdp.neurons === 4 && rec.stdp.nInputs === 32);
    assert.ok(rec.stdp!.counters.synapticEvents > 0 && rec.stdp!.counters.stdpPostEvents > 0);
    assert.equal(rec.energy!.map((e) => e.model), ['loihi', 'truenorth']);
    assert.ok(rec.energy!.every((e) => e.energyJ > 0 && e.perSampleJ > 0 && e.perSampleJ < e.energyJ));
    assert.ok(rec.seconds.total >= rec.seconds.train);
  }
  const mean = r.records.reduce((a, rec) => a + rec.clusterTrain.accuracy, 0) / r.records.length;
  assert.ok(mean > 0.6, `mean pseudo-label accuracy ${mean} (chance 0.25)`);
  assert.is(r.records[0]!.nmiPrevious, null);
  assert.ok(r.records[1]!.nmiPrevious !== null && r.records[1]!.nmiPrevious > 0);
  for (const p of ['features', 'stdp-learn', 'stdp-frozen', 'train', 'evaluate', 'fisher']) assert.ok(phases.has(p), `phase ${p} reported`);
  assert.is(r.finalAssignments.length, 300);
  assert.ok(r.workload !== null && r.workload.layers[0]!.nIn === 32);
});

test('the Fisher probe is a fixed sorted subset, the same for every method and seed', () => {
  const a = fisherProbe(1000, 50, 1);
  assert.equal(Array.from(a), Array.from(fisherProbe(1000, 50, 1)));
  assert.is(new Set(a).size, 50);
  assert.ok(a.every((v, i) => i === 0 || v > a[i - 1]!));
  assert.is.not(Array.from(fisherProbe(1000, 50, 2)).join(), Array.from(a).join());
});

test.run();
