import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStdp, type StdpRunOptions } from '../../src/snn/stdp-run.js';
import { diehlCookPreset } from '../../src/snn/presets/diehl-cook.js';
import { WtaNetwork } from '../../src/snn/wta-network.js';
import { ValidationError } from '../../src/errors.js';

const root = mkdtempSync(join(tmpdir(), 'stdp-run-'));
const base: StdpRunOptions = {
  dataset: 'synthetic-prototypes:train=120,test=60,seed=3',
  neurons: 12,
  train: 120,
  test: 60,
  epochs: 2,
  seed: 4,
  out: null,
  threads: 1,
  checkpointEvery: 40,
};

/** Weights and thresholds of the network saved in a run folder's checkpoint. */
function savedNetwork(dir: string): { weights: number[]; theta: number[] } {
  const record = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8'));
  const net = new WtaNetwork(diehlCookPreset({ nNeurons: 12 }), 4);
  net.layer.loadState(join(dir, record.layerState));
  const out = { weights: Array.from(net.layer.getWeights()), theta: Array.from(net.layer.getTheta()) };
  net.dispose();
  return out;
}

/** Number of positions where two equally long arrays differ (bitwise for floats). */
function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.is(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) d++;
  return d;
}

const crash = (at: number) => (done: number) => {
  if (done === at) throw new Error(`simulated crash at sample ${done}`);
};

test('a run separates the synthetic prototypes and writes results, images and a final checkpoint', async () => {
  const out = join(root, 'plain');
  const r = await runStdp({ ...base, out });
  assert.ok(r.accuracy >= 0.9, `accuracy ${r.accuracy}`);
  assert.is(r.train.samples, 240);
  assert.is(r.test.samples, 60);
  assert.is(r.labelling.samples, 120);
  assert.is(r.confusion.flat().reduce((a, b) => a + b, 0) + r.unclassified, 60);
  assert.is(r.workload.layers[0]!.nIn, 784);
  assert.is(r.workload.samples, 240);
  assert.is(r.counters.outputSpikes, r.train.counters.outputSpikes + r.labelling.counters.outputSpikes + r.test.counters.outputSpikes);
  for (const f of ['results.json', 'weights.png', 'confusion-matrix.png', 'checkpoint.json']) assert.ok(existsSync(join(out, f)), f);
  const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  assert.is(json.accuracy, r.accuracy);
  assert.is(json.runInfo.command, 'stdp');
  assert.is(json.runInfo.seed, 4);
  assert.is(json.options.neurons, 12);
  assert.is(json.version, json.runInfo.version);
  assert.is(readdirSync(out).filter((f) => f.endsWith('.layer')).length, 1, 'older layer states are removed');
});

test('resume after a crash reaches the bit-identical network and results of an uninterrupted run', async () => {
  const straight = join(root, 'straight');
  const ref = await runStdp({ ...base, out: straight });
  const crashed = join(root, 'crashed');
  // crash in the second epoch, 20 samples after the checkpoint at 160
  await runStdp({ ...base, out: crashed }, { afterSample: crash(180) }).then(
    () => assert.unreachable('the crash should propagate'),
    (err: Error) => assert.match(err.message, /simulated crash/),
  );
  const saved = JSON.parse(readFileSync(join(crashed, 'checkpoint.json'), 'utf8'));
  assert.is(saved.progress.samplesDone, 160);
  assert.is(saved.progress.epoch, 1);
  assert.not.ok(existsSync(join(crashed, 'results.json')));
  // a second crash right after resuming (nothing saved by that session), then a clean finish
  await runStdp({ ...base, out: crashed, resume: true }, { afterSample: crash(163) }).catch(() => undefined);
  const resumed = await runStdp({ ...base, out: crashed, resume: true });
  assert.is(resumed.train.sessions, 2);
  const a = savedNetwork(straight);
  const b = savedNetwork(crashed);
  assert.ok(a.weights.length === 784 * 12);
  assert.is(mismatches(b.weights, a.weights), 0, 'weights bit-identical');
  assert.is(mismatches(b.theta, a.theta), 0, 'thresholds bit-identical');
  assert.is(resumed.accuracy, ref.accuracy);
  assert.equal(resumed.confusion, ref.confusion);
  assert.equal(resumed.train.counters, ref.train.counters);
  assert.equal(resumed.test.counters, ref.test.counters);
});

test('an abort (Ctrl-C) saves a checkpoint at the current sample; resuming finishes identically', async () => {
  const straight = join(root, 'straight');
  const out = join(root, 'aborted');
  const controller = new AbortController();
  await runStdp({ ...base, out, checkpointEvery: 0 }, { signal: controller.signal, afterSample: (d) => d === 77 && controller.abort(new Error('interrupted')) }).then(
    () => assert.unreachable('should stop'),
    (err: Error) => assert.is(err.message, 'interrupted'),
  );
  const saved = JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8'));
  assert.ok(saved.progress.samplesDone >= 77 && saved.progress.samplesDone < 240);
  await runStdp({ ...base, out, checkpointEvery: 0, resume: true });
  assert.is(mismatches(savedNetwork(out).weights, savedNetwork(straight).weights), 0);
});

test('resume checks the folder and the options; a used folder needs --resume', async () => {
  const straight = join(root, 'straight');
  await runStdp({ ...base, out: straight }).then(
    () => assert.unreachable('non-empty folder'),
    (err) => assert.ok(err instanceof ValidationError && err.field === '--out'),
  );
  await runStdp({ ...base, out: straight, resume: true, seed: 5 }).then(
    () => assert.unreachable('different seed'),
    (err) => assert.ok(err instanceof ValidationError && err.field === '--seed', String(err)),
  );
  const empty = join(root, 'nothing-here');
  await runStdp({ ...base, out: empty, resume: true }).then(
    () => assert.unreachable('no checkpoint'),
    (err) => assert.ok(err instanceof ValidationError && err.field === '--resume'),
  );
  assert.not.ok(existsSync(empty));
});

test.run();
