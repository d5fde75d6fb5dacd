import { type HardwareModel, type ModelKind, type OperationName, type Quantity, provenance } from './model.js';
import type { OperationCounts } from './operation-counts.js';

export type ComponentId =
  | 'synapticEvents'
  | 'crossbarReads'
  | 'dacConversions'
  | 'adcConversions'
  | 'coreStepOverhead'
  | 'neuronUpdatesActive'
  | 'neuronUpdatesIdle'
  | 'spikesOut'
  | 'routing'
  | 'stdpUpdates'
  | 'traceUpdates'
  | 'weightWrites'
  | 'weightWritePulses'
  | 'static';

interface ComponentDef {
  id: ComponentId;
  label: string;
  op: OperationName | 'static';
  count: keyof OperationCounts | 'static';
  formula: string;
  /** Model kinds that must give this cost when it occurs (otherwise it is reported as not modelled). */
  expected: ModelKind[];
}

const ALL: ModelKind[] = ['digital', 'analog-crossbar', 'arithmetic-baseline'];
const CHIPS: ModelKind[] = ['digital', 'analog-crossbar'];

/** The energy components, in report order. */
export const COMPONENTS: readonly ComponentDef[] = [
  { id: 'synapticEvents', label: 'synaptic events', op: 'synapticEvent', count: 'synapticEvents', formula: 'synapticEvents', expected: ['digital', 'arithmetic-baseline'] },
  { id: 'crossbarReads', label: 'crossbar cell reads', op: 'crossbarCellRead', count: 'crossbarCellReads', formula: 'rowActivations x nOut', expected: ['analog-crossbar'] },
  { id: 'dacConversions', label: 'row drivers (DAC)', op: 'dacConversion', count: 'dacConversions', formula: 'rowActivations x colTiles', expected: ['analog-crossbar'] },
  { id: 'adcConversions', label: 'ADC conversions', op: 'adcConversion', count: 'adcConversions', formula: 'stepsRun x nOut x outputPositions x rowTiles', expected: ['analog-crossbar'] },
  { id: 'coreStepOverhead', label: 'core step overhead', op: 'coreStepOverhead', count: 'coreSteps', formula: 'stepsRun x cores x outputPositions', expected: ['analog-crossbar'] },
  { id: 'neuronUpdatesActive', label: 'neuron updates', op: 'neuronUpdateActive', count: 'neuronUpdatesActive', formula: 'neuronUpdates', expected: ALL },
  { id: 'neuronUpdatesIdle', label: 'idle neuron updates', op: 'neuronUpdateIdle', count: 'neuronUpdatesIdle', formula: 'stepsSkipped x nOut x outputPositions (if idleStep.neuronsUpdated)', expected: CHIPS },
  { id: 'spikesOut', label: 'spikes out', op: 'spikeOut', count: 'spikesOut', formula: 'outputSpikes', expected: ['digital'] },
  { id: 'routing', label: 'routing hops', op: 'routingHop', count: 'routingPacketHops', formula: '(inputSpikes x colTiles + outputSpikes) x meanHopsPerPacket', expected: ['digital'] },
  { id: 'stdpUpdates', label: 'STDP synapse updates', op: 'stdpUpdatePerSynapse', count: 'stdpSynapseUpdates', formula: 'stdpPreEvents x nOut + stdpPostEvents x nIn', expected: ALL },
  { id: 'traceUpdates', label: 'trace updates', op: 'traceUpdate', count: 'traceUpdates', formula: 'stdpPreEvents + stdpPostEvents', expected: ALL },
  { id: 'weightWrites', label: 'weight writes', op: 'weightWritePerCell', count: 'weightWrites', formula: 'weightWrites', expected: ['digital'] },
  { id: 'weightWritePulses', label: 'write pulses', op: 'weightWritePerPulse', count: 'weightWritePulses', formula: 'weightWrites x writePulsesPerWeightWrite', expected: ['analog-crossbar'] },
  { id: 'static', label: 'static power', op: 'static', count: 'static', formula: 'staticPowerMw.perCore x cores x chip time (mW x ns = pJ)', expected: CHIPS },
];

export interface EnergyComponent {
  id: ComponentId;
  label: string;
  /** Operations summed over the workload; for 'static': core-nanoseconds. */
  count: number;
  countFormula: string;
  /** Model field the unit cost came from, e.g. "energyPj.synapticEvent". */
  costField: string;
  /** pJ per operation (static: mW, which times core-ns gives pJ); null when not modelled. */
  unitCost: number | null;
  energyPj: number | null;
  provenance: string | null;
  /** The model's quantity behind unitCost (value, source, status, arithmetic). */
  quantity: Quantity | null;
}

export interface EnergyBreakdown {
  components: EnergyComponent[];
  /** Sum of the modelled components. */
  totalPj: number;
  perSamplePj: number;
  /** Components that occur (count > 0) but that the model gives no cost for. */
  notModelled: ComponentId[];
  complete: boolean;
}

/**
 * Energy = sum over components of count x unit cost, plus static power x cores x chip time.
 * A component is listed when the model gives its cost or when it occurs and the model kind is
 * expected to give it; occurring costs the model lacks are 'not modelled' (energy null), never 0.
 * chipTimeNs = null means the model has no timing, so static energy is not modelled either.
 */
export function estimateEnergy(counts: OperationCounts, model: HardwareModel, cores: number, chipTimeNs: number | null, samples: number): EnergyBreakdown {
  const components: EnergyComponent[] = [];
  const notModelled: ComponentId[] = [];
  for (const def of COMPONENTS) {
    const isStatic = def.op === 'static';
    const q = isStatic ? model.staticPowerMw?.perCore : model.energyPj[def.op as OperationName];
    const count = isStatic ? cores * (chipTimeNs ?? 0) : counts[def.count as keyof OperationCounts];
    const costField = isStatic ? 'staticPowerMw.perCore' : `energyPj.${def.op}`;
    // Static energy needs the chip time; without latency figures it cannot be computed.
    const unknownTime = isStatic && chipTimeNs === null && cores > 0;
    if (q === undefined || unknownTime) {
      if ((count > 0 || unknownTime) && def.expected.includes(model.kind)) {
        notModelled.push(def.id);
        components.push({ id: def.id, label: def.label, count, countFormula: def.formula, costField, unitCost: null, energyPj: null, provenance: null, quantity: null });
      }
      continue;
    }
    components.push({
      id: def.id,
      label: def.label,
      count,
      countFormula: def.formula,
      costField,
      unitCost: q.value,
      energyPj: count * q.value,
      provenance: provenance(q),
      quantity: q,
    });
  }
  const totalPj = components.reduce((s, c) => s + (c.energyPj ?? 0), 0);
  return { components, totalPj, perSamplePj: totalPj / samples, notModelled, complete: notModelled.length === 0 };
}
