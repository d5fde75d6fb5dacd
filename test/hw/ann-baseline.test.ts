import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { annBaseline } from '../../src/hw/ann-baseline.js';
import { workloadFromCounters } from '../../src/hw/workload.js';
import { counters } from './fixture-model.js';

test('ANN baseline: one dense pass per sample at Horowitz 45 nm (fp32 MAC 4.6 pJ, int8 0.23 pJ, +5 pJ weight load)', () => {
  const w = workloadFromCounters({
    name: 'dc', samples: 10, timestepMs: 0.5,
    layers: [
      { name: 'exc', nIn: 784, nOut: 400, weightBits: 0, counters: counters({ stepsRun: 7000 }) },
      { name: 'conv', nIn: 9, nOut: 8, kind: 'conv', outputPositions: 100, weightBits: 8, counters: counters({ stepsRun: 7000 }) },
    ],
  });
  const a = annBaseline(w);
  const macs = 784 * 400 + 9 * 8 * 100;
  assert.is(a.macsPerSample, macs);
  assert.ok(Math.abs(a.fp32PerSamplePj - macs * 4.6) < 1e-6);
  assert.ok(Math.abs(a.int8PerSamplePj - macs * 0.23) < 1e-6);
  assert.ok(Math.abs(a.fp32WithWeightFetchPerSamplePj - macs * 9.6) < 1e-6);
  assert.match(a.caveat, /weight fetch/);
  assert.match(a.provenance.macFp32Pj, /3\.7 \+ 0\.9|3\.7 pJ \+ fp32 add 0\.9/);
});

test.run();
