import type { HardwareModel, OperationName } from './model.js';
import type { CoreBlock, LayerMapping } from './mapping.js';
import { rowActivationsOf, type Workload, type WorkloadLayer } from './workload.js';

/** Sequential work of one core in one average running step, per operation, in ns. */
export type CoreWorkNs = Partial<Record<OperationName, number>>;

export interface SlowestCore {
  layer: string;
  rows: number;
  cols: number;
  holdsNeurons: boolean;
  workNs: number;
  terms: CoreWorkNs;
}

export interface LatencyEstimate {
  /** False for models without any latency figure or tick (e.g. the arithmetic baseline): every time below is 0. */
  modelled: boolean;
  /** True when every operation that occurs has a latency in the model. */
  complete: boolean;
  /** Operations that occur in the workload but have no latency in the model (the result is a lower bound). */
  notModelled: OperationName[];
  slowestCore: SlowestCore | null;
  computeNs: number;
  routingNs: number;
  syncNs: number;
  tickNs: number | null;
  /** Duration of an average running step: max(tick, compute + routing + sync). */
  runStepNs: number;
  /** Duration of a skipped step: max(tick, idle neuron updates + optional sync). */
  idleStepNs: number;
  /** True when a running step needs more than the fixed tick (the chip cannot keep real time). */
  realTimeOverrun: boolean;
  stepsRun: number;
  stepsSkipped: number;
  totalNs: number;
  perSampleNs: number;
  cores: number;
  meshTiles: number;
}

const num = (x: number | undefined, fallback: number): number => (x === undefined ? fallback : x);

/**
 * Work of one core of `block` in an average running step of `layer`. Counts are spread uniformly
 * over rows, columns and running steps (the counters are totals), then each is multiplied by the
 * operation's latency and divided by the parallel lanes the model declares.
 */
function coreWork(layer: WorkloadLayer, block: CoreBlock, model: HardwareModel, present: Set<OperationName>): CoreWorkNs {
  const c = layer.counters;
  const steps = c.stepsRun;
  const rowFrac = block.rows / layer.nIn;
  const colFrac = block.cols / layer.nOut;
  const positions = layer.outputPositions;
  const lat = model.latencyNs;
  const synLanes = num(model.parallelism.synapticOpsPerCycle?.value, 1);
  const neuronLanes = num(model.parallelism.neuronUpdatesInParallel?.value, 1);
  const adcs = num(model.parallelism.adcsPerCore?.value, block.cols);
  const pulses = num(model.writePulsesPerWeightWrite?.value, 1);
  const perStep = (total: number): number => total / steps;
  const counts: Partial<Record<OperationName, number>> = {
    synapticEvent: perStep(c.synapticEvents * rowFrac * colFrac) / synLanes,
    crossbarCellRead: rowActivationsOf(layer) > 0 ? positions : 0,
    dacConversion: rowActivationsOf(layer) > 0 ? positions : 0,
    adcConversion: positions * Math.ceil(block.cols / adcs),
    coreStepOverhead: positions,
    neuronUpdateActive: block.holdsNeurons ? perStep(c.neuronUpdates * colFrac) / neuronLanes : 0,
    spikeOut: block.holdsNeurons ? perStep(c.outputSpikes * colFrac) : 0,
    stdpUpdatePerSynapse: perStep(c.stdpPreEvents * rowFrac * block.cols + c.stdpPostEvents * colFrac * block.rows),
    traceUpdate: perStep(c.stdpPreEvents * rowFrac + (block.holdsNeurons ? c.stdpPostEvents * colFrac : 0)),
    weightWritePerCell: perStep(c.weightWrites * rowFrac * colFrac),
    weightWritePerPulse: perStep(c.weightWrites * rowFrac * colFrac) * pulses,
  };
  const terms: CoreWorkNs = {};
  for (const [op, count] of Object.entries(counts) as [OperationName, number][]) {
    if (!(count > 0)) continue;
    const q = lat[op];
    if (q === undefined) {
      if (EXPECTED_LATENCY[model.kind].includes(op)) present.add(op);
      continue;
    }
    terms[op] = count * q.value;
  }
  return terms;
}

/** Operations whose latency a model of each kind is expected to give (missing = not modelled). */
const EXPECTED_LATENCY: Record<HardwareModel['kind'], OperationName[]> = {
  digital: ['synapticEvent', 'neuronUpdateActive', 'spikeOut', 'stdpUpdatePerSynapse', 'traceUpdate', 'weightWritePerCell'],
  'analog-crossbar': ['crossbarCellRead', 'dacConversion', 'adcConversion', 'coreStepOverhead', 'neuronUpdateActive', 'stdpUpdatePerSynapse', 'traceUpdate', 'weightWritePerPulse'],
  'arithmetic-baseline': [],
};

