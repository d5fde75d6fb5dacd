import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runner, syntheticFeatures } from '../../../bench/runners/cluster-layer.js';
import { STDP_CLUSTER_DEFAULTS } from '../../../src/cluster/stdp.js';
import type { ScenarioParams } from '../../../bench/harness.js';

const ctx = { scenario: 't', variant: 'v', quick: true };

test('syntheticFeatures: seeded, L2-normalised rows', () => {
  const a = syntheticFeatures(20, 8, 3, 1);
  const b = syntheticFeatures(20, 8, 3, 1);
  const c = syntheticFeatures(20, 8, 3, 2);
  assert.equal(a.data, b.data);
  assert.not.equal(a.data, c.data);
  for (let s = 0; s < 20; s++) {
    let n = 0;
    for (let i = 0; i < 8; i++) n += a.data[s * 8 + i] ** 2;
    assert.ok(Math.abs(n - 1) < 1e-5);
  }
});

test('cluster-layer runner: 2d ON/OFF inputs into k neurons; learning writes weights, frozen does not', async () => {
  const base: ScenarioParams = { features: 4, clusters: 3, samples: 4, backend: 'reference', seed: 1 };
  const steps = Math.round(STDP_CLUSTER_DEFAULTS.presentMs / STDP_CLUSTER_DEFAULTS.dtMs);
  for (const learn of [true, false]) {
    const prepared = await runner.prepare({ ...base, learn }, ctx);
    assert.is(prepared.info!.inputs, 8);
    const r = await prepared.run();
    assert.is(r.samples, 4);
    assert.is(r.neuronUpdates, r.extra!.presentationsPerSample * 4 * steps * 3);
    assert.ok(r.events > 0 && r.events <= r.extra!.inputSpikesPerSample * 4 * 3);
    const w = prepared.workload!();
    assert.is(w.layers[0].nIn, 8);
    assert.is(w.layers[0].counters.weightWrites > 0, learn);
    await prepared.dispose?.();
  }
});

test.run();
