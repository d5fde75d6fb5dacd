import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { ValidationError } from '../errors.js';
import { COUNTER_NAMES, type Counters } from '../core/counters.js';
import { DocumentValidationError, type Violation, violationsFromAjv } from './violations.js';

/**
 * The workload a run hands to the energy accounting: what ran (layer shapes, weight format) and
 * what it did (the core's counters, summed over `samples` samples). Commands write it into their
 * results.json under the key "workload"; `deep-stdp energy --from results.json` reads it back.
 * Build one with workloadFromCounters(); read one with readWorkload().
 */
export interface Workload {
  version: 1;
  /** What ran, e.g. "dc-mnist-400 test pass". */
  name: string;
  /** Number of samples the counters are summed over (energy and latency are reported per sample). */
  samples: number;
  /** Simulated time step of the workload (biological time); one step = one hardware timestep. */
  timestepMs: number;
  layers: WorkloadLayer[];
}

export type LayerKind = 'crossbar' | 'conv';

export interface WorkloadLayer {
  name: string;
  /** Crossbar rows: inputs (conv: kernel rows = kH * kW * cIn). */
  nIn: number;
  /** Crossbar columns: neurons (conv: output channels). */
  nOut: number;
  kind: LayerKind;
  /** Output positions that reuse the crossbar each step (conv: outH * outW); 1 for a crossbar. */
  outputPositions: number;
  /** Stored weight bits: 0 = f32, else fixed point with that many bits. */
  weightBits: number;
  /** 'analog' when the layer's input is not spikes (NeuroBench counts its ops as MACs). */
  inputKind: 'spikes' | 'analog';
  /** Fraction of zero weights in [0, 1] at the end of the run (NeuroBench connection sparsity). */
  connectionSparsity?: number;
  /** Crossbar row activations (a spike driving one row); defaults: crossbar = inputSpikes. */
  rowActivations?: number;
  /** Bytes of neuron state and traces (NeuroBench footprint buffers); weights are counted from the shape. */
  bufferBytes?: number;
  counters: Counters;
}

/** What a producer passes to workloadFromCounters(); defaults are filled in. */
export interface WorkloadLayerInput {
  name: string;
  nIn: number;
  nOut: number;
  kind?: LayerKind;
  outputPositions?: number;
  weightBits: number;
  inputKind?: 'spikes' | 'analog';
  connectionSparsity?: number;
  rowActivations?: number;
  bufferBytes?: number;
  counters: Counters;
}

export interface WorkloadInput {
  name: string;
  samples: number;
  timestepMs: number;
  layers: WorkloadLayerInput[];
}

const COUNT = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER };

const WORKLOAD_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'name', 'samples', 'timestepMs', 'layers'],
  properties: {
    version: { const: 1 },
    name: { type: 'string', minLength: 1 },
    samples: { type: 'integer', minimum: 1 },
    timestepMs: { type: 'number', exclusiveMinimum: 0 },
    layers: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'nIn', 'nOut', 'kind', 'outputPositions', 'weightBits', 'inputKind', 'counters'],
        properties: {
          name: { type: 'string', minLength: 1 },
          nIn: { type: 'integer', minimum: 1 },
          nOut: { type: 'integer', minimum: 1 },
          kind: { enum: ['crossbar', 'conv'] },
          outputPositions: { type: 'integer', minimum: 1 },
          weightBits: { type: 'integer', minimum: 0, maximum: 32 },
          inputKind: { enum: ['spikes', 'analog'] },
          connectionSparsity: { type: 'number', minimum: 0, maximum: 1 },
          rowActivations: COUNT,
          bufferBytes: COUNT,
          counters: {
            type: 'object',
            additionalProperties: false,
            required: [...COUNTER_NAMES],
            properties: Object.fromEntries(COUNTER_NAMES.map((n) => [n, COUNT])),
          },
        },
      },
    },
  },
} as const;

let validator: ValidateFunction | undefined;

