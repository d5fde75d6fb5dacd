import type { HardwareModel, LoadedModel } from './model.js';
import { geometryOf, mapLayer, type LayerMapping } from './mapping.js';
import { addOperationCounts, operationCounts, zeroOperationCounts, type OperationCounts } from './operation-counts.js';
import { estimateEnergy, type EnergyBreakdown } from './energy.js';
import { estimateLatency, type LatencyEstimate } from './latency.js';
import { annBaseline, type AnnBaseline } from './ann-baseline.js';
import { neuroBenchMetrics, type NeuroBenchMetrics } from './neurobench.js';
import { rowActivationsOf, type Workload } from './workload.js';

export interface LayerEstimate {
  layer: string;
  mapping: LayerMapping;
  counts: OperationCounts;
  /** Dynamic energy of this layer (static power is a chip-level term). */
  energy: EnergyBreakdown;
}

export interface Throughput {
  /** Synaptic events of the workload / modelled chip time. */
  sustainedSynapticEventsPerSecond: number | null;
  /** Upper bound of one core: parallel lanes / synaptic-event latency (analog: rows x cols per core step). */
  peakSynapticEventsPerSecondPerCore: number | null;
  peakSynapticEventsPerSecondPerChip: number | null;
}

export interface ModelEstimate {
  model: {
    name: string;
    displayName: string;
    kind: HardwareModel['kind'];
    file: string;
    nodeNm: number;
    supplyV: number | null;
    timestep: HardwareModel['timestep']['mode'];
  };
  layers: LayerEstimate[];
  counts: OperationCounts;
  energy: EnergyBreakdown;
  latency: LatencyEstimate;
  throughput: Throughput;
  /** All-in energy per synaptic event of this workload (total / synapticEvents). */
  energyPerSynapticEventPj: number | null;
  /** SNN energy per sample / ANN fp32 arithmetic energy per sample. */
  snnOverAnnFp32: number | null;
  /** SNN energy per sample / ANN fp32 energy with one SRAM weight load per MAC. */
  snnOverAnnFp32WithWeightFetch: number | null;
  warnings: string[];
}

export interface EnergyReport {
  workload: {
    name: string;
    samples: number;
    timestepMs: number;
    stepsRun: number;
    stepsSkipped: number;
    layers: { name: string; nIn: number; nOut: number; kind: string; outputPositions: number; weightBits: number }[];
  };
  neurobench: NeuroBenchMetrics;
  annBaseline: AnnBaseline;
  models: ModelEstimate[];
}

function throughputOf(model: HardwareModel, workload: Workload, latency: LatencyEstimate): Throughput {
  const events = workload.layers.reduce((s, l) => s + l.counters.synapticEvents, 0);
  const sustained = latency.modelled && latency.totalNs > 0 ? events / (latency.totalNs * 1e-9) : null;
  let perCore: number | null = null;
  const tSyn = model.latencyNs.synapticEvent?.value;
  const tStep = model.latencyNs.coreStepOverhead?.value;
  if (tSyn !== undefined && tSyn > 0) perCore = ((model.parallelism.synapticOpsPerCycle?.value ?? 1) * 1e9) / tSyn;
  else if (model.kind === 'analog-crossbar' && model.geometry && tStep !== undefined && tStep > 0) {
    perCore = (model.geometry.rows.value * model.geometry.cols.value * 1e9) / tStep;
  }
  const cores = model.parallelism.cores?.value;
  return {
    sustainedSynapticEventsPerSecond: sustained,
    peakSynapticEventsPerSecondPerCore: perCore,
    peakSynapticEventsPerSecondPerChip: perCore !== null && cores !== undefined ? perCore * cores : null,
  };
}

function precisionWarnings(model: HardwareModel, workload: Workload): string[] {
  const out: string[] = [];
  const maxBits = model.weightPrecision.maxBits.value;
  for (const l of workload.layers) {
    if (l.weightBits === 0 && !model.weightPrecision.floatingPoint) {
      out.push(`layer ${l.name} used f32 weights; ${model.name} stores at most ${maxBits}-bit weights (costs are for the model's format)`);
    } else if (l.weightBits > maxBits) {
      out.push(`layer ${l.name} used ${l.weightBits}-bit weights; ${model.name} stores at most ${maxBits} bits`);
    }
  }
  return out;
}

