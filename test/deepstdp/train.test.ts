import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTraining } from '../../src/deepstdp/train.js';
import { withoutTimes } from '../../src/deepstdp/records.js';
import { runCheckpointDir } from '../../src/deepstdp/checkpoint.js';
import { ValidationError } from '../../src/errors.js';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/convnet/backend.js';

// uvu runs every test file in one process, and initBackend() returns its cached choice without
// re-selecting it: if an earlier file left tf on another backend (test/core/spiking-conv.test.ts once
// left it on 'cpu'), this file's ConvNet trains on pure JS, ~60x slower (minutes instead of seconds).
test.before(async () => {
  const info = await initBackend();
  if (tf.getBackend() !== info.name) await tf.setBackend(info.name);
});

const DATASET = 'synthetic-prototypes:classes=4,size=16,train=200,test=60,noise=0.2';
const base = { dataset: DATASET, train: 200, test: 60, epochs: 2, dims: 12, fisherSamples: 10, method: 'stdp' as const, jobs: 1, hwModels: 'none', stdp: { presentMs: 150, restMs: 50 } };
const root = mkdtempSync(join(tmpdir(), 'deep-stdp-train-'));
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test.after(() => rmSync(root, { recursive: true, force: true }));

test('resume == uninterrupted: a run stopped after epoch 1 and resumed ends with the same records, weights and STDP layer', async () => {
  const full = await runTraining({ ...base, out: join(root, 'full') });
  const crash = new Error('simulated crash');
  try {
    await runTraining({ ...base, out: join(root, 'cut') }, { afterEpoch: (_run, epoch) => { if (epoch === 1) throw crash; } });
    assert.unreachable('the simulated crash did not stop the run');
  } catch (err) {
    assert.is(err, crash);
  }
  assert.not.ok(existsSync(join(root, 'cut', 'metrics.json')), 'no metrics from the interrupted session');
  const resumed = await runTraining({ ...base, out: join(root, 'cut'), resume: true });
  assert.is(resumed.results[0]!.epochsRun, 1, 'only epoch 2 ran after the resume');
  assert.is(resumed.results[0]!.sessions, 2);
  assert.equal(resumed.results[0]!.records.map(withoutTimes), full.results[0]!.records.map(withoutTimes));
  assert.equal(Array.from(resumed.results[0]!.finalAssignments), Array.from(full.results[0]!.finalAssignments));
  for (const file of ['convnet/weights.bin', 'stdp-layer.state', 'pca.json']) {
    const a = join(runCheckpointDir(join(root, 'full'), 'stdp', 1), 'epoch-0002', file);
    const b = join(runCheckpointDir(join(root, 'cut'), 'stdp', 1), 'epoch-0002', file);
    assert.is(sha(b), sha(a), file);
  }
  for (const file of ['metrics.json', 'metrics.csv', 'accuracy.png', 'nmi.png', 'fisher.png', 'cluster-sizes.png', 'clusters-stdp.png']) {
    assert.ok(existsSync(join(root, 'cut', file)), file);
  }
});

test('resume checks the options: a changed option is refused, naming it', async () => {
  try {
    await runTraining({ ...base, dims: 8, out: join(root, 'full'), resume: true });
    assert.unreachable('changed --dims accepted');
  } catch (err) {
    assert.instance(err, ValidationError);
    assert.match((err as Error).message, /--dims/);
  }
  try {
    await runTraining({ ...base, out: join(root, 'full') });
    assert.unreachable('an existing run folder was overwritten without --resume');
  } catch (err) {
    assert.instance(err, ValidationError);
    assert.match((err as Error).message, /--out/);
  }
});

test('extending a finished run with more epochs continues from its last checkpoint', async () => {
  const more = await runTraining({ ...base, epochs: 3, out: join(root, 'full'), resume: true });
  assert.is(more.results[0]!.records.length, 3);
  assert.is(more.results[0]!.epochsRun, 1);
  const csv = readFileSync(join(root, 'full', 'metrics.csv'), 'utf8').trim().split('\n');
  assert.is(csv.length, 4, 'header + 3 epochs');
});

test.run();
