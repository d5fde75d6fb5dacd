import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initialWeights, runner, type CrossbarParams } from '../../bench/runners/crossbar.js';
import { runScenarios, expandScenarios, type ScenarioParams } from '../../bench/harness.js';

const base: ScenarioParams = {
  nIn: 50,
  nOut: 8,
  density: 1,
  rateHz: 100,
  steps: 40,
  restSteps: 10,
  samples: 2,
  dtMs: 0.5,
  weightFormat: 'f32',
  propagation: 'event',
  backend: 'reference',
  learn: false,
  neurons: 'silent',
  seed: 3,
};

test('crossbar runner: repetition counts are counter deltas (k input spikes x nOut synaptic events at density 1)', async () => {
  const prepared = await runner.prepare(base, { scenario: 't', variant: 'v', quick: true });
  const a = await prepared.run();
  const b = await prepared.run();
  for (const r of [a, b]) {
    assert.is(r.samples, 2);
    assert.is(r.neuronUpdates, 2 * 40 * 8, 'one update per neuron per run step; rest steps are skipped');
    assert.ok(r.extra!.inputSpikesPerSample > 0);
    assert.is(r.events, r.extra!.inputSpikesPerSample * 2 * 8);
    assert.is(r.extra!.outputSpikesPerSample, 0, 'silent neurons never fire');
  }
  const w = prepared.workload!();
  assert.is(w.layers[0].counters.synapticEvents, b.events, 'the workload is the last repetition');
  assert.is(w.layers[0].counters.stepsSkipped, 2 * 10);
  assert.is(w.layers[0].weightBits, 0);
  await prepared.dispose?.();
});

test('crossbar runner: the density mask zeroes about 1 - p of the synapses; sparse events count non-zero fan-out only', async () => {
  const prepared = await runner.prepare({ ...base, nIn: 200, nOut: 50, density: 0.2 }, { scenario: 't', variant: 'v', quick: true });
  const sparsity = prepared.info!.connectionSparsity as number;
  assert.ok(Math.abs(sparsity - 0.8) < 0.02, `sparsity ${sparsity}`);
  const r = await prepared.run();
  const dense = r.extra!.inputSpikesPerSample * 2 * 50;
  assert.ok(r.events < 0.3 * dense && r.events > 0.1 * dense, `${r.events} of ${dense}`);
  await prepared.dispose?.();
});

test('crossbar runner: Diehl & Cook neurons fire, learning writes weights, fixed point reports its bits', async () => {
  const prepared = await runner.prepare(
    { ...base, nIn: 100, nOut: 10, rateHz: 60, steps: 200, neurons: 'diehl-cook', learn: true, weightFormat: 'fixed', bits: 4, rounding: 'stochastic' },
    { scenario: 't', variant: 'v', quick: true },
  );
  const r = await prepared.run();
  assert.ok(r.extra!.outputSpikesPerSample > 0);
  assert.ok(r.extra!.weightWritesPerSample > 0);
  assert.is(prepared.workload!().layers[0].weightBits, 4);
  await prepared.dispose?.();
});

test('initial weights: same non-zero synapses for every format, fixed point never rounds a kept synapse to 0', () => {
  const p = { ...base, nIn: 30, nOut: 20, density: 0.5 } as unknown as CrossbarParams;
  const f32 = initialWeights(p, 0.3, 1);
  const nonZero = (w: ArrayLike<number>) => Array.from(w, (x) => x !== 0);
  for (const bits of [1, 2, 4, 8]) {
    const q = initialWeights({ ...p, weightFormat: 'fixed', bits }, 0.3, 1);
    assert.instance(q.weights, Uint8Array);
    assert.equal(nonZero(q.weights), nonZero(f32.weights), `bits ${bits}`);
    assert.is(q.zeros, f32.zeros);
    assert.ok(Math.max(...q.weights) <= 2 ** bits - 1);
  }
  // 8-bit levels are the nearest level of the f32 draw (when that is not level 0).
  const q8 = initialWeights({ ...p, weightFormat: 'fixed', bits: 8 }, 0.3, 1).weights;
  for (let k = 0; k < q8.length; k++) if (f32.weights[k] * 255 >= 0.5) assert.is(q8[k], Math.round(f32.weights[k] * 255));
  assert.ok(f32.zeros > 0.4 * 600 && f32.zeros < 0.6 * 600);
});

test('crossbar runner: bad params fail before running, with the JSON path named', async () => {
  const runs = expandScenarios([
    { name: 'bad', kind: 'crossbar', description: 'x', params: { ...base, weightFormat: 'fixed' } },
    { name: 'typo', kind: 'crossbar', description: 'x', params: { ...base, rateHZ: 5 } },
  ]);
  const results = await runScenarios(runs, { registry: { crossbar: async () => runner } });
  assert.equal(results.map((r) => r.status), ['failed', 'failed']);
  assert.match(results[0].reason!, /params\/bits: got undefined; allowed: a value \(required\)/);
  assert.match(results[1].reason!, /params\/rateHZ: got 5; allowed: no such property/);
});

test.run();
