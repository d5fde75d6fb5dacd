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

test('post-training rounding: the float point\'s own results are unchanged; 8 bits keeps its read-out, 1 bit does not', () => {
  const plain = runPoint(data, { point: floatPoint(3), device: null, epochs: 1 });
  const withPtq = runPoint(data, { point: floatPoint(3), device: null, epochs: 1, postTrainingBits: [8, 1] });
  assert.equal(plain.measurement.postTraining, []);
  assert.is(withPtq.measurement.accuracy, plain.measurement.accuracy);
  assert.equal(Array.from(withPtq.weights), Array.from(plain.weights));
  assert.equal(Array.from(withPtq.probeResponses), Array.from(plain.probeResponses));
  assert.equal(withPtq.measurement.postTraining.map((q) => q.bits), [8, 1]);
  const [b8, b1] = withPtq.measurement.postTraining;
  // 8-bit levels move each weight by at most 1/510 of wMax: the same frozen inputs give the same read-out.
  assert.is(b8!.accuracy, plain.measurement.accuracy);
  assert.is(b8!.nmi, plain.measurement.nmi);
  // 1 bit leaves only weights >= wMax/2: far from the trained network.
  assert.ok(b1!.accuracy < plain.measurement.accuracy || b1!.silent > plain.measurement.silent, JSON.stringify(b1));
  // A quantized point measures no post-training baseline even when asked.
  const point = { id: pointId(3, 4, 'stochastic', 'ideal'), seed: 3, bits: 4, rounding: 'stochastic' as const, device: 'ideal' as const };
  assert.equal(runPoint(data, { point, device: null, epochs: 1, postTrainingBits: [4] }).measurement.postTraining, []);
});

test.run();
