import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { estimateModel } from '../../src/hw/estimate.js';
import { workloadFromCounters } from '../../src/hw/workload.js';
import type { ComponentId } from '../../src/hw/energy.js';
import type { ModelEstimate } from '../../src/hw/estimate.js';
import { counters, toyAnalogModel, toyDigitalModel } from './fixture-model.js';
import { loadModel } from '../../src/hw/model-registry.js';

const toy = { model: toyDigitalModel(), file: 'toy-digital.json' };
const energyOf = (est: ModelEstimate, id: ComponentId): number | null | undefined => est.energy.components.find((c) => c.id === id)?.energyPj;

test('k input spikes into an nOut-column crossbar cost k x nOut x E_synapticEvent', () => {
  for (const [k, nOut] of [[1, 1], [5, 3], [17, 3], [40, 3]] as const) {
    const nIn = 64;
    const w = workloadFromCounters({
      name: 'k spikes',
      samples: 1,
      timestepMs: 1,
      layers: [{ name: 'x', nIn, nOut, weightBits: 8, counters: counters({ inputSpikes: k, synapticEvents: k * nOut, denseSynapticOps: nIn * nOut, neuronUpdates: nOut, stepsRun: 1 }) }],
    });
    const est = estimateModel(w, toy);
    assert.is(est.counts.synapticEvents, k * nOut);
    assert.is(energyOf(est, 'synapticEvents'), k * nOut * 2);
  }
});

// Hand-worked case (4 x 3 layer, one toy core of 4 x 3):
// step 0: inputs 0 and 1 spike (2 x 3 events); step 1: input 2 spikes (3 events); neuron 1 spikes once;
// learning: 3 pre events, 1 post event, 5 weight writes; then 3 silent steps.
const handWorked = workloadFromCounters({
  name: 'hand-worked',
  samples: 1,
  timestepMs: 1,
  layers: [{
    name: 'x', nIn: 4, nOut: 3, weightBits: 8,
    counters: counters({ inputSpikes: 3, synapticEvents: 9, denseSynapticOps: 24, neuronUpdates: 6, outputSpikes: 1, stdpPreEvents: 3, stdpPostEvents: 1, weightWrites: 5, stepsRun: 2, stepsSkipped: 3 }),
  }],
});

test('hand-worked breakdown on the toy digital chip, component by component', () => {
  const est = estimateModel(handWorked, toy);
  const expected: [ComponentId, number][] = [
    ['synapticEvents', 9 * 2], // 18
    ['neuronUpdatesActive', 6 * 3], // 18
    ['neuronUpdatesIdle', 3 * 3 * 1], // 3 skipped steps x 3 neurons x 1 pJ = 9
    ['spikesOut', 1 * 5], // 5
    ['routing', (3 * 1 + 1) * 2 * 7], // (inputSpikes x colTiles + outputSpikes) x 2 hops x 7 pJ = 56
    ['stdpUpdates', (3 * 3 + 1 * 4) * 11], // 143
    ['traceUpdates', (3 + 1) * 13], // 52
    ['weightWrites', 5 * 17], // 85
  ];
  for (const [id, pj] of expected) assert.is(energyOf(est, id), pj, id);
  // latency (see latency.test.ts): 2 x 164.5 ns + 3 x 101.5 ns = 633.5 ns on 1 core at 0.5 mW -> 316.75 pJ
  assert.is(est.latency.totalNs, 633.5);
  assert.is(energyOf(est, 'static'), 0.5 * 633.5);
  assert.is(est.energy.totalPj, 386 + 316.75);
  assert.is(est.energy.perSamplePj, 702.75);
  assert.ok(est.energy.complete);
  assert.is(est.energyPerSynapticEventPj, 702.75 / 9);
});

test('per-sample values divide by samples; doubling every count doubles dynamic energy', () => {
  const c = handWorked.layers[0]!.counters;
  const doubled = workloadFromCounters({
    name: 'x2', samples: 2, timestepMs: 1,
    layers: [{ ...handWorked.layers[0]!, counters: Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v * 2])) as unknown as typeof c }],
  });
  const one = estimateModel(handWorked, toy);
  const two = estimateModel(doubled, toy);
  assert.is(two.energy.totalPj, 2 * one.energy.totalPj);
  assert.is(two.energy.perSamplePj, one.energy.perSamplePj);
});

