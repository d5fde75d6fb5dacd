import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { estimateLatency } from '../../src/hw/latency.js';
import { geometryOf, mapLayer } from '../../src/hw/mapping.js';
import { loadModel } from '../../src/hw/model-registry.js';
import { workloadFromCounters, type Workload } from '../../src/hw/workload.js';
import type { HardwareModel } from '../../src/hw/model.js';
import { counters, q, toyAnalogModel, toyDigitalModel } from './fixture-model.js';

const latencyOf = (w: Workload, model: HardwareModel) =>
  estimateLatency(w, w.layers.map((l) => mapLayer(l.nIn, l.nOut, geometryOf(model))), model);

// Same hand-worked case as energy.test.ts: 4 x 3 layer on one 4 x 3 toy core.
const handWorked = workloadFromCounters({
  name: 'hand-worked', samples: 1, timestepMs: 1,
  layers: [{ name: 'x', nIn: 4, nOut: 3, weightBits: 8, counters: counters({ inputSpikes: 3, synapticEvents: 9, denseSynapticOps: 24, neuronUpdates: 6, outputSpikes: 1, stdpPreEvents: 3, stdpPostEvents: 1, weightWrites: 5, stepsRun: 2, stepsSkipped: 3 }) }],
});

test('hand-worked step: per-step averages x latencies, + routing + barrier; idle steps only what idleStep says', () => {
  const lat = latencyOf(handWorked, toyDigitalModel());
  // per running step: 9/2 events x 1 ns + 6/2 neurons x 2 ns + 1/2 spikes x 4 ns
  //   + (3 pre x 3 cols + 1 post x 4 rows)/2 x 6 ns + (3 + 1)/2 traces x 1 ns + 5/2 writes x 2 ns = 58.5 ns
  assert.equal(lat.slowestCore!.terms, { synapticEvent: 4.5, neuronUpdateActive: 6, spikeOut: 2, stdpUpdatePerSynapse: 39, traceUpdate: 2, weightWritePerCell: 5 });
  assert.is(lat.computeNs, 58.5);
  assert.is(lat.routingNs, 2 * 3); // 2 hops x 3 ns
  assert.is(lat.syncNs, 100); // 1 core -> 1 mesh tile
  assert.is(lat.runStepNs, 164.5);
  assert.is(lat.idleStepNs, 3 * 0.5 + 100);
  assert.is(lat.totalNs, 2 * 164.5 + 3 * 101.5);
  assert.is(lat.perSampleNs, 633.5);
  assert.ok(lat.complete);
});

test('multi-core layer: the slowest core (a full core that also holds neurons) sets the step', () => {
  // 6 x 5 on 4 x 3 cores: row tiles 4 + 2, column tiles 3 + 2 -> 4 cores, 2 mesh tiles of 2 cores.
  const w = workloadFromCounters({
    name: 'tiles', samples: 1, timestepMs: 1,
    layers: [{ name: 'x', nIn: 6, nOut: 5, weightBits: 8, counters: counters({ inputSpikes: 6, synapticEvents: 30, denseSynapticOps: 30, neuronUpdates: 5, stepsRun: 1 }) }],
  });
  const lat = latencyOf(w, toyDigitalModel());
  assert.is(lat.cores, 4);
  assert.is(lat.meshTiles, 2);
  const slow = lat.slowestCore!;
  assert.equal([slow.rows, slow.cols, slow.holdsNeurons], [4, 3, true]);
  // 30 events x (4/6) x (3/5) = 12 ns; 5 neuron updates x 3/5 x 2 ns = 6 ns
  assert.is(slow.workNs, 12 + 6);
  assert.is(lat.syncNs, 100 + 10 * (2 - 1));
  assert.is(lat.runStepNs, 18 + 6 + 110);
});

