/**
 * Types of a hardware model (hw-models/*.json, schema in hw-models/schema.json). Units live in the
 * field names: energyPj (picojoules), latencyNs (nanoseconds), staticPowerMw (milliwatts).
 * Every number is a Quantity that names its source and status, so a report can show where each
 * cost came from.
 */

export type QuantityStatus = 'stated' | 'derived' | 'assumed';

export interface Quantity {
  value: number;
  /** Key of HardwareModel.references. */
  source: string;
  /** Key of HardwareModel.references: the secondary document the number was read in. */
  via?: string;
  status: QuantityStatus;
  /** Required when status is 'derived'. */
  arithmetic?: string;
  note?: string;
}

export interface Reference {
  citation: string;
  url?: string;
  kind?: 'primary' | 'secondary' | 'code' | 'assumption';
}

/** Per-operation cost names shared by energyPj and latencyNs. */
export const OPERATION_NAMES = [
  'synapticEvent',
  'neuronUpdateActive',
  'neuronUpdateIdle',
  'spikeOut',
  'routingHop',
  'stdpUpdatePerSynapse',
  'traceUpdate',
  'weightWritePerCell',
  'weightWritePerPulse',
  'crossbarCellRead',
  'adcConversion',
  'dacConversion',
  'coreStepOverhead',
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

export type ModelKind = 'digital' | 'analog-crossbar' | 'arithmetic-baseline';

export interface HardwareModel {
  $schema?: string;
  schemaVersion: 1;
  name: string;
  displayName: string;
  description: string;
  kind: ModelKind;
  references: Record<string, Reference>;
  technology: { nodeNm: Quantity; supplyV?: Quantity; process?: string };
  timestep: { mode: 'free-running' | 'fixed-tick'; tickUs?: Quantity };
  weightPrecision: { minBits: Quantity; maxBits: Quantity; floatingPoint?: boolean };
  energyPj: Partial<Record<OperationName, Quantity>>;
  latencyNs: Partial<Record<OperationName | 'barrierSync' | 'barrierSyncPerExtraMeshTile', Quantity>>;
  staticPowerMw?: { perCore?: Quantity };
  parallelism: {
    cores?: Quantity;
    coresPerMeshTile?: Quantity;
    synapticOpsPerCycle?: Quantity;
    neuronUpdatesInParallel?: Quantity;
    adcsPerCore?: Quantity;
  };
  geometry?: { rows: Quantity; cols: Quantity; synapseMemoryBitsPerCore?: Quantity; bitsPerSynapse?: Quantity };
  routing?: { meanHopsPerPacket: Quantity };
  idleStep: { neuronsUpdated: boolean; barrierSync: boolean };
  writePulsesPerWeightWrite?: Quantity;
  device?: DeviceQuantities;
  annBaseline?: { macFp32Pj: Quantity; macInt8Pj: Quantity; weightLoad32BitPj: Quantity };
  notes?: string[];
}

export interface DeviceQuantities {
  conductanceLevelsLtp: Quantity;
  conductanceLevelsLtd: Quantity;
  nonlinearityLtp: Quantity;
  nonlinearityLtd: Quantity;
  cycleToCycleSigmaFraction: Quantity;
  deviceToDeviceSigmaNl: Quantity;
  gMinUs: Quantity;
  gMaxUs: Quantity;
  readVoltageV?: Quantity;
  readPulseNs?: Quantity;
  writeVoltageV?: Quantity;
  writePulseNs?: Quantity;
}

/** A model together with the file it was read from. */
export interface LoadedModel {
  model: HardwareModel;
  file: string;
}

/** One-line provenance of a quantity, e.g. "stated, davies2018 via sanafe-loihi-tech". */
export function provenance(q: Quantity): string {
  const src = q.via ? `${q.source} via ${q.via}` : q.source;
  return q.status === 'derived' ? `derived (${q.arithmetic}), ${src}` : `${q.status}, ${src}`;
}