/** Energy, latency and throughput of `workload` on one hardware model (docs/energy.md). */
export function estimateModel(workload: Workload, loaded: LoadedModel, ann?: AnnBaseline): ModelEstimate {
  const { model } = loaded;
  const geometry = geometryOf(model);
  const warnings: string[] = [];
  const mappings = workload.layers.map((l) => mapLayer(l.nIn, l.nOut, geometry));
  const cores = mappings.reduce((s, m) => s + m.cores, 0);
  const chipCores = model.parallelism.cores?.value;
  if (chipCores !== undefined && cores > chipCores) {
    warnings.push(`the workload needs ${cores} cores; one ${model.name} chip has ${chipCores} (several chips assumed; inter-chip costs not modelled)`);
  }
  const layers: LayerEstimate[] = workload.layers.map((layer, i) => {
    const mapping = mappings[i]!;
    for (const w of mapping.warnings) warnings.push(`layer ${layer.name}: ${w}`);
    if (layer.kind === 'conv' && layer.rowActivations === undefined) {
      warnings.push(`layer ${layer.name}: rowActivations not given; estimated from synapticEvents and connectionSparsity`);
    }
    const counts = operationCounts(layer, mapping, model);
    return { layer: layer.name, mapping, counts, energy: estimateEnergy(counts, model, 0, 0, workload.samples) };
  });
  const counts = layers.reduce((acc, l) => addOperationCounts(acc, l.counts), zeroOperationCounts());
  const latency = estimateLatency(workload, mappings, model);
  const energy = estimateEnergy(counts, model, cores, latency.modelled ? latency.totalNs : null, workload.samples);
  warnings.push(...precisionWarnings(model, workload));
  if (energy.notModelled.length) warnings.push(`energy not modelled for: ${energy.notModelled.join(', ')} (the total is a lower bound)`);
  if (latency.modelled && !latency.complete) warnings.push(`latency not modelled for: ${latency.notModelled.join(', ')} (the latency is a lower bound)`);
  if (!latency.modelled) warnings.push('no latency figures in this model: latency, static energy and throughput are not modelled');
  if (latency.realTimeOverrun) warnings.push(`a running step needs ${(latency.computeNs + latency.routingNs + latency.syncNs).toFixed(0)} ns, more than the ${latency.tickNs} ns tick: the chip cannot keep real time`);
  const events = counts.synapticEvents;
  const baseline = ann ?? annBaseline(workload);
  return {
    model: {
      name: model.name,
      displayName: model.displayName,
      kind: model.kind,
      file: loaded.file,
      nodeNm: model.technology.nodeNm.value,
      supplyV: model.technology.supplyV?.value ?? null,
      timestep: model.timestep.mode,
    },
    layers,
    counts,
    energy,
    latency,
    throughput: throughputOf(model, workload, latency),
    energyPerSynapticEventPj: events > 0 ? energy.totalPj / events : null,
    snnOverAnnFp32: baseline.fp32PerSamplePj > 0 ? energy.perSamplePj / baseline.fp32PerSamplePj : null,
    snnOverAnnFp32WithWeightFetch: baseline.fp32WithWeightFetchPerSamplePj > 0 ? energy.perSamplePj / baseline.fp32WithWeightFetchPerSamplePj : null,
    warnings,
  };
}

/** The full report: workload summary, NeuroBench metrics, ANN baseline and one estimate per model. */
export function energyReport(workload: Workload, models: LoadedModel[]): EnergyReport {
  const ann = annBaseline(workload);
  const first = workload.layers[0]!.counters;
  return {
    workload: {
      name: workload.name,
      samples: workload.samples,
      timestepMs: workload.timestepMs,
      stepsRun: first.stepsRun,
      stepsSkipped: first.stepsSkipped,
      layers: workload.layers.map((l) => ({ name: l.name, nIn: l.nIn, nOut: l.nOut, kind: l.kind, outputPositions: l.outputPositions, weightBits: l.weightBits })),
    },
    neurobench: neuroBenchMetrics(workload, (i) => rowActivationsOf(workload.layers[i]!)),
    annBaseline: ann,
    models: models.map((m) => estimateModel(workload, m, ann)),
  };
}
