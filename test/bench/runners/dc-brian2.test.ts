import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeDcBrian2Runner } from '../../../bench/runners/dc-brian2.js';
import type { Brian2Options, Brian2Result, Brian2Skipped } from '../../../bench/peers/brian2.js';
import { diehlCookPreset } from '../../../src/snn/presets/diehl-cook.js';
import { runScenarios, type ScenarioParams, type ScenarioRun } from '../../../bench/harness.js';

const params: ScenarioParams = { dataset: 'mnist', images: 2, neurons: 5, backend: 'reference', seed: 4 };
const ctx = { scenario: 't', variant: 'v', quick: false };

/** A Brian2 stand-in: images/s fixed, records what it was asked to run. */
function fakePeer(calls: Brian2Options[], imagesPerSecond: number, imagesPerCpuSecond: number) {
  return async (opts: Brian2Options): Promise<Brian2Result | Brian2Skipped> => {
    calls.push(opts);
    return {
      skipped: false, imagesPerSecond, imagesPerCpuSecond, images: opts.count, neurons: opts.neurons, inputs: 784, model: 'core',
      inputMode: 'poisson', learning: true, wallSeconds: opts.count / imagesPerSecond, cpuSeconds: opts.count / imagesPerCpuSecond,
      binarySeconds: 1, buildSeconds: 2, setupSeconds: 3, spikesPerImage: 9, inputSpikesPerImage: 2000, activeNeurons: 5,
      meanWeight: 0.1, simulatedSeconds: 1, dtMs: 0.5, threads: 1, seed: opts.seed, params: opts.params ?? {}, brian2Version: '2.5.1',
      numpyVersion: '1', pythonVersion: '3', device: 'cpp_standalone', compileArgs: [], python: 'python3', command: ['python3', 'x.py'],
    };
  };
}

test('dc-brian2 runner: same images and preset parameters go to Brian2; ratios are ours / Brian2, wall with wall and CPU with CPU', async () => {
  const calls: Brian2Options[] = [];
  const runner = makeDcBrian2Runner({ runPeer: fakePeer(calls, 4, 8), unavailable: () => null });
  const prepared = await runner.prepare(params, ctx);
  const r = await prepared.run();
  assert.is(calls.length, 1);
  assert.is(calls[0].count, 2);
  assert.is(calls[0].neurons, 5);
  assert.is(calls[0].images.length >= 2 * 784, true);
  assert.is(calls[0].params!.inhibitionMv, diehlCookPreset({ nNeurons: 5 }).inhibition.strength, 'parameters mapped from our preset');
  assert.is(calls[0].params!.inputGainMv, diehlCookPreset({ nNeurons: 5 }).neuron.inputGain);
  const x = r.extra!;
  assert.is(r.samples, 2);
  assert.ok(r.seconds! > 0);
  assert.ok(Math.abs(x.oursImagesPerSecond - 2 / r.seconds!) < 1e-9 * x.oursImagesPerSecond);
  assert.ok(Math.abs(x.ratioWall - x.oursImagesPerSecond / 4) < 1e-12 * x.ratioWall);
  assert.ok(Math.abs(x.ratioCpu - x.oursImagesPerCpuSecond / 8) < 1e-12 * x.ratioCpu);
  assert.is(x.brian2SpikesPerImage, 9);
  assert.is(r.neuronUpdates, 2 * 700 * 5, 'our side presents every image once (retry rule off)');
  const differences = (prepared.info!.differences as string[]).join(' ');
  assert.not.match(differences, /retry/, 'no retry difference left to report');
  assert.is(prepared.info!.brian2Version, '2.5.1');
  await prepared.run();
  assert.is(calls[1].seed, 5, 'each repetition a fresh seed on both sides');
});

test('dc-brian2 runner: without Brian2 the scenario is skipped with the install command; a failing peer fails it', async () => {
  const run: ScenarioRun = { group: 'dc-brian2', kind: 'dc-brian2', scenario: 'dc-brian2', variant: 'train', params, repetitions: 5, warmup: 1 };
  const missing = makeDcBrian2Runner({ runPeer: fakePeer([], 1, 1), unavailable: () => 'Brian2 not installed; install it with: apt-get install -y python3-brian' });
  const [skipped] = await runScenarios([run], { registry: { 'dc-brian2': async () => missing } });
  assert.is(skipped.status, 'skipped');
  assert.match(skipped.reason!, /apt-get install -y python3-brian/);
  const failing = makeDcBrian2Runner({
    runPeer: async () => ({ skipped: true, cause: 'timeout', reason: 'Brian2 run timed out after 5 ms' }),
    unavailable: () => null,
  });
  const [failed] = await runScenarios([run], { registry: { 'dc-brian2': async () => failing } });
  assert.is(failed.status, 'failed');
  assert.match(failed.reason!, /timed out/);
});

test.run();