test('fixed tick: a step lasts at least the tick; overrun is flagged when work exceeds it', () => {
  const model = toyDigitalModel();
  model.timestep = { mode: 'fixed-tick', tickUs: q(1) };
  const ok = latencyOf(handWorked, model);
  assert.is(ok.runStepNs, 1000);
  assert.is(ok.idleStepNs, 1000);
  assert.is(ok.totalNs, 5 * 1000);
  assert.not.ok(ok.realTimeOverrun);
  model.timestep = { mode: 'fixed-tick', tickUs: q(0.1) };
  const over = latencyOf(handWorked, model);
  assert.is(over.runStepNs, 164.5);
  assert.is(over.idleStepNs, 101.5);
  assert.ok(over.realTimeOverrun);
});

test('idle steps without neuron updates or sync cost nothing on a free-running chip', () => {
  const model = toyDigitalModel();
  model.idleStep = { neuronsUpdated: false, barrierSync: false };
  const lat = latencyOf(handWorked, model);
  assert.is(lat.idleStepNs, 0);
  assert.is(lat.totalNs, 2 * 164.5);
});

test('analog: per-step array read, DAC, shared ADCs and core overhead; parallel neurons', () => {
  // 10 x 6 on 8 x 4 tiles; the 8 x 4 first-row core: read 5 + DAC 1 + ceil(4 cols / 2 ADCs) x 10 + 20 = 46 ns,
  // plus 3 writes x (8/10)(4/6) x 2 pulses x 80 ns over 1 step = 256 ns.
  const w = workloadFromCounters({
    name: 'analog', samples: 1, timestepMs: 1,
    layers: [{ name: 'a', nIn: 10, nOut: 6, weightBits: 4, counters: counters({ inputSpikes: 7, synapticEvents: 40, denseSynapticOps: 60, neuronUpdates: 6, weightWrites: 3, stepsRun: 1 }) }],
  });
  const lat = latencyOf(w, toyAnalogModel());
  const slow = lat.slowestCore!;
  assert.equal([slow.rows, slow.cols], [8, 4]);
  assert.is(slow.terms.crossbarCellRead, 5);
  assert.is(slow.terms.dacConversion, 1);
  assert.is(slow.terms.adcConversion, 20);
  assert.is(slow.terms.coreStepOverhead, 20);
  assert.ok(Math.abs(slow.terms.weightWritePerPulse! - 3 * (8 / 10) * (4 / 6) * 2 * 80) < 1e-9);
  assert.is(lat.syncNs, 0);
});

test('models without any latency figure report latency as not modelled', () => {
  const lat = latencyOf(handWorked, loadModel('odin').model);
  assert.not.ok(lat.modelled);
  assert.is(lat.totalNs, 0);
  assert.not.ok(latencyOf(handWorked, loadModel('horowitz-45nm').model).modelled);
});

test('Loihi worked example: 784 x 400 on 5 cores, neurons updated one after another', () => {
  // 1 sample, 1 running step: 100 input spikes x 400 = 40,000 events, 400 neuron updates.
  const w = workloadFromCounters({
    name: 'loihi', samples: 1, timestepMs: 1,
    layers: [{ name: 'x', nIn: 784, nOut: 400, weightBits: 8, counters: counters({ inputSpikes: 100, synapticEvents: 40000, denseSynapticOps: 784 * 400, neuronUpdates: 400, stepsRun: 1 }) }],
  });
  const lat = latencyOf(w, loadModel('loihi').model);
  const slow = lat.slowestCore!;
  assert.equal([slow.rows, slow.cols], [784, 83]);
  const events = 40000 * (83 / 400);
  assert.ok(Math.abs(slow.terms.synapticEvent! - events * 3.5) < 1e-6);
  assert.ok(Math.abs(slow.terms.neuronUpdateActive! - 83 * 8.4) < 1e-9);
  assert.ok(Math.abs(lat.syncNs - (113 + 11.35)) < 1e-9); // 5 cores -> 2 mesh tiles of 4 cores
  assert.ok(Math.abs(lat.routingNs - 5.3) < 1e-12);
  assert.ok(Math.abs(lat.runStepNs - (events * 3.5 + 83 * 8.4 + 5.3 + 124.35)) < 1e-6);
});

test.run();
