import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { balancedNetwork, resolveSpikingConvNetParams, runner } from '../../../bench/runners/spiking-convnet.js';
import { defaultScenarioDir, expandScenarios, validateScenarioFile, type ScenarioParams } from '../../../bench/harness.js';
import { runners } from '../../../bench/runners/index.js';
import { mapSize } from '../../../src/deploy/index.js';
import { workloadFromCounters } from '../../../src/hw/workload.js';

const ctx = { scenario: 't', variant: 'v', quick: true };
const base: ScenarioParams = { arch: 'reference', images: 3, timesteps: 6, calibration: 8, input: 'current', backend: 'wasm', seed: 2 };

test('spiking-convnet runner: counters of a repetition are consistent (events > 0, samples, one update per neuron and step)', async () => {
  const { spec } = await balancedNetwork(resolveSpikingConvNetParams(base));
  const neurons = spec.layers.reduce((s, l) => s + mapSize(l.output), 0);
  assert.is(neurons, 28 * 28 * 32 + 14 * 14 * 32 + 14 * 14 * 64 + 7 * 7 * 64 + 128 + 10, 'the reference net with average pooling');
  for (const input of ['current', 'poisson']) {
    for (const weightBits of [0, 8]) {
      const prepared = await runner.prepare({ ...base, input, weightBits }, ctx);
      const r = await prepared.run();
      const what = `${input} ${weightBits}`;
      assert.is(r.samples, 3, what);
      assert.ok(r.events > 0, what);
      assert.is(r.neuronUpdates, neurons * 6 * 3, `${what}: neurons x steps x samples`);
      assert.ok(r.extra!.spikesPerSample > 0, `${what}: the balanced network is active`);
      assert.ok(r.extra!.spikesPerNeuronUpdate > 0 && r.extra!.spikesPerNeuronUpdate < 1, what);
      assert.ok(r.extra!.firstLayerEventsPerSample > 0 && r.extra!.firstLayerEventsPerSample * 3 < r.events, what);
      const w = workloadFromCounters(prepared.workload!());
      assert.is(w.layers.length, 6);
      assert.is(w.samples, 3);
      assert.is(w.layers[0]!.inputKind, input === 'current' ? 'analog' : 'spikes');
      assert.is(w.layers[0]!.weightBits, weightBits);
      assert.is(w.layers.reduce((s, l) => s + l.counters.synapticEvents, 0), r.events, `${what}: the workload is the last repetition`);
      await prepared.dispose?.();
    }
  }
});

test('spiking-convnet runner: deterministic for a seed; Poisson repetitions draw fresh spikes, constant current repeats', async () => {
  const reps = async (params: ScenarioParams) => {
    const prepared = await runner.prepare(params, ctx);
    const out = [await prepared.run(), await prepared.run()].map((r) => [r.events, r.neuronUpdates, r.samples, r.extra!.spikesPerSample]);
    await prepared.dispose?.();
    return out;
  };
  const poisson = { ...base, input: 'poisson' };
  const a = await reps(poisson);
  assert.equal(await reps(poisson), a, 'same seed, same counters');
  assert.is.not(a[0]![0], a[1]![0], 'a new key range per repetition');
  assert.is.not((await reps({ ...poisson, seed: 3 }))[0]![0], a[0]![0], 'another seed, other weights and spikes');
  const current = await reps(base);
  assert.equal(current[0], current[1], 'constant-current input: every repetition does the same work');
});

test('spiking-convnet scenario file validates and its runs pass the runner schema; --quick keeps the f32 variants', async () => {
  const path = join(defaultScenarioDir(), '55-spiking-convnet.json');
  const file = validateScenarioFile(JSON.parse(readFileSync(path, 'utf8')), path);
  assert.is(file.kind, 'spiking-convnet');
  const r = await runners['spiking-convnet']!();
  assert.is(r, runner);
  const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(runner.paramsSchema!);
  const full = expandScenarios([file]);
  assert.equal(full.map((x) => x.variant), ['current-f32', 'poisson-f32', 'current-8bit', 'poisson-8bit']);
  for (const run of [...full, ...expandScenarios([file], { quick: true })]) assert.ok(validate(run.params), `${run.variant} ${JSON.stringify(validate.errors)}`);
  const quick = expandScenarios([file], { quick: true });
  assert.equal(quick.map((x) => x.variant), ['current-f32', 'poisson-f32']);
  assert.ok((quick[0]!.params.images as number) < (full[0]!.params.images as number));
  assert.is(full.find((x) => x.variant === 'poisson-8bit')!.params.weightBits, 8);
  assert.not.ok(validate({ ...base, weightBits: 1 }), '1-bit weights are not a deploy format');
});

test.run();