/** Every violation of the workload format (JSON path, value, rule); empty = valid. */
export function validateWorkload(doc: unknown): Violation[] {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(WORKLOAD_SCHEMA);
  if (!validator(doc)) return violationsFromAjv(doc, validator.errors);
  const w = doc as Workload;
  const out: Violation[] = [];
  const first = w.layers[0]!.counters;
  w.layers.forEach((layer, i) => {
    const c = layer.counters;
    if (c.synapticEvents > c.denseSynapticOps) {
      out.push({ path: `/layers/${i}/counters/synapticEvents`, value: c.synapticEvents, rule: `must be <= denseSynapticOps (${c.denseSynapticOps})` });
    }
    if (c.outputSpikes > c.neuronUpdates) {
      out.push({ path: `/layers/${i}/counters/outputSpikes`, value: c.outputSpikes, rule: `must be <= neuronUpdates (${c.neuronUpdates})` });
    }
    if (c.stepsRun !== first.stepsRun || c.stepsSkipped !== first.stepsSkipped) {
      out.push({
        path: `/layers/${i}/counters/stepsRun`,
        value: [c.stepsRun, c.stepsSkipped],
        rule: `all layers of one workload step together: stepsRun and stepsSkipped must equal layer 0's (${first.stepsRun}, ${first.stepsSkipped})`,
      });
    }
    if (layer.kind === 'crossbar' && layer.outputPositions !== 1) {
      out.push({ path: `/layers/${i}/outputPositions`, value: layer.outputPositions, rule: 'must be 1 for a crossbar layer' });
    }
  });
  return out;
}

/** Validates a parsed workload document; throws DocumentValidationError listing every violation. */
export function parseWorkload(doc: unknown, where = 'workload'): Workload {
  const violations = validateWorkload(doc);
  if (violations.length) throw new DocumentValidationError(where, violations, 'a workload as described in docs/energy.md');
  return doc as Workload;
}

/**
 * Builds a validated workload from layer shapes and counters (what `stdp`, `train`, `deploy` and
 * `bench` call before writing results.json). Counters are copied; defaults: kind 'crossbar',
 * outputPositions 1, inputKind 'spikes'.
 */
export function workloadFromCounters(input: WorkloadInput): Workload {
  const layers: WorkloadLayer[] = (input.layers ?? []).map((l) => {
    const layer: WorkloadLayer = {
      name: l.name,
      nIn: l.nIn,
      nOut: l.nOut,
      kind: l.kind ?? 'crossbar',
      outputPositions: l.outputPositions ?? 1,
      weightBits: l.weightBits,
      inputKind: l.inputKind ?? 'spikes',
      counters: Object.fromEntries(COUNTER_NAMES.map((n) => [n, l.counters?.[n]])) as unknown as Counters,
    };
    if (l.connectionSparsity !== undefined) layer.connectionSparsity = l.connectionSparsity;
    if (l.rowActivations !== undefined) layer.rowActivations = l.rowActivations;
    if (l.bufferBytes !== undefined) layer.bufferBytes = l.bufferBytes;
    return layer;
  });
  return parseWorkload({ version: 1, name: input.name, samples: input.samples, timestepMs: input.timestepMs, layers });
}

/**
 * Reads a workload from a results.json (its "workload" key) or from a bare workload file.
 * Errors name the file and every violation.
 */
export function readWorkload(path: string): Workload {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ValidationError('--from', path, `a readable results.json (${(err as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ValidationError('--from', path, `valid JSON (${(err as Error).message})`);
  }
  if (doc !== null && typeof doc === 'object' && 'workload' in doc) return parseWorkload((doc as { workload: unknown }).workload, `${path} (key "workload")`);
  if (doc !== null && typeof doc === 'object' && 'layers' in doc) return parseWorkload(doc, path);
  throw new ValidationError('--from', path, 'a results.json with a "workload" key (written by stdp, train, deploy or bench) or a bare workload file');
}

/** Row activations of a layer: the given count, else inputSpikes (crossbar) or an estimate (conv). */
export function rowActivationsOf(layer: WorkloadLayer): number {
  if (layer.rowActivations !== undefined) return layer.rowActivations;
  if (layer.kind === 'crossbar') return layer.counters.inputSpikes;
  // Conv without an explicit count: each (spike, position) pair activates one row; estimated as
  // synaptic events / (non-zero fan-out per row).
  const density = 1 - (layer.connectionSparsity ?? 0);
  return density > 0 ? Math.round(layer.counters.synapticEvents / (layer.nOut * density)) : 0;
}