function sum(terms: CoreWorkNs): number {
  let s = 0;
  for (const v of Object.values(terms)) s += v ?? 0;
  return s;
}

/**
 * Latency of the workload on the model (docs/energy.md, "Latency"): per running step, the slowest
 * core's sequential work plus one routing traversal plus barrier synchronisation, at least the
 * fixed tick; per skipped step, only what the model's idleStep says; summed over steps.
 */
export function estimateLatency(workload: Workload, mappings: LayerMapping[], model: HardwareModel): LatencyEstimate {
  const first = workload.layers[0]!.counters;
  const stepsRun = first.stepsRun;
  const stepsSkipped = first.stepsSkipped;
  const cores = mappings.reduce((s, m) => s + m.cores, 0);
  const coresPerMeshTile = num(model.parallelism.coresPerMeshTile?.value, 1);
  const meshTiles = Math.ceil(cores / coresPerMeshTile);
  const base = { stepsRun, stepsSkipped, cores, meshTiles };
  const hasTiming = Object.keys(model.latencyNs).length > 0 || model.timestep.mode === 'fixed-tick';
  if (model.kind === 'arithmetic-baseline' || !hasTiming) {
    return {
      ...base, modelled: false, complete: false, notModelled: [], slowestCore: null, computeNs: 0, routingNs: 0, syncNs: 0,
      tickNs: null, runStepNs: 0, idleStepNs: 0, realTimeOverrun: false, totalNs: 0, perSampleNs: 0,
    };
  }
  const lat = model.latencyNs;
  const missing = new Set<OperationName>();
  let slowest: SlowestCore | null = null;
  if (stepsRun > 0) {
    workload.layers.forEach((layer, i) => {
      for (const block of mappings[i]!.blocks) {
        const terms = coreWork(layer, block, model, missing);
        const workNs = sum(terms);
        if (!slowest || workNs > slowest.workNs) {
          slowest = { layer: layer.name, rows: block.rows, cols: block.cols, holdsNeurons: block.holdsNeurons, workNs, terms };
        }
      }
    });
  }
  const computeNs = (slowest as SlowestCore | null)?.workNs ?? 0;
  const traffic = workload.layers.some((l) => l.counters.inputSpikes + l.counters.outputSpikes > 0);
  const hops = model.routing?.meanHopsPerPacket.value ?? 0;
  let routingNs = 0;
  if (traffic && hops > 0) {
    if (lat.routingHop) routingNs = hops * lat.routingHop.value;
    else if (model.kind === 'digital') missing.add('routingHop');
  }
  const syncNs = lat.barrierSync ? lat.barrierSync.value + (lat.barrierSyncPerExtraMeshTile?.value ?? 0) * Math.max(0, meshTiles - 1) : 0;
  const tickNs = model.timestep.mode === 'fixed-tick' && model.timestep.tickUs ? model.timestep.tickUs.value * 1000 : null;
  const busyNs = computeNs + routingNs + syncNs;
  const runStepNs = tickNs === null ? busyNs : Math.max(tickNs, busyNs);

  let idleWorkNs = 0;
  if (stepsSkipped > 0 && model.idleStep.neuronsUpdated) {
    const neuronLanes = num(model.parallelism.neuronUpdatesInParallel?.value, 1);
    workload.layers.forEach((layer, i) => {
      for (const block of mappings[i]!.blocks) {
        if (!block.holdsNeurons) continue;
        if (!lat.neuronUpdateIdle) {
          missing.add('neuronUpdateIdle');
          continue;
        }
        idleWorkNs = Math.max(idleWorkNs, (block.cols * layer.outputPositions * lat.neuronUpdateIdle.value) / neuronLanes);
      }
    });
  }
  const idleBusyNs = idleWorkNs + (model.idleStep.barrierSync ? syncNs : 0);
  const idleStepNs = tickNs === null ? idleBusyNs : Math.max(tickNs, idleBusyNs);
  const totalNs = stepsRun * runStepNs + stepsSkipped * idleStepNs;
  const notModelled = [...missing].sort();
  return {
    ...base,
    modelled: true,
    complete: notModelled.length === 0,
    notModelled,
    slowestCore: slowest,
    computeNs,
    routingNs,
    syncNs,
    tickNs,
    runStepNs,
    idleStepNs,
    realTimeOverrun: tickNs !== null && busyNs > tickNs,
    totalNs,
    perSampleNs: totalNs / workload.samples,
  };
}
