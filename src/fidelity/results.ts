/**
 * The fidelity result document (fidelity.json) and how a finished point becomes a record: its own
 * measurements, its differences to the float reference of its seed, and its learning energy.
 */
import type { Counters } from '../core/counters.js';
import type { LoadedModel } from '../hw/model.js';
import type { RunInfo } from '../report/run-info.js';
import type { DiehlCookPreset } from '../snn/presets/diehl-cook.js';
import type { DeviceSpec, PhaseWriteStats } from './device-model.js';
import type { DeviceParametersUsed } from './devices.js';
import { learningEnergy, type ModelLearningEnergy } from './energy.js';
import { matchPrototypes, meanStd, spikeAgreement, type SpikeAgreement } from './metrics.js';
import type { PassSummary, PointOutcome, PointTask } from './point.js';
import type { DeviceName, Rounding, Shard, SweepGrid, WorkloadName } from './sweep.js';

export const FIDELITY_KIND = 'deep-stdp fidelity';
export const FIDELITY_VERSION = 2;

export type WriteCounts = Omit<PhaseWriteStats, 'histogram'>;

export interface PointRecord {
  id: string;
  seed: number;
  /** 0 = float32 reference. */
  bits: number;
  rounding: Rounding | null;
  device: DeviceName | 'float';
  accuracy: number;
  nmi: number;
  /** Differences to the float reference of the same seed (point - float); null for the reference. */
  accuracyDelta: number | null;
  nmiDelta: number | null;
  /** Mean cosine of matched prototypes (weight vectors) against the float reference. */
  prototypeCosine: number | null;
  /** Spike-count agreement on the probe set against the float reference. */
  probe: SpikeAgreement | null;
  /** STDP updates lost to rounding / STDP updates requested (training pass). */
  lostFraction: number | null;
  silentTestSamples: number;
  silentNeurons: number;
  /** Every initial weight rounded to 0: the network can never fire; reported without simulation (see PointMeasurement.dead). */
  dead: boolean;
  /** Write statistics of the training pass: STDP updates and the per-sample normalisation. */
  stdpUpdates: WriteCounts;
  normalisationUpdates: WriteCounts;
  /** Applied changes in bins of `unit` weight units (one level of the point's store; float: wMax / 255). */
  histogram: { unit: number; half: number; stdp: number[]; normalisation: number[] };
  /** Layer counters of the training pass. */
  trainCounters: Counters;
  energy: ModelLearningEnergy[];
  train: PassSummary;
  label: PassSummary | null;
  test: PassSummary;
  /** The analog device's parameters at this point (null: float or ideal levels). */
  deviceSpec: DeviceSpec | null;
  /**
   * Float reference only (empty otherwise): its trained weights rounded to each bit width of the grid
   * (nearest, ideal levels) and evaluated on the same frozen inputs, with differences to float.
   */
  postTraining: PostTrainingRecord[];
  backend: string;
  wallSeconds: number;
}

export interface PostTrainingRecord {
  bits: number;
  accuracy: number;
  nmi: number;
  accuracyDelta: number;
  nmiDelta: number;
  silentTestSamples: number;
}

/** Post-training rounding of the float weights, per bit width: means over seeds. */
export interface PostTrainingRow {
  bits: number;
  seeds: number;
  accuracyMean: number;
  accuracyStd: number;
  accuracyDeltaMean: number;
  nmiMean: number;
}

/** Aggregate of one grid cell (bits, rounding, device) over seeds. */
export interface SummaryRow {
  bits: number;
  rounding: Rounding | null;
  device: DeviceName | 'float';
  seeds: number;
  /** Seeds whose network was dead (every initial weight rounded to 0). */
  deadSeeds: number;
  accuracyMean: number;
  accuracyStd: number;
  accuracyDeltaMean: number | null;
  nmiMean: number;
  nmiDeltaMean: number | null;
  prototypeCosineMean: number | null;
  winnerAgreementMean: number | null;
  lostFractionMean: number | null;
  weightWritesMean: number;
  pulsesMean: number | null;
}

