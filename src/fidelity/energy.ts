/**
 * Energy of a point's on-chip learning under the hardware models: weight writes and programming
 * pulses of the training pass, plus the STDP synapse updates that compute them.
 *   writeEnergyPj    = weightWrites x energyPj.weightWritePerCell + pulses x energyPj.weightWritePerPulse
 *   learningEnergyPj = writeEnergyPj + (stdpPreEvents x nOut + stdpPostEvents x nIn) x energyPj.stdpUpdatePerSynapse
 *                      (terms the model does not price are left out and the result is marked incomplete)
 * Pulses are counted by the weight writer: |level change| of every fixed-point write, |pulses| of every
 * device write (open-loop programming: pulses are spent even where the bound clips the change). The
 * float reference has no levels, so per-pulse costs are not defined for it (null).
 */
import type { Counters } from '../core/counters.js';
import type { LoadedModel, Quantity } from '../hw/model.js';
import { provenance } from '../hw/model.js';

export interface ModelLearningEnergy {
  model: string;
  /** pJ per written cell, per pulse and per STDP synapse update (null: the model gives none). */
  perCellPj: number | null;
  perPulsePj: number | null;
  perStdpUpdatePj: number | null;
  /** Training-pass totals (pJ); null when a needed cost or count is missing. */
  writeEnergyPj: number | null;
  learningEnergyPj: number | null;
  /** Per training sample. */
  writeEnergyPerSamplePj: number | null;
  /** False when the model prices only one of writes and STDP updates (learningEnergyPj is then a lower bound). */
  complete: boolean;
  provenance: string[];
}

export interface LearningCounts {
  counters: Counters;
  /** Programming pulses (null for float weights). */
  pulses: number | null;
  samples: number;
  nIn: number;
  nOut: number;
}

function cost(q: Quantity | undefined): number | null {
  return q === undefined ? null : q.value;
}

/** Models that price weight writes or STDP updates. */
export function modelsWithLearningCosts(models: LoadedModel[]): LoadedModel[] {
  return models.filter(({ model: m }) => m.energyPj.weightWritePerCell || m.energyPj.weightWritePerPulse || m.energyPj.stdpUpdatePerSynapse);
}

export function learningEnergy(c: LearningCounts, loaded: LoadedModel): ModelLearningEnergy {
  const m = loaded.model;
  const perCell = cost(m.energyPj.weightWritePerCell);
  const perPulse = cost(m.energyPj.weightWritePerPulse);
  const perStdp = cost(m.energyPj.stdpUpdatePerSynapse);
  let write: number | null = 0;
  if (perCell !== null) write += c.counters.weightWrites * perCell;
  if (perPulse !== null) write = c.pulses === null ? null : write + c.pulses * perPulse;
  if (perCell === null && perPulse === null) write = null;
  const updates = c.counters.stdpPreEvents * c.nOut + c.counters.stdpPostEvents * c.nIn;
  const learning = write === null && perStdp === null ? null : (write ?? 0) + (perStdp ?? 0) * updates;
  const complete = write !== null && perStdp !== null;
  const prov: string[] = [];
  for (const [name, q] of [['weightWritePerCell', m.energyPj.weightWritePerCell], ['weightWritePerPulse', m.energyPj.weightWritePerPulse], ['stdpUpdatePerSynapse', m.energyPj.stdpUpdatePerSynapse]] as const) {
    if (q) prov.push(`${name}: ${provenance(q)}`);
  }
  return {
    model: m.name,
    perCellPj: perCell,
    perPulsePj: perPulse,
    perStdpUpdatePj: perStdp,
    writeEnergyPj: write,
    learningEnergyPj: learning,
    writeEnergyPerSamplePj: write === null || c.samples === 0 ? null : write / c.samples,
    complete,
    provenance: prov,
  };
}