test('analog crossbar: reads, DAC, ADC, core steps and write pulses follow their formulas', () => {
  // 10 x 6 layer on 8 x 4 tiles -> 2 row tiles x 2 column tiles = 4 cores
  const w = workloadFromCounters({
    name: 'analog', samples: 1, timestepMs: 1,
    layers: [{ name: 'a', nIn: 10, nOut: 6, weightBits: 4, counters: counters({ inputSpikes: 7, synapticEvents: 40, denseSynapticOps: 10 * 6 * 5, neuronUpdates: 30, outputSpikes: 2, weightWrites: 3, stepsRun: 5, stepsSkipped: 4 }) }],
  });
  const est = estimateModel(w, { model: toyAnalogModel(), file: 'toy-analog.json' });
  assert.is(est.counts.crossbarCellReads, 7 * 6);
  assert.is(est.counts.dacConversions, 7 * 2);
  assert.is(est.counts.adcConversions, 5 * 6 * 2);
  assert.is(est.counts.coreSteps, 5 * 4);
  assert.is(est.counts.weightWritePulses, 3 * 2);
  assert.is(energyOf(est, 'crossbarReads'), 42 * 0.01);
  assert.is(energyOf(est, 'dacConversions'), 14 * 0.5);
  assert.is(energyOf(est, 'adcConversions'), 60 * 2);
  assert.is(energyOf(est, 'coreStepOverhead'), 20 * 100);
  assert.is(energyOf(est, 'neuronUpdatesActive'), 30 * 1);
  assert.is(energyOf(est, 'weightWritePulses'), 6 * 3);
  assert.is(energyOf(est, 'synapticEvents'), undefined); // analog reads replace per-event costs
  assert.is(energyOf(est, 'static'), null); // no static power in the toy analog model
  assert.equal(est.energy.notModelled, ['static']);
  assert.not.ok(est.energy.complete);
});

test('costs a model lacks are "not modelled" (null), never silently zero', () => {
  const model = toyDigitalModel();
  delete model.energyPj.stdpUpdatePerSynapse;
  delete model.energyPj.traceUpdate;
  const est = estimateModel(handWorked, { model, file: 'x.json' });
  assert.is(energyOf(est, 'stdpUpdates'), null);
  assert.is(energyOf(est, 'traceUpdates'), null);
  assert.equal(est.energy.notModelled, ['stdpUpdates', 'traceUpdates']);
  assert.ok(est.warnings.some((w) => /not modelled for: stdpUpdates, traceUpdates/.test(w)));
  assert.is(est.energy.totalPj, 386 - 143 - 52 + 316.75);
});

test('TrueNorth reproduces its all-in operating point: 72 mW at 2^20 neurons x 20 Hz x 128 synapses', () => {
  // One second (1000 ticks of 1 ms) of the whole chip at the operating point: 4096 cores of 256 x 256.
  const ticks = 1000;
  const w = workloadFromCounters({
    name: 'operating point', samples: 1, timestepMs: 1,
    layers: [{
      name: 'chip', nIn: 256 * 64, nOut: 256 * 64, weightBits: 1,
      counters: counters({ synapticEvents: 2 ** 20 * 20 * 128, denseSynapticOps: 256 * 64 * 256 * 64 * ticks, neuronUpdates: 2 ** 20 * ticks, stepsRun: ticks }),
    }],
  });
  const est = estimateModel(w, loadModel('truenorth'));
  assert.is(est.latency.cores, 4096);
  assert.is(est.latency.totalNs, 1e9);
  const powerMw = est.energy.totalPj / 1e9; // pJ over 1 s -> mW
  assert.ok(Math.abs(powerMw - 72) < 0.01, `${powerMw} mW`);
  // and the all-in energy per event is the quoted ~26 pJ (26.8 with these round numbers)
  assert.ok(Math.abs(est.energyPerSynapticEventPj! - 26.8) < 0.05, `${est.energyPerSynapticEventPj}`);
});

test.run();