export interface WorkloadInfo {
  name: WorkloadName;
  description: string;
  nIn: number;
  nOut: number;
  classes: number;
  evaluation: string;
  train: number;
  label: number | null;
  test: number;
  probe: number;
  epochs: number;
  /** The network (Diehl & Cook preset, float weights; points change only the weight store). */
  preset: DiehlCookPreset;
  source: Record<string, unknown>;
}

export interface FidelityResults {
  kind: typeof FIDELITY_KIND;
  version: typeof FIDELITY_VERSION;
  workload: WorkloadInfo;
  grid: SweepGrid;
  /** The slice this file holds (null: the whole sweep, run at once or merged). */
  shard: Shard | null;
  /** Slices merged into this file (merge only). */
  mergedFrom: string[] | null;
  /** Device parameters of the analog devices (null when the grid has only ideal devices). */
  deviceParameters: DeviceParametersUsed | null;
  /** Learning-energy models (shipped models that price writes or STDP updates). */
  energyModels: string[];
  points: PointRecord[];
  summary: SummaryRow[];
  /** Bit widths of the post-training baseline (empty: not measured). */
  postTrainingBits: number[];
  postTrainingSummary: PostTrainingRow[];
  files: { json: string; csv: string; histogramsCsv: string; summaryCsv: string; postTrainingCsv: string | null; plots: string[]; images: Record<string, string> };
  wallSeconds: number;
  threads: number;
  runInfo: RunInfo;
}

function writeCounts(s: PhaseWriteStats): WriteCounts {
  return { attempts: s.attempts, lost: s.lost, saturated: s.saturated, writes: s.writes, pulses: s.pulses };
}

/** What a point is compared with: the float reference of its seed. */
export interface Reference {
  record: PointRecord;
  weights: Float32Array;
  probeResponses: Uint32Array;
}

/** The record of a finished point; `reference` is the float reference of its seed (null for the reference itself). */
export function pointRecord(
  task: PointTask, outcome: PointOutcome, reference: Reference | null,
  nIn: number, nOut: number, energyModels: LoadedModel[],
): PointRecord {
  const m = outcome.measurement;
  const p = task.point;
  const ws = m.writeStats;
  let prototypeCosine: number | null = null;
  let probe: SpikeAgreement | null = null;
  if (reference) {
    const match = matchPrototypes(outcome.weights, reference.weights, nIn, nOut);
    prototypeCosine = match.meanCosine;
    probe = spikeAgreement(outcome.probeResponses, reference.probeResponses, match.toReference, nOut);
  }
  const pulses = p.bits === 0 ? null : ws.stdp.pulses + ws.normalisation.pulses;
  return {
    id: p.id,
    seed: p.seed,
    bits: p.bits,
    rounding: p.rounding,
    device: p.device,
    accuracy: m.accuracy,
    nmi: m.nmi,
    accuracyDelta: reference ? m.accuracy - reference.record.accuracy : null,
    nmiDelta: reference ? m.nmi - reference.record.nmi : null,
    prototypeCosine,
    probe,
    lostFraction: ws.stdp.attempts > 0 ? ws.stdp.lost / ws.stdp.attempts : null,
    silentTestSamples: m.silent,
    silentNeurons: m.silentNeurons,
    dead: m.dead,
    stdpUpdates: writeCounts(ws.stdp),
    normalisationUpdates: writeCounts(ws.normalisation),
    histogram: { unit: ws.unit, half: ws.histogramHalf, stdp: ws.stdp.histogram, normalisation: ws.normalisation.histogram },
    trainCounters: m.trainCounters,
    // A dead point's counters were not measured: no energy figures for it.
    energy: m.dead ? [] : energyModels.map((model) => learningEnergy({ counters: m.trainCounters, pulses, samples: m.train.samples, nIn, nOut }, model)),
    train: m.train,
    label: m.label,
    test: m.test,
    deviceSpec: task.device,
    postTraining: m.postTraining.map((q) => ({
      bits: q.bits,
      accuracy: q.accuracy,
      nmi: q.nmi,
      accuracyDelta: q.accuracy - m.accuracy,
      nmiDelta: q.nmi - m.nmi,
      silentTestSamples: q.silent,
    })),
    backend: m.backend,
    wallSeconds: m.wallSeconds,
  };
}

