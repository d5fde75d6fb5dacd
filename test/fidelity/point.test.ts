// One fidelity point: the same seed gives the same input spikes in every point, and a store that
// rounds every initial weight to 0 is reported dead without simulation - which is what simulating it
// would give (the network never fires, nothing is written).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dcMnistWorkload } from '../../src/fidelity/workload.js';
import { floatInitialWeights, initialLevels, runPoint } from '../../src/fidelity/point.js';
import { floatPoint, pointId } from '../../src/fidelity/sweep.js';
import { WtaNetwork } from '../../src/snn/wta-network.js';
import { viewOf } from '../../src/fidelity/workload.js';

const data = dcMnistWorkload({ dataset: 'synthetic-bars:train=40,test=20,classes=4,seed=6', neurons: 6, train: 40, label: 40, test: 20, probe: 10 });

test('a 1-bit nearest store of the D&C initial weights is all zeros: dead, reported without simulation', () => {
  const w0 = floatInitialWeights(data.preset, 1);
  assert.ok(Array.from(initialLevels(w0, 1, data.preset.weights.wMax, 'nearest', 1)).every((q) => q === 0));
  const point = { id: pointId(1, 1, 'nearest', 'ideal'), seed: 1, bits: 1, rounding: 'nearest' as const, device: 'ideal' as const };
  const o = runPoint(data, { point, device: null, epochs: 1 });
  assert.ok(o.measurement.dead);
  assert.is(o.measurement.accuracy, 0);
  assert.is(o.measurement.silent, 20);
  assert.is(o.measurement.writeStats.stdp.attempts, 0);
  assert.ok(o.weights.every((x) => x === 0) && o.probeResponses.every((x) => x === 0));
  // Simulated: an all-zero network without bias never fires, through every retry, and writes nothing.
  const net = new WtaNetwork({ ...data.preset, weights: { format: 'fixed', bits: 1, wMax: 1, rounding: 'nearest' } }, 1);
  const train = viewOf(data.train);
  for (let s = 0; s < 5; s++) {
    const r = net.trainSample(train.inputs, s * data.nIn);
    assert.is(r.spikes, 0);
    assert.is(r.presentations, data.preset.maxRetries + 1);
  }
  assert.is(net.counters().weightWrites, 0);
  assert.ok(net.layer.getWeights().every((x) => x === 0));
  net.dispose();
});

test('the float point learns and is reproducible; every point of a seed sees the same inputs', () => {
  const a = runPoint(data, { point: floatPoint(2), device: null, epochs: 1 });
  const b = runPoint(data, { point: floatPoint(2), device: null, epochs: 1 });
  assert.not.ok(a.measurement.dead);
  assert.ok(a.measurement.writeStats.stdp.writes > 0);
  assert.equal(Array.from(a.weights), Array.from(b.weights));
  assert.equal(Array.from(a.probeResponses), Array.from(b.probeResponses));
  // Positioned at the same key, stores of different precision see the same Poisson input spikes.
  const train = viewOf(data.train);
  const counts = ['f32', 'fixed'].map((format) => {
    const net = new WtaNetwork({ ...data.preset, weights: format === 'f32' ? { format: 'f32', wMax: 1 } : { format: 'fixed', bits: 3, wMax: 1, rounding: 'stochastic' } }, 2);
    net.initialise();
    net.layer.setGlobalStep(Math.imul(7, net.stepsPerSampleMax) >>> 0);
    const rates = Float32Array.from(train.inputs.subarray(3 * data.nIn, 4 * data.nIn), (p) => (p / 255) * data.preset.maxRateHz);
    net.layer.present({ steps: 700, rates, learn: true });
    const c = net.layer.counters();
    net.dispose();
    return c.inputSpikes;
  });
  assert.ok(counts[0]! > 0);
  assert.is(counts[1], counts[0]);
});

test.run();
