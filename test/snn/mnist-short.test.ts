import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runStdp } from '../../src/snn/stdp-run.js';

// Golden short run: 100 neurons learn from the first 2,000 MNIST training images (one pass), labels
// are assigned on the same images, and the first 1,000 test images are classified. Chance is 10 %;
// this run reaches about 50 % (the full 60,000-image epoch reaches about 85 %, docs/stdp-mnist.md).
test('a short MNIST run (100 neurons, 2,000 training images) is far above chance', async () => {
  const r = await runStdp({ dataset: 'mnist', neurons: 100, train: 2000, test: 1000, epochs: 1, seed: 2, out: null, threads: 2 });
  assert.ok(r.accuracy >= 0.35, `accuracy ${r.accuracy} below the 35 % floor`);
  assert.ok(r.unclassified <= 10, `${r.unclassified} test images unclassified`);
  // this early, the adaptive thresholds have not yet given every neuron a win (about 20 % stay silent)
  assert.ok(r.labelling.unassignedNeurons < 30, `${r.labelling.unassignedNeurons} neurons never fired`);
  assert.ok(r.labelling.neuronsPerClass.every((k) => k > 0), 'every digit has neurons');
  assert.ok(r.train.spikesPerSample >= 5, 'the retry rule guarantees at least 5 spikes per sample');
  assert.ok(r.train.presentationsPerSample < 1.5);
});

test.run();
