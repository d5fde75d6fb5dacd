/**
 * `deep-stdp fidelity`: the sweep of weight stores (float32 reference vs bits x rounding x device)
 * on one workload, run on worker threads, compared with the float reference of each seed, and
 * written as fidelity.json / .csv / plots / weight images (docs/fidelity.md).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend } from '../core/layer.js';
import { ValidationError, requireInteger, requireOneOf } from '../errors.js';
import { loadShippedModels } from '../hw/model-registry.js';
import { runInfo } from '../report/run-info.js';
import { deviceSpecFor, resolveDeviceParameters, type DeviceOverrides, type DeviceParametersUsed } from './devices.js';
import { modelsWithLearningCosts } from './energy.js';
import type { PointOutcome, PointTask } from './point.js';
import { runPoints } from './pool.js';
import { JSON_FILE, CSV_FILE, HISTOGRAMS_CSV_FILE, POST_TRAINING_CSV_FILE, SUMMARY_CSV_FILE, writeFidelityOutputs, writePointImage } from './report.js';
import { FIDELITY_KIND, FIDELITY_VERSION, pointRecord, sortRecords, summarise, summarisePostTraining, type FidelityResults, type PointRecord, type Reference, type WorkloadInfo } from './results.js';
import { JOURNAL_FILE, PointJournal } from './journal.js';
import {
  expandSweep, parseShard, resolveGrid, shardPoints, WORKLOADS, type Commit, type DeviceName, type Rounding, type Shard, type WorkloadName,
} from './sweep.js';
import { dcMnistWorkload, type WorkloadData } from './workload.js';
import { clusterWorkload } from './cluster-workload.js';

export const IMAGE_CHOICES = ['first-seed', 'all', 'none'] as const;
export type ImageChoice = (typeof IMAGE_CHOICES)[number];

export interface FidelityOptions {
  workload: WorkloadName;
  /** dc-mnist: dataset spec, network size and image counts. */
  dataset?: string;
  neurons?: number;
  train?: number;
  label?: number;
  test?: number;
  probe?: number;
  epochs?: number;
  /** deep-stdp-cluster: a `deep-stdp train` run's checkpoint folder (…/checkpoints/stdp-s1). */
  checkpoint?: string;
  bits: number[];
  rounding: Rounding[];
  device: DeviceName[];
  seeds: number[];
  /** When the fixed-point (ideal) points round their changes (default 'per-update'); part of the grid. */
  commit?: Commit;
  /** Hardware model whose "device" section gives NL, cycle-to-cycle and device-to-device parameters. */
  hwModel?: string;
  deviceOverrides?: DeviceOverrides;
  /** "i/N": run slice i of N (see shardPoints). */
  shard?: string | null;
  threads?: number;
  backend?: Backend;
  /** Output folder; null writes nothing (tests). */
  out: string | null;
  /** Continue the sweep journalled in `out` (points.jsonl): finished points are not run again. */
  resume?: boolean;
  images?: ImageChoice;
  /** Also evaluate each float reference with its trained weights rounded to every bit width (default true). */
  postTraining?: boolean;
}

