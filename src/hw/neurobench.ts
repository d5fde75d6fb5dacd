import type { Workload } from './workload.js';

/**
 * NeuroBench-compatible metrics of a workload, under NeuroBench's own key names, per sample
 * (docs/energy.md, "NeuroBench metrics"). synaptic_operations follows NeuroBench's definition:
 * effective ops = (non-zero input, non-zero weight) pairs = the core's synapticEvents, labelled
 * ACs for spiking inputs and MACs otherwise; Dense = every synapse every step.
 */
export interface NeuroBenchMetrics {
  /** Bytes of parameters (weights: 4 bytes for f32, 1 byte for 1-8 bit fixed point) plus declared buffers. */
  footprint: number;
  /** True when every layer declared bufferBytes; otherwise footprint counts weights and the declared buffers only. */
  footprintIncludesBuffers: boolean;
  /** Zero weights / all weights over layers that declared it (null when none did). */
  connection_sparsity: number | null;
  /** Estimate from counters: 1 - synapticEvents / (rowActivations x nOut) (zero weights among rows that were driven). */
  connection_sparsity_from_events: number | null;
  /** 1 - output spikes / neuron updates (running steps only). */
  activation_sparsity: number | null;
  membrane_updates: number;
  synaptic_operations: { Effective_MACs: number; Effective_ACs: number; Dense: number };
}

function weightBytes(weightBits: number): number {
  return weightBits === 0 ? 4 : Math.ceil(weightBits / 8);
}

export function neuroBenchMetrics(workload: Workload, rowActivations: (layerIndex: number) => number): NeuroBenchMetrics {
  let footprint = 0;
  let allBuffers = true;
  let sparseWeighted = 0;
  let sparseTotal = 0;
  let effectiveACs = 0;
  let effectiveMACs = 0;
  let dense = 0;
  let spikes = 0;
  let updates = 0;
  let reached = 0;
  let events = 0;
  workload.layers.forEach((l, i) => {
    const synapses = l.nIn * l.nOut;
    footprint += synapses * weightBytes(l.weightBits) + (l.bufferBytes ?? 0);
    if (l.bufferBytes === undefined) allBuffers = false;
    if (l.connectionSparsity !== undefined) {
      sparseWeighted += l.connectionSparsity * synapses;
      sparseTotal += synapses;
    }
    if (l.inputKind === 'spikes') effectiveACs += l.counters.synapticEvents;
    else effectiveMACs += l.counters.synapticEvents;
    dense += l.counters.denseSynapticOps;
    spikes += l.counters.outputSpikes;
    updates += l.counters.neuronUpdates;
    reached += rowActivations(i) * l.nOut;
    events += l.counters.synapticEvents;
  });
  const n = workload.samples;
  return {
    footprint,
    footprintIncludesBuffers: allBuffers,
    connection_sparsity: sparseTotal > 0 ? Math.round((sparseWeighted / sparseTotal) * 1e4) / 1e4 : null,
    connection_sparsity_from_events: reached > 0 ? 1 - events / reached : null,
    activation_sparsity: updates > 0 ? 1 - spikes / updates : null,
    membrane_updates: updates / n,
    synaptic_operations: { Effective_MACs: effectiveMACs / n, Effective_ACs: effectiveACs / n, Dense: dense / n },
  };
}
