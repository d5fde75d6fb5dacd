import { SNAP_COUNT } from '../core/reference/spiking-dense.js';
import { zeroCounters } from '../core/counters.js';
import { workloadFromCounters, type Workload, type WorkloadLayerInput } from '../hw/workload.js';
import { mapSize, type NetworkSpec, type SpikingLayerSpec } from './network-spec.js';
import { SNAPSHOT_COUNTERS } from './simulator.js';

/**
 * The hardware workload of a deployment pass at one snapshot (T steps per inference), for
 * src/hw's energy and latency accounting. Layers map onto crossbars as:
 * - conv: kernel rows (k * k * cIn) x output channels, reused at every output position
 *   (outputPositions = outH * outW); a spike activates one row per output position it reaches;
 * - average pooling: a size^2 x 1 crossbar per pooled neuron (depthwise), outputPositions =
 *   outH * outW * channels;
 * - dense: nIn x nOut.
 * The first layer under constant-current coding reads analog values ('analog': NeuroBench MACs).
 */
export interface DeployLayerInfo {
  /** Fraction of zero weights after quantization. */
  zeroWeightFraction: number;
  /** Neuron state bytes. */
  stateBytes: number;
}

export function layerGeometry(layer: SpikingLayerSpec): { nIn: number; nOut: number; kind: 'conv' | 'crossbar'; outputPositions: number } {
  switch (layer.kind) {
    case 'conv':
      return { nIn: layer.kernelSize * layer.kernelSize * layer.input.c, nOut: layer.output.c, kind: 'conv', outputPositions: layer.output.h * layer.output.w };
    case 'avgpool':
      return { nIn: layer.size * layer.size, nOut: 1, kind: 'conv', outputPositions: mapSize(layer.output) };
    case 'dense':
      return { nIn: layer.input.c, nOut: layer.output.c, kind: 'crossbar', outputPositions: 1 };
  }
}

/** Counters of layer `layer` at snapshot `s` from a pass's [layers][nSnap][SNAP_COUNT] block. */
export function snapshotCounters(counters: Float64Array, nSnap: number, layer: number, s: number): Record<(typeof SNAPSHOT_COUNTERS)[number], number> {
  const base = (layer * nSnap + s) * SNAP_COUNT;
  return Object.fromEntries(SNAPSHOT_COUNTERS.map((name, j) => [name, counters[base + j]!])) as Record<(typeof SNAPSHOT_COUNTERS)[number], number>;
}

export function deployWorkload(
  name: string, spec: NetworkSpec, info: DeployLayerInfo[], weightBits: number, analogInput: boolean,
  counters: Float64Array, nSnap: number, s: number, samples: number, timestepMs: number,
): Workload {
  const layers: WorkloadLayerInput[] = spec.layers.map((layer, i) => {
    const c = snapshotCounters(counters, nSnap, i, s);
    const g = layerGeometry(layer);
    const core = zeroCounters();
    core.inputSpikes = c.inputSpikes;
    core.synapticEvents = c.synapticEvents;
    core.denseSynapticOps = c.denseSynapticOps;
    core.neuronUpdates = c.neuronUpdates;
    core.outputSpikes = c.outputSpikes;
    core.stepsRun = c.stepsRun;
    return {
      name: layer.name,
      ...g,
      weightBits,
      inputKind: i === 0 && analogInput ? 'analog' : 'spikes',
      connectionSparsity: info[i]!.zeroWeightFraction,
      rowActivations: c.rowActivations,
      bufferBytes: info[i]!.stateBytes,
      counters: core,
    };
  });
  return workloadFromCounters({ name, samples, timestepMs, layers });
}
