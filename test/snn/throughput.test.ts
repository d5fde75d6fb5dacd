import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { trainThroughput } from '../../src/snn/throughput.js';

test('trainThroughput times training and frozen inference and counts only the timed samples', () => {
  const opts = { neurons: 10, samples: 12, warmup: 4, dataset: 'synthetic-bars:train=16,test=0', seed: 2 } as const;
  const train = trainThroughput(opts);
  assert.is(train.mode, 'train');
  assert.is(train.samples, 12);
  assert.ok(train.samplesPerSecond > 0 && Number.isFinite(train.samplesPerSecond));
  assert.is(train.counters.stepsRun, Math.round(train.presentationsPerSample * 12) * 700);
  assert.is(train.counters.stdpPreEvents, train.counters.inputSpikes, 'learning on: every input spike is a pre event');
  assert.ok(train.spikesPerSample >= 5 || train.presentationsPerSample > 1);
  const infer = trainThroughput({ ...opts, mode: 'infer' });
  assert.is(infer.counters.stdpPreEvents, 0, 'frozen: no STDP');
  assert.is(infer.counters.weightWrites, 0);
  assert.is(infer.counters.stepsSkipped, Math.round(infer.presentationsPerSample * 12) * 300, 'RNG positioning is not counted');
});

test.run();