/** Canonical order of records: seed order of the grid, float first, then bits, rounding, device as in the grid. */
export function sortRecords(points: PointRecord[], grid: SweepGrid): PointRecord[] {
  const rank = (r: PointRecord): number[] => [
    grid.seeds.indexOf(r.seed),
    r.bits === 0 ? -1 : grid.bits.indexOf(r.bits),
    r.rounding === null ? -1 : grid.rounding.indexOf(r.rounding),
    r.device === 'float' ? -1 : grid.device.indexOf(r.device),
  ];
  return [...points].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return 0;
  });
}

function meanOrNull(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length === values.length && v.length > 0 ? meanStd(v).mean : null;
}

/** One row per (bits, rounding, device) with means over seeds (float first). */
export function summarise(points: PointRecord[], grid: SweepGrid): SummaryRow[] {
  const groups = new Map<string, PointRecord[]>();
  for (const r of sortRecords(points, grid)) {
    const key = `${r.bits}|${r.rounding}|${r.device}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const rows: SummaryRow[] = [];
  for (const g of groups.values()) {
    const first = g[0]!;
    const acc = meanStd(g.map((r) => r.accuracy));
    rows.push({
      bits: first.bits,
      rounding: first.rounding,
      device: first.device,
      seeds: g.length,
      deadSeeds: g.filter((r) => r.dead).length,
      accuracyMean: acc.mean,
      accuracyStd: acc.std,
      accuracyDeltaMean: meanOrNull(g.map((r) => r.accuracyDelta)),
      nmiMean: meanStd(g.map((r) => r.nmi)).mean,
      nmiDeltaMean: meanOrNull(g.map((r) => r.nmiDelta)),
      prototypeCosineMean: meanOrNull(g.map((r) => r.prototypeCosine)),
      winnerAgreementMean: meanOrNull(g.map((r) => r.probe?.winnerAgreement ?? null)),
      lostFractionMean: meanOrNull(g.map((r) => r.lostFraction)),
      weightWritesMean: meanStd(g.map((r) => r.trainCounters.weightWrites)).mean,
      pulsesMean: first.bits === 0 ? null : meanStd(g.map((r) => r.stdpUpdates.pulses + r.normalisationUpdates.pulses)).mean,
    });
  }
  return rows.sort((a, b) => a.bits - b.bits || grid.rounding.indexOf(a.rounding!) - grid.rounding.indexOf(b.rounding!) || grid.device.indexOf(a.device as DeviceName) - grid.device.indexOf(b.device as DeviceName));
}

/** One row per bit width of the post-training baseline, means over the float references' seeds. */
export function summarisePostTraining(points: PointRecord[], bits: number[]): PostTrainingRow[] {
  const rows: PostTrainingRow[] = [];
  for (const b of bits) {
    const g = points.filter((r) => r.bits === 0).flatMap((r) => r.postTraining.filter((q) => q.bits === b));
    if (g.length === 0) continue;
    const acc = meanStd(g.map((q) => q.accuracy));
    rows.push({
      bits: b,
      seeds: g.length,
      accuracyMean: acc.mean,
      accuracyStd: acc.std,
      accuracyDeltaMean: meanStd(g.map((q) => q.accuracyDelta)).mean,
      nmiMean: meanStd(g.map((q) => q.nmi)).mean,
    });
  }
  return rows;
}