export interface FidelityHooks {
  onStart?: (points: number, workload: WorkloadInfo) => void;
  onProgress?: (id: string, phase: 'train' | 'label' | 'test', done: number, total: number) => void;
  onPointDone?: (record: PointRecord, done: number, total: number) => void;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export const FIDELITY_DEFAULTS = {
  dataset: 'mnist',
  neurons: 100,
  train: 2000,
  test: 1000,
  probe: 200,
  epochs: 1,
  hwModel: 'rram-neurosim',
  images: 'first-seed' as ImageChoice,
};

/** Loads the workload's data (the clustering workload runs the checkpoint's ConvNet first). */
export async function loadWorkload(o: FidelityOptions): Promise<WorkloadData> {
  if (o.workload === 'dc-mnist') {
    const train = o.train ?? FIDELITY_DEFAULTS.train;
    const test = o.test ?? FIDELITY_DEFAULTS.test;
    return dcMnistWorkload({
      dataset: o.dataset ?? FIDELITY_DEFAULTS.dataset,
      neurons: o.neurons ?? FIDELITY_DEFAULTS.neurons,
      train,
      label: o.label ?? train,
      test,
      probe: o.probe ?? Math.min(FIDELITY_DEFAULTS.probe, test),
    });
  }
  if (!o.checkpoint) throw new ValidationError('--checkpoint', o.checkpoint, 'the checkpoint folder of a `deep-stdp train` run (e.g. runs/x/checkpoints/stdp-s1) for --workload deep-stdp-cluster');
  return clusterWorkload({ checkpoint: o.checkpoint, ...(o.train !== undefined ? { train: o.train } : {}), ...(o.probe !== undefined ? { probe: o.probe } : {}) });
}

export function workloadInfo(data: WorkloadData, epochs: number): WorkloadInfo {
  return {
    name: data.name,
    description: data.description,
    nIn: data.nIn,
    nOut: data.preset.nNeurons,
    classes: data.classes,
    evaluation: data.evaluation,
    train: data.train.count,
    label: data.label?.count ?? null,
    test: data.test.count,
    probe: data.probe,
    epochs,
    preset: data.preset,
    source: data.source,
  };
}

function needsDevice(devices: DeviceName[]): boolean {
  return devices.some((d) => d !== 'ideal');
}

/** Device parameters used by the grid's analog devices (null when the grid has only ideal devices). */
export function deviceParametersFor(o: Pick<FidelityOptions, 'device' | 'hwModel' | 'deviceOverrides'>): DeviceParametersUsed | null {
  if (!needsDevice(o.device)) return null;
  return resolveDeviceParameters(o.hwModel ?? FIDELITY_DEFAULTS.hwModel, o.deviceOverrides ?? {});
}

/** Runs the sweep (or one slice of it) and, with `out`, writes its files. */
export async function runFidelity(o: FidelityOptions, hooks: FidelityHooks = {}): Promise<FidelityResults> {
  const t0 = performance.now();
  requireOneOf('--workload', o.workload, WORKLOADS);
  const grid = resolveGrid({ bits: o.bits, rounding: o.rounding, device: o.device, seeds: o.seeds, commit: o.commit });
  const shard: Shard | null = o.shard ? parseShard(o.shard) : null;
  const threads = requireInteger('--threads', o.threads ?? 1, 1, 256);
  const epochs = requireInteger('--epochs', o.epochs ?? FIDELITY_DEFAULTS.epochs, 1, 100);
  const images = requireOneOf('--images', o.images ?? FIDELITY_DEFAULTS.images, IMAGE_CHOICES);
  if (o.out !== null && (typeof o.out !== 'string' || o.out.trim() === '')) throw new ValidationError('--out', o.out, 'a folder path');
  const deviceParameters = deviceParametersFor(o);
  const energyModels = modelsWithLearningCosts(loadShippedModels());
  const data = await loadWorkload(o);
  const info = workloadInfo(data, epochs);
  const nIn = data.nIn;
  const nOut = data.preset.nNeurons;

  // The journal lets an interrupted sweep continue: finished points are skipped on --resume.
  const postTrainingBits = o.postTraining === false ? [] : grid.bits;
  const identity = JSON.stringify({ workload: info, grid, shard, deviceParameters, postTrainingBits });
  const journal = o.out !== null ? new PointJournal(o.out, identity) : null;
  const floats = new Map<number, Reference>();
  const records: PointRecord[] = [];
  const imageFiles: Record<string, string> = {};
  if (o.resume && !journal) throw new ValidationError('--resume', true, 'a run with --out (the folder holding points.jsonl)');
  if (o.resume && journal && existsSync(join(o.out!, JOURNAL_FILE))) {
    const saved = journal.load();
    records.push(...saved.records);
    for (const [seed, ref] of saved.references) floats.set(seed, ref);
    for (const r of saved.records) {
      const file = join('weights', `${r.id}.png`);
      if (existsSync(join(o.out!, file))) imageFiles[r.id] = file;
    }
    if (saved.records.length) hooks.log?.(`resuming: ${saved.records.length} point(s) already done`);
  } else journal?.start();
  const finished = new Set(records.map((r) => r.id));

  const points = shardPoints(expandSweep(grid), shard).filter((p) => !finished.has(p.id));
  const tasks: PointTask[] = points.map((point) => ({
    point,
    device: deviceParameters ? deviceSpecFor(point.device, point.bits, deviceParameters) : null,
    epochs,
    ...(grid.commit ? { commit: grid.commit } : {}),
    ...(o.backend ? { backend: o.backend } : {}),
    ...(point.bits === 0 && postTrainingBits.length ? { postTrainingBits } : {}),
  }));
  hooks.onStart?.(tasks.length, info);

  const waiting: { task: PointTask; outcome: PointOutcome }[] = [];
  let done = 0;
  const finish = (task: PointTask, outcome: PointOutcome, record: PointRecord) => {
    records.push(record);
    journal?.append(record, task.point.bits === 0 ? outcome : undefined);
    const wantImage = data.field && o.out !== null && (images === 'all' || (images === 'first-seed' && task.point.seed === grid.seeds[0]));
    if (wantImage) imageFiles[record.id] = writePointImage(o.out!, record.id, outcome.weights, { workload: info }, data.field!);
    done++;
    hooks.onPointDone?.(record, done, tasks.length);
  };
  await runPoints(data, tasks, {
    threads,
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onDone: (task, outcome) => {
      if (task.point.bits === 0) {
        const record = pointRecord(task, outcome, null, nIn, nOut, energyModels);
        floats.set(task.point.seed, { record, weights: outcome.weights, probeResponses: outcome.probeResponses });
        finish(task, outcome, record);
        for (let k = waiting.length - 1; k >= 0; k--) {
          const w = waiting[k]!;
          if (w.task.point.seed !== task.point.seed) continue;
          waiting.splice(k, 1);
          finish(w.task, w.outcome, pointRecord(w.task, w.outcome, floats.get(w.task.point.seed)!, nIn, nOut, energyModels));
        }
        return;
      }
      const ref = floats.get(task.point.seed);
      if (ref) finish(task, outcome, pointRecord(task, outcome, ref, nIn, nOut, energyModels));
      else waiting.push({ task, outcome });
    },
  });
  if (waiting.length) throw new Error(`points without a float reference: ${waiting.map((w) => w.task.point.id).join(', ')}`);

  const sorted = sortRecords(records, grid);
  const results: FidelityResults = {
    kind: FIDELITY_KIND,
    version: FIDELITY_VERSION,
    workload: info,
    grid,
    shard,
    mergedFrom: null,
    deviceParameters,
    energyModels: energyModels.map((m) => m.model.name),
    points: sorted,
    summary: summarise(sorted, grid),
    postTrainingBits,
    postTrainingSummary: summarisePostTraining(sorted, postTrainingBits),
    files: { json: JSON_FILE, csv: CSV_FILE, histogramsCsv: HISTOGRAMS_CSV_FILE, summaryCsv: SUMMARY_CSV_FILE, postTrainingCsv: postTrainingBits.length ? POST_TRAINING_CSV_FILE : null, plots: [], images: imageFiles },
    wallSeconds: (performance.now() - t0) / 1000,
    threads,
    runInfo: runInfo('deep-stdp fidelity', { ...o, out: o.out }, grid.seeds),
  };
  if (o.out !== null) {
    await writeFidelityOutputs(o.out, results);
    hooks.log?.(`wrote ${join(o.out, JSON_FILE)}`);
  }
  return results;
}
