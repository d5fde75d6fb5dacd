import { test } from 'uvu';
import { Ajv } from 'ajv';
import * as assert from 'uvu/assert';
import { dcMnistPreset, resolveDcMnistParams, runner } from '../../../bench/runners/dc-mnist.js';
import { expandScenarios, loadScenarioFiles, runScenarios, type ScenarioParams } from '../../../bench/harness.js';
import { runners } from '../../../bench/runners/index.js';
import { presentSteps } from '../../../src/snn/presets/diehl-cook.js';

const base: ScenarioParams = { dataset: 'mnist', images: 3, neurons: 6, learn: true, backend: 'reference', seed: 2 };
const ctx = { scenario: 't', variant: 'v', quick: true };

test('dc-mnist runner: a repetition is one pass over the images, counted from the network counters', async () => {
  const prepared = await runner.prepare(base, ctx);
  const steps = presentSteps(dcMnistPreset(resolveDcMnistParams(base), 784));
  for (let k = 0; k < 2; k++) {
    const r = await prepared.run();
    assert.is(r.samples, 3);
    const presentations = r.extra!.presentationsPerSample * 3;
    assert.ok(presentations >= 3);
    assert.is(r.neuronUpdates, presentations * steps * 6, 'one update per neuron per presented step (rest is closed form)');
    const inputSpikes = r.extra!.inputSpikesPerSample * 3;
    assert.ok(r.events > 0 && r.events <= inputSpikes * 6, 'at most one event per input spike and neuron');
    assert.ok(r.extra!.weightWritesPerSample > 0, 'learning writes weights');
  }
  assert.is(prepared.workload!().layers[0].nIn, 784);
  assert.is(prepared.workload!().layers[0].nOut, 6);
  await prepared.dispose?.();
});

test('dc-mnist runner: frozen inference writes no weights; retry off presents every image once', async () => {
  const prepared = await runner.prepare({ ...base, learn: false, retry: false }, ctx);
  const r = await prepared.run();
  assert.is(r.extra!.weightWritesPerSample, 0);
  assert.is(r.extra!.presentationsPerSample, 1);
  await prepared.dispose?.();
});

test('every shipped scenario (full and --quick) passes its runner\'s parameter schema', async () => {
  const files = loadScenarioFiles();
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  for (const quick of [false, true]) {
    const runs = expandScenarios(files, { quick });
    for (const run of runs) {
      const load = runners[run.kind];
      assert.ok(load, `a runner is registered for kind ${run.kind}`);
      const r = await load();
      assert.is(r.kind, run.kind);
      assert.ok(r.paramsSchema, `${run.kind} declares its params schema`);
      const validate = ajv.compile(r.paramsSchema!);
      assert.ok(validate(run.params), `${run.scenario}:${run.variant} ${quick ? '(quick) ' : ''}${JSON.stringify(validate.errors)}`);
    }
  }
  // Validation only: a bad param fails the scenario before anything runs.
  const [bad] = await runScenarios(
    [{ group: 'dc-mnist', kind: 'dc-mnist', scenario: 'dc-mnist', variant: 'x', params: { ...base, neurons: 0 }, repetitions: 5, warmup: 1 }],
    { registry: runners },
  );
  assert.is(bad.status, 'failed');
  assert.match(bad.reason!, /neurons/);
});

test.run();
