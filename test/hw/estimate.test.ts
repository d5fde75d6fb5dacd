import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { energyReport, estimateModel } from '../../src/hw/estimate.js';
import { loadShippedModels } from '../../src/hw/model-registry.js';
import { workloadFromCounters } from '../../src/hw/workload.js';
import { counters, toyDigitalModel } from './fixture-model.js';

// A Diehl & Cook-shaped test pass: 784 x 400, 10 samples of 700 running + 300 rest steps.
const samples = 10;
const dc = workloadFromCounters({
  name: 'dc-400', samples, timestepMs: 0.5,
  layers: [{
    name: 'exc', nIn: 784, nOut: 400, weightBits: 8,
    counters: counters({
      inputSpikes: 1800 * samples, synapticEvents: 1800 * 400 * samples, denseSynapticOps: 784 * 400 * 700 * samples,
      neuronUpdates: 400 * 700 * samples, outputSpikes: 25 * samples, stepsRun: 700 * samples, stepsSkipped: 300 * samples,
    }),
  }],
});

test('every shipped model produces an energy breakdown with positive energy for a D&C workload', () => {
  const report = energyReport(dc, loadShippedModels());
  assert.ok(report.models.length >= 6);
  for (const m of report.models) {
    assert.ok(m.energy.perSamplePj > 0, m.model.name);
    assert.ok(m.energy.components.length > 0, m.model.name);
    const sum = m.energy.components.reduce((s, c) => s + (c.energyPj ?? 0), 0);
    assert.ok(Math.abs(sum - m.energy.totalPj) <= 1e-9 * sum, m.model.name);
    for (const c of m.energy.components) {
      if (c.energyPj !== null) assert.ok(c.provenance && c.provenance.length > 0, `${m.model.name}.${c.id} has provenance`);
    }
    assert.ok(m.snnOverAnnFp32! > 0);
  }
  const loihi = report.models.find((m) => m.model.name === 'loihi')!;
  assert.is(loihi.energy.components.find((c) => c.id === 'synapticEvents')!.energyPj, 1800 * 400 * samples * 23.6);
  assert.ok(loihi.latency.complete);
  assert.is(report.annBaseline.macsPerSample, 784 * 400);
  assert.is(report.neurobench.synaptic_operations.Effective_ACs, 1800 * 400);
});

test('throughput: sustained = events / chip time; peak per core = lanes / event latency', () => {
  const est = estimateModel(dc, { model: toyDigitalModel(), file: 'toy.json' });
  const events = 1800 * 400 * samples;
  assert.ok(Math.abs(est.throughput.sustainedSynapticEventsPerSecond! - events / (est.latency.totalNs * 1e-9)) < 1e-6 * events);
  assert.is(est.throughput.peakSynapticEventsPerSecondPerCore, 1e9); // 1 lane / 1 ns
  assert.is(est.throughput.peakSynapticEventsPerSecondPerChip, 16e9);
});

test('warnings: f32 weights on a fixed-point chip, more cores than the chip has', () => {
  const f32 = workloadFromCounters({ ...dc, layers: [{ ...dc.layers[0]!, weightBits: 0 }] });
  const model = toyDigitalModel(); // 4 x 3 cores, 16 per chip
  const est = estimateModel(f32, { model, file: 'toy.json' });
  assert.ok(est.warnings.some((w) => /f32 weights/.test(w)));
  assert.ok(est.warnings.some((w) => /needs \d+ cores; one toy-digital chip has 16/.test(w)));
});

test.run();
