import { type HardwareModel, provenance } from './model.js';
import { loadModel } from './model-registry.js';
import type { Workload } from './workload.js';

/** The model whose annBaseline constants are used (Horowitz 2014, 45 nm). */
export const ANN_BASELINE_MODEL = 'horowitz-45nm';

export const ANN_CAVEAT =
  'Arithmetic only (45 nm): on real chips the weight fetch usually dominates (a 32-bit SRAM load costs more than the fp32 MAC), ' +
  'so the "with weight fetch" line is the fairer comparison; an ANN needs one pass per sample, the SNN runs every timestep.';

export interface AnnBaseline {
  model: string;
  /** Dense multiply-accumulates per sample: nIn x nOut x outputPositions, summed over layers (one pass). */
  macsPerSample: number;
  fp32PerSamplePj: number;
  int8PerSamplePj: number;
  /** fp32 MACs plus one 32-bit SRAM weight load per MAC. */
  fp32WithWeightFetchPerSamplePj: number;
  constants: { macFp32Pj: number; macInt8Pj: number; weightLoad32BitPj: number };
  provenance: { macFp32Pj: string; macInt8Pj: string; weightLoad32BitPj: string };
  caveat: string;
}

/** ANN equivalent of the workload's layers: one dense pass per sample at 45 nm (docs/energy.md). */
export function annBaseline(workload: Workload, baseline: HardwareModel = loadModel(ANN_BASELINE_MODEL).model): AnnBaseline {
  const a = baseline.annBaseline;
  if (!a) throw new Error(`model ${baseline.name} has no annBaseline section`);
  const macsPerSample = workload.layers.reduce((s, l) => s + l.nIn * l.nOut * l.outputPositions, 0);
  return {
    model: baseline.name,
    macsPerSample,
    fp32PerSamplePj: macsPerSample * a.macFp32Pj.value,
    int8PerSamplePj: macsPerSample * a.macInt8Pj.value,
    fp32WithWeightFetchPerSamplePj: macsPerSample * (a.macFp32Pj.value + a.weightLoad32BitPj.value),
    constants: { macFp32Pj: a.macFp32Pj.value, macInt8Pj: a.macInt8Pj.value, weightLoad32BitPj: a.weightLoad32BitPj.value },
    provenance: { macFp32Pj: provenance(a.macFp32Pj), macInt8Pj: provenance(a.macInt8Pj), weightLoad32BitPj: provenance(a.weightLoad32BitPj) },
    caveat: ANN_CAVEAT,
  };
}
