import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { neuroBenchMetrics } from '../../src/hw/neurobench.js';
import { rowActivationsOf, workloadFromCounters } from '../../src/hw/workload.js';
import { counters } from './fixture-model.js';

test('NeuroBench metrics per sample: effective ACs/MACs, Dense, sparsities, footprint', () => {
  const w = workloadFromCounters({
    name: 'two layers', samples: 4, timestepMs: 1,
    layers: [
      // analog (non-spiking) input layer: its effective ops are MACs
      { name: 'enc', nIn: 10, nOut: 5, weightBits: 0, inputKind: 'analog', connectionSparsity: 0.2, bufferBytes: 100,
        counters: counters({ inputSpikes: 40, synapticEvents: 160, denseSynapticOps: 10 * 5 * 8, neuronUpdates: 40, outputSpikes: 8, stepsRun: 8 }) },
      { name: 'exc', nIn: 5, nOut: 2, weightBits: 4, connectionSparsity: 0.5,
        counters: counters({ inputSpikes: 8, synapticEvents: 8, denseSynapticOps: 5 * 2 * 8, neuronUpdates: 16, outputSpikes: 4, stepsRun: 8 }) },
    ],
  });
  const nb = neuroBenchMetrics(w, (i) => rowActivationsOf(w.layers[i]!));
  assert.equal(nb.synaptic_operations, { Effective_MACs: 160 / 4, Effective_ACs: 8 / 4, Dense: (400 + 80) / 4 });
  assert.is(nb.activation_sparsity, 1 - 12 / 56);
  assert.is(nb.connection_sparsity, Math.round(((0.2 * 50 + 0.5 * 10) / 60) * 1e4) / 1e4);
  assert.is(nb.connection_sparsity_from_events, 1 - (160 + 8) / (40 * 5 + 8 * 2));
  assert.is(nb.footprint, 50 * 4 + 100 + 10 * 1); // f32 = 4 bytes, 4-bit = 1 byte per synapse, + buffers
  assert.not.ok(nb.footprintIncludesBuffers);
  assert.is(nb.membrane_updates, 56 / 4);
});

test.run();
