// Counters on hand-worked cases. Gold: k input spikes into a row with z zero weights => k (nOut - z)
// synaptic events (NeuroBench effective ACs); every step costs nIn x nOut dense ops and nOut neuron updates.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BACKENDS, layerOn, spikeLists } from './helpers.js';
import { COUNTER_NAMES } from '../../src/core/counters.js';
import type { Backend } from '../../src/core/layer.js';

function silentNeurons(backend: Backend, nIn: number, nOut: number, format: 'f32' | 'fixed', propagation: 'event' | 'dense' = 'event') {
  return layerOn(backend, {
    nIn, nOut, dt: 1, seed: 1, propagation,
    neuron: { vRest: 0, vReset: 0, vThresh: 1e9, tauMembrane: 10 },
    weights: format === 'f32' ? { format, wMax: 1 } : { format, bits: 4, wMax: 1 },
    stdp: { rule: 'none' },
  });
}

for (const backend of BACKENDS) {
  for (const format of ['f32', 'fixed'] as const) {
    for (const propagation of ['event', 'dense'] as const) {
      test(`${backend} ${format} ${propagation}: k spikes into nOut non-zero columns = k * nOut synaptic events`, () => {
        const nIn = 6, nOut = 37;
        const layer = silentNeurons(backend, nIn, nOut, format, propagation);
        layer.setWeights(new Float32Array(nIn * nOut).fill(0.5));
        // k = 7 spikes: input 0 at steps 0, 3; input 2 at 3; input 5 at 1, 2, 8, 9.
        const lists = spikeLists(nIn, [[0, 0], [0, 3], [2, 3], [5, 1], [5, 2], [5, 8], [5, 9]]);
        layer.present({ steps: 10, spikeSteps: lists, restSteps: 25 });
        const c = layer.counters();
        assert.equal(c, {
          inputSpikes: 7,
          synapticEvents: 7 * nOut,
          denseSynapticOps: 10 * nIn * nOut,
          neuronUpdates: 10 * nOut,
          outputSpikes: 0,
          stdpPreEvents: 0,
          stdpPostEvents: 0,
          weightWrites: 0,
          lostUpdates: 0,
          stepsRun: 10,
          stepsSkipped: 25,
        });
        // Zero weights in row 5 (4 of them) and row 0 (all): 2 * 0 + 1 * 37 + 4 * 33 = 169.
        const w = new Float32Array(nIn * nOut).fill(0.5);
        for (let j = 0; j < nOut; j++) w[0 * nOut + j] = 0;
        for (const j of [0, 9, 16, 36]) w[5 * nOut + j] = 0;
        layer.setWeights(w);
        layer.resetCounters();
        layer.present({ steps: 10, spikeSteps: lists });
        assert.is(layer.counters().synapticEvents, 2 * 0 + 1 * nOut + 4 * (nOut - 4));
        for (const name of COUNTER_NAMES) assert.ok(Number.isInteger(layer.counters()[name]));
      });
    }
  }

  test(`${backend}: STDP counters, writes and nnz tracking on a hand-worked case`, () => {
    // Neuron fires at step 2 (driver input 0). Input 1 spikes at steps 0 and 4:
    //  step 0: pre event (no post trace -> no update); step 2: post event: potentiation of column 0 for
    //  inputs with a non-zero pre trace (inputs 0 and 1: 2 writes); step 4: pre event: depression of w1 (1 write).
    const layer = layerOn(backend, {
      nIn: 3, nOut: 1, dt: 1, seed: 2,
      neuron: { vRest: 0, vReset: 0, vThresh: 0.9, tauMembrane: 0.01 },
      weights: { format: 'f32', wMax: 1 },
      stdp: { rule: 'pair', aPlus: 0.1, aMinus: 0.05, tauPlus: 10, tauMinus: 10 },
    });
    layer.setWeights([0.95, 0, 0]);
    const r = layer.present({ steps: 6, spikeSteps: [[2], [0, 4], []], learn: true });
    assert.equal(Array.from(r.spikeSteps), [2]);
    const c = layer.counters();
    assert.is(c.inputSpikes, 3);
    assert.is(c.stdpPreEvents, 3);
    assert.is(c.stdpPostEvents, 1);
    assert.is(c.weightWrites, 3);
    assert.is(c.lostUpdates, 0);
    // Row 1 had no non-zero weight at step 0 (0 events); input 0 at step 2: 1 event; w1 was potentiated at
    // step 2, so input 1 at step 4 reaches one non-zero weight (nnz kept current by the weight writer).
    assert.is(c.synapticEvents, 0 + 1 + 1);
    layer.resetCounters();
    layer.present({ steps: 1, spikeSteps: [[], [0], []] });
    assert.is(layer.counters().synapticEvents, 1);
  });
}

test.run();
