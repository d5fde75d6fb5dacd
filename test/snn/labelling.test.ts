import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assignLabels, classificationReport, classify } from '../../src/snn/labelling.js';
import { Rng } from '../../src/data/random.js';

/**
 * Synthetic responses with known prototypes: neuron j prefers class j % nClasses (except the last
 * neuron, which never fires). A sample of class c drives its class's neurons at `strong` spikes on
 * average and every other neuron at `weak`, with Poisson-like noise (binomial counts).
 */
function synthetic(nSamples: number, nNeurons: number, nClasses: number, strong: number, weak: number, seed: number) {
  const rng = new Rng(seed);
  const labels = new Uint8Array(nSamples);
  const responses = new Uint32Array(nSamples * nNeurons);
  const draw = (mean: number) => {
    let k = 0;
    for (let t = 0; t < 40; t++) if (rng.nextFloat() < mean / 40) k++;
    return k;
  };
  for (let s = 0; s < nSamples; s++) {
    const c = rng.nextInt(nClasses);
    labels[s] = c;
    for (let j = 0; j < nNeurons - 1; j++) responses[s * nNeurons + j] = draw(j % nClasses === c ? strong : weak);
  }
  return { labels, responses };
}

test('assignLabels recovers every neuron\'s preferred class and leaves silent neurons unassigned', () => {
  const nNeurons = 31;
  const { labels, responses } = synthetic(2000, nNeurons, 10, 6, 1, 1);
  const a = assignLabels(responses, labels, nNeurons, 10);
  for (let j = 0; j < nNeurons - 1; j++) assert.is(a.assignments[j], j % 10, `neuron ${j}`);
  assert.is(a.assignments[nNeurons - 1], -1);
  assert.equal(Array.from(a.neuronsPerClass), [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
  // mean response of neuron 0 to class 0 is close to the generating mean (6 spikes)
  assert.ok(Math.abs(a.meanResponse[0 * nNeurons + 0] - 6) < 0.5);
});

test('classify reaches high accuracy on held-out synthetic samples, and chance-level when responses carry no class', () => {
  const nNeurons = 30;
  const train = synthetic(2000, nNeurons + 1, 10, 4, 1, 2);
  const testSet = synthetic(1000, nNeurons + 1, 10, 4, 1, 3);
  const a = assignLabels(train.responses, train.labels, nNeurons + 1, 10);
  const report = classificationReport(classify(testSet.responses, a), testSet.labels, 10);
  assert.ok(report.accuracy > 0.95, `accuracy ${report.accuracy}`);
  assert.is(report.total, 1000);
  const rowSums = report.confusion.map((row) => row.reduce((x, y) => x + y, 0));
  assert.equal(rowSums.reduce((x, y) => x + y, 0) + report.unclassified, 1000);

  const noise = synthetic(1000, nNeurons + 1, 10, 2, 2, 4);
  const chance = classificationReport(classify(noise.responses, a), noise.labels, 10);
  assert.ok(chance.accuracy < 0.2, `uninformative responses give ~10 %, got ${chance.accuracy}`);
});

test('classification uses the mean over a class\'s neurons, ties go to the lower class, silence is unclassified', () => {
  // neurons: 0,1 -> class 0; 2 -> class 1 (assigned by a hand-made labelling set)
  const labels = [0, 1];
  const labelResponses = [5, 5, 0, 0, 0, 5];
  const a = assignLabels(labelResponses, labels, 3, 2);
  assert.equal(Array.from(a.assignments), [0, 0, 1]);
  // sample 0: class 0 total 4 over 2 neurons = 2, class 1 = 3 -> class 1 (sum would pick class 0)
  // sample 1: means 1 and 1 -> tie -> class 0; sample 2: silent -> -1
  const p = classify([4, 0, 3, 1, 1, 1, 0, 0, 0], a);
  assert.equal(Array.from(p), [1, 0, -1]);
  const r = classificationReport(p, [1, 1, 0], 2);
  assert.is(r.correct, 1);
  assert.is(r.unclassified, 1);
  assert.equal(r.confusion, [[0, 0], [1, 1]]);
  assert.equal(r.perClassAccuracy, [0, 0.5]);
});

test('bad shapes and labels are rejected with the field named', () => {
  assert.throws(() => assignLabels([1, 2, 3], [0, 1], 2, 2), /responses/);
  assert.throws(() => assignLabels([1, 2, 3, 4], [0, 5], 2, 2), /labels\[1\]/);
});

test.run();
