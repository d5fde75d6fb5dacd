import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../src/errors.js';
import { readWorkload, rowActivationsOf, validateWorkload, workloadFromCounters } from '../../src/hw/workload.js';
import { DocumentValidationError } from '../../src/hw/violations.js';
import { counters } from './fixture-model.js';

const layer = {
  name: 'exc',
  nIn: 4,
  nOut: 3,
  weightBits: 8,
  counters: counters({ inputSpikes: 3, synapticEvents: 9, denseSynapticOps: 24, neuronUpdates: 6, stepsRun: 2, stepsSkipped: 3 }),
};

test('workloadFromCounters fills defaults and copies counters', () => {
  const w = workloadFromCounters({ name: 'toy', samples: 1, timestepMs: 0.5, layers: [layer] });
  assert.is(w.version, 1);
  assert.is(w.layers[0]!.kind, 'crossbar');
  assert.is(w.layers[0]!.outputPositions, 1);
  assert.is(w.layers[0]!.inputKind, 'spikes');
  assert.equal(w.layers[0]!.counters, layer.counters);
  assert.is.not(w.layers[0]!.counters, layer.counters);
  assert.is(rowActivationsOf(w.layers[0]!), 3);
});

test('bad workloads list every violation', () => {
  const bad = {
    version: 1,
    name: 'toy',
    samples: 0,
    timestepMs: 0.5,
    layers: [
      { ...layer, kind: 'crossbar', outputPositions: 1, inputKind: 'spikes', counters: { ...layer.counters, synapticEvents: 30, inputSpikes: -1 } },
      { ...layer, name: 'b', kind: 'crossbar', outputPositions: 1, inputKind: 'spikes', counters: { ...layer.counters, stepsRun: 5 } },
    ],
  };
  const paths = validateWorkload(bad).map((v) => v.path);
  assert.equal(paths.sort(), ['/layers/0/counters/inputSpikes', '/samples'].sort());
  bad.samples = 1;
  bad.layers[0]!.counters.inputSpikes = 3;
  const semantic = validateWorkload(bad).map((v) => v.path);
  assert.equal(semantic.sort(), ['/layers/0/counters/synapticEvents', '/layers/1/counters/stepsRun'].sort());
  assert.throws(
    () => workloadFromCounters({ name: 'toy', samples: 1, timestepMs: 0.5, layers: [{ ...layer, counters: { ...layer.counters, neuronUpdates: Number.NaN } }] }),
    (e: unknown) => e instanceof DocumentValidationError && /neuronUpdates/.test((e as Error).message),
  );
});

test('readWorkload reads the "workload" key of results.json or a bare workload; other files are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hw-workload-'));
  const w = workloadFromCounters({ name: 'toy', samples: 2, timestepMs: 1, layers: [layer] });
  writeFileSync(join(dir, 'results.json'), JSON.stringify({ accuracy: 0.9, workload: w }));
  writeFileSync(join(dir, 'bare.json'), JSON.stringify(w));
  writeFileSync(join(dir, 'other.json'), JSON.stringify({ accuracy: 0.9 }));
  assert.equal(readWorkload(join(dir, 'results.json')), w);
  assert.equal(readWorkload(join(dir, 'bare.json')), w);
  assert.throws(() => readWorkload(join(dir, 'other.json')), (e: unknown) => e instanceof ValidationError && /"workload" key/.test((e as Error).message));
  assert.throws(() => readWorkload(join(dir, 'none.json')), (e: unknown) => e instanceof ValidationError);
});

test('conv row activations: explicit count, else synaptic events / non-zero fan-out', () => {
  const conv = workloadFromCounters({
    name: 'conv',
    samples: 1,
    timestepMs: 1,
    layers: [{ name: 'c1', nIn: 9, nOut: 4, kind: 'conv', outputPositions: 16, weightBits: 0, connectionSparsity: 0.5, counters: counters({ synapticEvents: 40, denseSynapticOps: 9 * 4 * 16, stepsRun: 1 }) }],
  }).layers[0]!;
  assert.is(rowActivationsOf(conv), 20); // 40 / (4 x 0.5)
  assert.is(rowActivationsOf({ ...conv, rowActivations: 7 }), 7);
});

test.run();
