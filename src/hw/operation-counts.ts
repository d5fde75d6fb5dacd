import type { HardwareModel } from './model.js';
import type { LayerMapping } from './mapping.js';
import { rowActivationsOf, type WorkloadLayer } from './workload.js';

/**
 * Hardware operations implied by a layer's counters on a given mapping, summed over the workload.
 * Formulas (docs/energy.md, "Operation counts"):
 *   synapticEvents     = synapticEvents
 *   crossbarCellReads  = rowActivations x nOut                  (every cell on a driven row conducts)
 *   dacConversions     = rowActivations x colTiles              (one row driver per column tile)
 *   adcConversions     = stepsRun x nOut x outputPositions x rowTiles   (every column of every row tile, every running step)
 *   coreSteps          = stepsRun x cores x outputPositions
 *   neuronUpdatesActive= neuronUpdates
 *   neuronUpdatesIdle  = stepsSkipped x nOut x outputPositions  (only if the model updates neurons in idle steps)
 *   spikesOut          = outputSpikes
 *   routingPacketHops  = (inputSpikes x colTiles + outputSpikes) x meanHopsPerPacket
 *   stdpSynapseUpdates = stdpPreEvents x nOut + stdpPostEvents x nIn
 *   traceUpdates       = stdpPreEvents + stdpPostEvents
 *   weightWrites       = weightWrites
 *   weightWritePulses  = weightWrites x writePulsesPerWeightWrite
 */
export interface OperationCounts {
  synapticEvents: number;
  crossbarCellReads: number;
  dacConversions: number;
  adcConversions: number;
  coreSteps: number;
  neuronUpdatesActive: number;
  neuronUpdatesIdle: number;
  spikesOut: number;
  routingPacketHops: number;
  stdpSynapseUpdates: number;
  traceUpdates: number;
  weightWrites: number;
  weightWritePulses: number;
}

export const OPERATION_COUNT_NAMES = [
  'synapticEvents',
  'crossbarCellReads',
  'dacConversions',
  'adcConversions',
  'coreSteps',
  'neuronUpdatesActive',
  'neuronUpdatesIdle',
  'spikesOut',
  'routingPacketHops',
  'stdpSynapseUpdates',
  'traceUpdates',
  'weightWrites',
  'weightWritePulses',
] as const satisfies readonly (keyof OperationCounts)[];

export function operationCounts(layer: WorkloadLayer, mapping: LayerMapping, model: HardwareModel): OperationCounts {
  const c = layer.counters;
  const rows = rowActivationsOf(layer);
  const positions = layer.outputPositions;
  const hops = model.routing?.meanHopsPerPacket.value ?? 0;
  const pulses = model.writePulsesPerWeightWrite?.value ?? 1;
  return {
    synapticEvents: c.synapticEvents,
    crossbarCellReads: rows * layer.nOut,
    dacConversions: rows * mapping.colTiles,
    adcConversions: c.stepsRun * layer.nOut * positions * mapping.rowTiles,
    coreSteps: c.stepsRun * mapping.cores * positions,
    neuronUpdatesActive: c.neuronUpdates,
    neuronUpdatesIdle: model.idleStep.neuronsUpdated ? c.stepsSkipped * layer.nOut * positions : 0,
    spikesOut: c.outputSpikes,
    routingPacketHops: (c.inputSpikes * mapping.colTiles + c.outputSpikes) * hops,
    stdpSynapseUpdates: c.stdpPreEvents * layer.nOut + c.stdpPostEvents * layer.nIn,
    traceUpdates: c.stdpPreEvents + c.stdpPostEvents,
    weightWrites: c.weightWrites,
    weightWritePulses: c.weightWrites * pulses,
  };
}

export function addOperationCounts(into: OperationCounts, from: OperationCounts): OperationCounts {
  for (const k of OPERATION_COUNT_NAMES) into[k] += from[k];
  return into;
}

export function zeroOperationCounts(): OperationCounts {
  return Object.fromEntries(OPERATION_COUNT_NAMES.map((k) => [k, 0])) as unknown as OperationCounts;
}
