import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadDataset } from '../../src/data/load.js';
import { diehlCookPreset } from '../../src/snn/presets/diehl-cook.js';
import { WtaNetwork } from '../../src/snn/wta-network.js';
import { freezeNetwork, rebuildNetwork, responsePassSync } from '../../src/snn/response-pass.js';
import { responsePass } from '../../src/snn/eval-pool.js';

const data = loadDataset('synthetic-prototypes:train=120,test=0,seed=5', 'train');
const preset = diehlCookPreset({ nNeurons: 16 });
const net = new WtaNetwork(preset, 7);
net.initialise();
for (let s = 0; s < 60; s++) net.trainSample(data.images, s * 784);
const frozen = freezeNetwork(net);
net.dispose();

test('a frozen response depends only on the sample and its key, not on what ran before', () => {
  const a = rebuildNetwork(frozen);
  const b = rebuildNetwork(frozen);
  const ra = new Uint32Array(16);
  const rb = new Uint32Array(16);
  a.respond(data.images, 3 * 784, 3, ra);
  for (let s = 10; s < 20; s++) b.respond(data.images, s * 784, s, rb);
  b.respond(data.images, 3 * 784, 3, rb);
  assert.equal(Array.from(rb), Array.from(ra));
  assert.ok(ra.reduce((x, y) => x + y, 0) > 0, 'the trained network responds');
  a.dispose();
  b.dispose();
});

test('the worker pool gives responses, totals and counters identical to a single-thread pass', async () => {
  const single = responsePassSync(frozen, data.images, 100);
  const pooled = await responsePass(frozen, data.images, { threads: 2, keyBase: 100 });
  const viaOption = await responsePass(frozen, data.images, { threads: 1, keyBase: 100 });
  assert.is(pooled.responses.length, 120 * 16);
  assert.equal(Array.from(pooled.responses), Array.from(single.responses));
  assert.equal(pooled.stats, single.stats);
  assert.equal(Array.from(viaOption.responses), Array.from(single.responses));
  assert.ok(single.stats.spikes > 0 && single.stats.counters.synapticEvents > 0);
  assert.is(single.stats.counters.stepsRun, single.stats.presentations * 700);
  assert.is(single.stats.counters.stepsSkipped, single.stats.presentations * 300, 'RNG positioning is not counted');
  const otherKeys = responsePassSync(frozen, data.images, 5000);
  assert.not.equal(Array.from(otherKeys.responses), Array.from(single.responses), 'keys select the input noise');
});

test('an aborted pool pass rejects and stops its workers', async () => {
  const controller = new AbortController();
  const pass = responsePass(frozen, data.images, { threads: 2, keyBase: 0, signal: controller.signal, onProgress: () => controller.abort(new Error('stop')) });
  await pass.then(
    () => assert.unreachable('should reject'),
    (err: Error) => assert.is(err.message, 'stop'),
  );
});

test.run();
