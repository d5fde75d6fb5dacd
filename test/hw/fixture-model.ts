/**
 * Hardware models with round, known costs for hand-computed tests (not shipped). Every number is a
 * valid quantity so the models also pass the schema.
 */
import type { HardwareModel, Quantity } from '../../src/hw/model.js';
import type { Counters } from '../../src/core/counters.js';

export const q = (value: number): Quantity => ({ value, source: 'test', status: 'assumed' });

/** Digital toy chip: energies 2, 3, 1, 5, 7, 11, 13, 17 pJ; latencies in ns; 0.5 mW per core. */
export function toyDigitalModel(): HardwareModel {
  return {
    schemaVersion: 1,
    name: 'toy-digital',
    displayName: 'toy digital chip',
    description: 'round costs for tests',
    kind: 'digital',
    references: { test: { citation: 'hand-picked test values', kind: 'assumption' } },
    technology: { nodeNm: q(28) },
    timestep: { mode: 'free-running' },
    weightPrecision: { minBits: q(1), maxBits: q(8) },
    energyPj: {
      synapticEvent: q(2),
      neuronUpdateActive: q(3),
      neuronUpdateIdle: q(1),
      spikeOut: q(5),
      routingHop: q(7),
      stdpUpdatePerSynapse: q(11),
      traceUpdate: q(13),
      weightWritePerCell: q(17),
    },
    latencyNs: {
      synapticEvent: q(1),
      neuronUpdateActive: q(2),
      neuronUpdateIdle: q(0.5),
      spikeOut: q(4),
      routingHop: q(3),
      stdpUpdatePerSynapse: q(6),
      traceUpdate: q(1),
      weightWritePerCell: q(2),
      barrierSync: q(100),
      barrierSyncPerExtraMeshTile: q(10),
    },
    staticPowerMw: { perCore: q(0.5) },
    parallelism: { cores: q(16), coresPerMeshTile: q(2), synapticOpsPerCycle: q(1), neuronUpdatesInParallel: q(1) },
    geometry: { rows: q(4), cols: q(3) },
    routing: { meanHopsPerPacket: q(2) },
    idleStep: { neuronsUpdated: true, barrierSync: true },
  };
}

/** Analog toy crossbar: cell read 0.01, ADC 2, DAC 0.5, core step 100, neuron 1, write pulse 3 pJ (2 pulses per write). */
export function toyAnalogModel(): HardwareModel {
  return {
    schemaVersion: 1,
    name: 'toy-analog',
    displayName: 'toy analog crossbar',
    description: 'round costs for tests',
    kind: 'analog-crossbar',
    references: { test: { citation: 'hand-picked test values', kind: 'assumption' } },
    technology: { nodeNm: q(65) },
    timestep: { mode: 'free-running' },
    weightPrecision: { minBits: q(4), maxBits: q(4) },
    energyPj: {
      crossbarCellRead: q(0.01),
      adcConversion: q(2),
      dacConversion: q(0.5),
      coreStepOverhead: q(100),
      neuronUpdateActive: q(1),
      weightWritePerPulse: q(3),
      stdpUpdatePerSynapse: q(0.25),
      traceUpdate: q(0.5),
    },
    latencyNs: {
      crossbarCellRead: q(5),
      dacConversion: q(1),
      adcConversion: q(10),
      coreStepOverhead: q(20),
      neuronUpdateActive: q(0),
      weightWritePerPulse: q(80),
      stdpUpdatePerSynapse: q(0),
      traceUpdate: q(0),
    },
    parallelism: { adcsPerCore: q(2), neuronUpdatesInParallel: q(8) },
    geometry: { rows: q(8), cols: q(4) },
    idleStep: { neuronsUpdated: false, barrierSync: false },
    writePulsesPerWeightWrite: q(2),
  };
}

export function counters(partial: Partial<Counters>): Counters {
  return {
    inputSpikes: 0,
    synapticEvents: 0,
    denseSynapticOps: 0,
    neuronUpdates: 0,
    outputSpikes: 0,
    stdpPreEvents: 0,
    stdpPostEvents: 0,
    weightWrites: 0,
    lostUpdates: 0,
    stepsRun: 0,
    stepsSkipped: 0,
    ...partial,
  };
}
