import type { Counters } from '../core/counters.js';
import type { LoadedModel } from '../hw/model.js';
import { resolveModels } from '../hw/model-registry.js';
import { energyReport } from '../hw/estimate.js';
import { workloadFromCounters, type Workload } from '../hw/workload.js';
import type { EpochEnergy } from './records.js';

/** The hardware models named by --hw-models ("none" = no energy accounting). */
export function loadHwModels(arg: string): LoadedModel[] {
  return arg.trim() === 'none' ? [] : resolveModels(arg);
}

/** The workload of one epoch's STDP clustering (learning pass + frozen passes) for the energy accounting. */
export function clusteringWorkload(
  counters: Counters, samples: number, nInputs: number, neurons: number, timestepMs: number, epoch: number,
): Workload {
  return workloadFromCounters({
    name: `deep-stdp STDP clustering layer ${nInputs}x${neurons}, epoch ${epoch} (learning + frozen passes)`,
    samples: Math.max(1, samples),
    timestepMs,
    layers: [{ name: 'stdp-cluster', nIn: nInputs, nOut: neurons, weightBits: 0, counters }],
  });
}

/** Energy of a workload on each model (docs/energy.md for what each total contains). */
export function epochEnergy(workload: Workload, models: LoadedModel[]): EpochEnergy[] {
  if (models.length === 0) return [];
  return energyReport(workload, models).models.map((m) => ({
    model: m.model.name,
    energyJ: m.energy.totalPj * 1e-12,
    perSampleJ: m.energy.perSamplePj * 1e-12,
    complete: m.energy.complete,
  }));
}
