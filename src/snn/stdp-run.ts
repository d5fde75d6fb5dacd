import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend } from '../core/layer.js';
import { addCounters, zeroCounters, type Counters } from '../core/counters.js';
import { ValidationError, requireInteger, requireOneOf } from '../errors.js';
import { loadDataset } from '../data/load.js';
import { pixelsPerImage, summarizeDataset, type Dataset, type DatasetSummary } from '../data/dataset.js';
import { Rng, deriveSeed } from '../data/random.js';
import { workloadFromCounters, type Workload } from '../hw/workload.js';
import { writeJsonAtomic } from '../report/atomic.js';
import { writeConfusionMatrix, writeWeightGrid } from '../report/images.js';
import { runInfo, type RunInfo } from '../report/run-info.js';
import { assignLabels, classificationReport, classify, type ClassificationReport } from './labelling.js';
import { defaultThreads, responsePass } from './eval-pool.js';
import { freezeNetwork, type PassStats } from './response-pass.js';
import {
  checkpointExists,
  freshProgress,
  readCheckpoint,
  restoreCheckpoint,
  saveCheckpoint,
  type TrainingProgress,
} from './checkpoint.js';
import { diehlCookPreset, type DiehlCookPreset } from './presets/diehl-cook.js';
import { WtaNetwork } from './wta-network.js';

export const BACKENDS: readonly Backend[] = ['wasm', 'wasm-scalar', 'reference'];
export const ROUNDINGS = ['nearest', 'stochastic', 'truncate'] as const;

/** Options of one `deep-stdp stdp` run (the command's flags, validated). */
export interface StdpRunOptions {
  /** `--dataset` spec (see src/data/load.ts). */
  dataset: string;
  neurons: number;
  /** Training images (the first n of the training split). */
  train: number;
  /** Test images (the first n of the test split). */
  test: number;
  /** Training images used to assign labels (the first n of the training subset); default: all of them. */
  label?: number;
  epochs: number;
  seed: number;
  /** Output folder; null runs without writing anything (tests, benchmarks). */
  out: string | null;
  resume?: boolean;
  /** Worker threads for the labelling and test passes (1 = this thread). */
  threads?: number;
  backend?: Backend;
  /** Samples between checkpoints (0 = only at the end of training). */
  checkpointEvery?: number;
  /** 0 = f32 weights, 1..8 = fixed point with that many bits. */
  weightBits?: number;
  rounding?: (typeof ROUNDINGS)[number];
  /** Fixed point: 'per-update' (default) or 'per-sample' commit of weight changes (docs/core.md). */
  commit?: 'per-update' | 'per-sample';
}

/** Hooks for progress display, interruption and tests. */
export interface StdpRunHooks {
  /** Called when a phase starts; returns the per-item callback (done count, metric). */
  onPhase?: (phase: 'train' | 'label' | 'test', total: number, metricName: string | null) => ((done: number, metric?: number) => void) | void;
  /** Called after each phase ends. */
  onPhaseEnd?: (phase: 'train' | 'label' | 'test') => void;
  /** Human-readable notes (resume, checkpoint). */
  log?: (line: string) => void;
  /** Aborting stops training after the current sample and saves a checkpoint first. */
  signal?: AbortSignal;
  /** Called after every trained sample with the samples done so far (throwing simulates a crash). */
  afterSample?: (samplesDone: number) => void;
}

export interface PhaseSummary {
  samples: number;
  spikesPerSample: number;
  presentationsPerSample: number;
  wallSeconds: number;
  samplesPerSecond: number;
  counters: Counters;
}

export interface StdpResults {
  kind: 'deep-stdp stdp results';
  accuracy: number;
  unclassified: number;
  confusion: number[][];
  perClassAccuracy: number[];
  perClassCount: number[];
  classNames: string[];
  spikesPerSample: number;
  seed: number;
  neurons: number;
  epochs: number;
  train: PhaseSummary & { sessions: number; epochs: number };
  labelling: PhaseSummary & { neuronsPerClass: number[]; unassignedNeurons: number };
  test: PhaseSummary;
  /** Counters summed over the three phases. */
  counters: Counters;
  wallSeconds: number;
  threads: number;
  backend: Backend;
  preset: DiehlCookPreset;
  datasets: { train: DatasetSummary; test: DatasetSummary };
  /** Class of every neuron (-1 = never fired in the labelling pass). */
  assignments: number[];
  options: Record<string, unknown>;
  version: string;
  runInfo: RunInfo;
  /** Training pass workload for `deep-stdp energy` (on-chip learning, per training sample). */
  workload: Workload;
  /** Every phase's workload (train, label, test). */
  workloads: { train: Workload; label: Workload; test: Workload };
  files: string[];
}

/** Options normalised with defaults, validated; throws ValidationError naming the first bad one. */
export function resolveStdpOptions(raw: StdpRunOptions): Required<Omit<StdpRunOptions, 'out' | 'backend' | 'label'>> & {
  out: string | null;
  backend: Backend | undefined;
  label: number;
} {
  if (typeof raw.dataset !== 'string' || raw.dataset.trim() === '') throw new ValidationError('--dataset', raw.dataset, 'a dataset spec such as "mnist"');
  const neurons = requireInteger('--neurons', raw.neurons, 1, 100_000);
  const train = requireInteger('--train', raw.train, 1, 10_000_000);
  const test = requireInteger('--test', raw.test, 1, 10_000_000);
  const label = raw.label === undefined ? train : requireInteger('--label', raw.label, 1, train);
  const epochs = requireInteger('--epochs', raw.epochs, 1, 1000);
  const seed = requireInteger('--seed', raw.seed, 0, 2 ** 32 - 1);
  const threads = requireInteger('--threads', raw.threads ?? defaultThreads(), 1, 256);
  const backend = raw.backend === undefined ? undefined : requireOneOf('--backend', raw.backend, BACKENDS);
  const checkpointEvery = requireInteger('--checkpoint-every', raw.checkpointEvery ?? 5000, 0, 1e9);
  const weightBits = requireInteger('--weight-bits', raw.weightBits ?? 0, 0, 8);
  const rounding = requireOneOf('--rounding', raw.rounding ?? 'nearest', ROUNDINGS);
  const commit = requireOneOf('--commit', raw.commit ?? 'per-update', ['per-update', 'per-sample'] as const);
  if (commit === 'per-sample' && weightBits === 0) {
    throw new ValidationError('--commit', commit, 'per-update with f32 weights (per-sample commit needs --weight-bits 1..8)');
  }
  if (raw.out !== null && (typeof raw.out !== 'string' || raw.out.trim() === '')) throw new ValidationError('--out', raw.out, 'a folder path');
  return { dataset: raw.dataset, neurons, train, test, label, epochs, seed, out: raw.out, resume: raw.resume ?? false, threads, backend, checkpointEvery, weightBits, rounding, commit };
}

/** The options that determine the trained state: a resume must match them exactly. */
function fingerprintOf(o: ReturnType<typeof resolveStdpOptions>, preset: DiehlCookPreset): Record<string, unknown> {
  return {
    dataset: o.dataset,
    neurons: o.neurons,
    train: o.train,
    epochs: o.epochs,
    seed: o.seed,
    'weight-bits': o.weightBits,
    rounding: o.rounding,
    // Only when set, so per-update runs keep their fingerprints (and resume old checkpoints).
    ...(o.commit === 'per-sample' ? { commit: o.commit } : {}),
    preset,
  };
}

function phaseSummary(stats: PassStats, wallSeconds: number): PhaseSummary {
  return {
    samples: stats.samples,
    spikesPerSample: stats.samples > 0 ? stats.spikes / stats.samples : 0,
    presentationsPerSample: stats.samples > 0 ? stats.presentations / stats.samples : 0,
    wallSeconds,
    samplesPerSecond: wallSeconds > 0 ? stats.samples / wallSeconds : 0,
    counters: stats.counters,
  };
}

/** Training order of epoch `e`: a seeded permutation, reshuffled every epoch. */
export function epochOrder(seed: number, epoch: number, n: number): Int32Array {
  return new Rng(deriveSeed(seed, 'stdp-train-order', epoch)).permutation(n);
}

/** RNG keys of the frozen passes: labelling samples use 0.., test samples start here. */
const TEST_KEY_BASE = 1 << 20;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Trains the network on `train` images for `epochs` epochs, checkpointing every `checkpointEvery`
 * samples into `out`. Returns the progress when done. Deterministic: the same options give a
 * bit-identical network whether or not the run was interrupted and resumed.
 */
export async function trainNetwork(
  net: WtaNetwork,
  train: Dataset,
  o: ReturnType<typeof resolveStdpOptions>,
  progress: TrainingProgress,
  fingerprint: Record<string, unknown>,
  hooks: StdpRunHooks,
): Promise<TrainingProgress> {
  const n = train.shape.count;
  const nIn = pixelsPerImage(train);
  const total = n * o.epochs;
  // The progress display counts this session's samples, so its rate and ETA stay right after a resume.
  const startDone = progress.samplesDone;
  const phaseTick = hooks.onPhase?.('train', total - startDone, 'spikes/sample') ?? undefined;
  const tick = phaseTick ? (done: number, metric?: number) => phaseTick(done - startDone, metric) : undefined;
  const startSession = performance.now();
  const wallBefore = progress.wallSeconds;
  const save = () => {
    if (o.out === null) return;
    progress.wallSeconds = wallBefore + (performance.now() - startSession) / 1000;
    saveCheckpoint(o.out, net, fingerprint, progress);
  };
  let lastYield = performance.now();
  let sinceCheckpoint = 0;
  tick?.(progress.samplesDone, progress.samplesDone > 0 ? progress.spikes / progress.samplesDone : undefined);
  while (progress.epoch < o.epochs) {
    const order = epochOrder(o.seed, progress.epoch, n);
    while (progress.position < n) {
      const idx = order[progress.position]!;
      const r = net.trainSample(train.images, idx * nIn);
      progress.position += 1;
      progress.samplesDone += 1;
      progress.presentations += r.presentations;
      progress.spikes += r.spikes;
      sinceCheckpoint += 1;
      hooks.afterSample?.(progress.samplesDone);
      const epochEnd = progress.position === n;
      if (epochEnd) {
        progress.epoch += 1;
        progress.position = 0;
      }
      const done = progress.epoch >= o.epochs;
      if (!done && o.checkpointEvery > 0 && sinceCheckpoint >= o.checkpointEvery) {
        save();
        sinceCheckpoint = 0;
      }
      const now = performance.now();
      // Yield now and then so a SIGINT handler can run; an abort already signalled is honoured at once.
      if (now - lastYield > 100 || done || hooks.signal?.aborted) {
        tick?.(progress.samplesDone, progress.spikes / progress.samplesDone);
        await yieldToEventLoop();
        lastYield = performance.now();
        if (hooks.signal?.aborted && !done) {
          save();
          hooks.log?.(`interrupted: checkpoint saved at sample ${progress.samplesDone} of ${total}`);
          hooks.signal.throwIfAborted();
        }
      }
      if (epochEnd) break;
    }
  }
  progress.wallSeconds = wallBefore + (performance.now() - startSession) / 1000;
  save();
  hooks.onPhaseEnd?.('train');
  return progress;
}

/**
 * The whole experiment: train (or resume), label, test, and (when `out` is set) write results.json,
 * weights.png and confusion-matrix.png.
 */
export async function runStdp(raw: StdpRunOptions, hooks: StdpRunHooks = {}): Promise<StdpResults> {
  const o = resolveStdpOptions(raw);
  const t0 = performance.now();
  const trainSet = loadDataset(o.dataset, 'train', { limit: o.train, seed: o.seed });
  const testSet = loadDataset(o.dataset, 'test', { limit: o.test, seed: o.seed });
  if (trainSet.shape.count < o.train) throw new ValidationError('--train', o.train, `at most ${trainSet.shape.count} (training images in ${o.dataset})`);
  if (testSet.shape.count < o.test) throw new ValidationError('--test', o.test, `at most ${testSet.shape.count} (test images in ${o.dataset})`);
  const nIn = pixelsPerImage(trainSet);
  const nClasses = trainSet.classNames.length;
  const preset = diehlCookPreset({ nNeurons: o.neurons, nInputs: nIn, weightBits: o.weightBits, rounding: o.rounding, commit: o.commit });
  const fingerprint = fingerprintOf(o, preset);

  // Decide about the output folder before writing anything into it.
  let record = null;
  if (o.out !== null) {
    if (o.resume) {
      if (!checkpointExists(o.out)) throw new ValidationError('--resume', o.out, 'a folder holding checkpoint.json from an earlier run of this command');
      record = readCheckpoint(o.out, fingerprint);
    } else if (existsSync(o.out) && readdirSync(o.out).length > 0) {
      throw new ValidationError('--out', o.out, 'a new or empty folder (or add --resume to continue the run saved there)');
    }
  } else if (o.resume) {
    throw new ValidationError('--resume', true, 'only together with --out');
  }

  const net = new WtaNetwork(preset, o.seed, o.backend);
  try {
    let progress: TrainingProgress;
    if (record && o.out !== null) {
      progress = restoreCheckpoint(o.out, record, net);
      hooks.log?.(`resuming from checkpoint at sample ${progress.samplesDone} of ${o.train * o.epochs}`);
    } else {
      net.initialise();
      progress = freshProgress();
      if (o.out !== null) mkdirSync(o.out, { recursive: true });
    }
    progress = await trainNetwork(net, trainSet, o, progress, fingerprint, hooks);
    const trainCounters = net.counters();
    const trainSummary: PhaseSummary = {
      samples: progress.samplesDone,
      spikesPerSample: progress.samplesDone > 0 ? progress.spikes / progress.samplesDone : 0,
      presentationsPerSample: progress.samplesDone > 0 ? progress.presentations / progress.samplesDone : 0,
      wallSeconds: progress.wallSeconds,
      samplesPerSecond: progress.wallSeconds > 0 ? progress.samplesDone / progress.wallSeconds : 0,
      counters: trainCounters,
    };

    const frozen = freezeNetwork(net);
    const labelImages = trainSet.images.subarray(0, o.label * nIn);
    const labelLabels = trainSet.labels.subarray(0, o.label);

    const runPass = async (phase: 'label' | 'test', images: Uint8Array | Float32Array, keyBase: number) => {
      const count = images.length / nIn;
      const tick = hooks.onPhase?.(phase, count, null) ?? undefined;
      const start = performance.now();
      const r = await responsePass(frozen, images, {
        threads: o.threads,
        keyBase,
        ...(tick ? { onProgress: (done: number) => tick(done) } : {}),
        ...(hooks.signal ? { signal: hooks.signal } : {}),
      });
      const wall = (performance.now() - start) / 1000;
      hooks.onPhaseEnd?.(phase);
      return { ...r, wall };
    };

    const labelPass = await runPass('label', labelImages, 0);
    const assignment = assignLabels(labelPass.responses, labelLabels, o.neurons, nClasses);
    const testPass = await runPass('test', testSet.images, TEST_KEY_BASE);
    const predictions = classify(testPass.responses, assignment);
    const report: ClassificationReport = classificationReport(predictions, testSet.labels, nClasses);

    const labelSummary = phaseSummary(labelPass.stats, labelPass.wall);
    const testSummary = phaseSummary(testPass.stats, testPass.wall);
    const counters = addCounters(addCounters(addCounters(zeroCounters(), trainCounters), labelPass.stats.counters), testPass.stats.counters);
    const weights = net.layer.getWeights();
    let zeros = 0;
    for (let k = 0; k < weights.length; k++) if (weights[k] === 0) zeros++;
    const workloadOf = (name: string, samples: number, c: Counters) =>
      workloadFromCounters({
        name: `${preset.name} ${o.neurons} neurons, ${name}`,
        samples: Math.max(1, samples),
        timestepMs: preset.dtMs,
        layers: [
          {
            name: 'input -> excitatory',
            nIn: preset.nInputs,
            nOut: preset.nNeurons,
            weightBits: o.weightBits,
            connectionSparsity: zeros / weights.length,
            counters: c,
          },
        ],
      });
    const workloads = {
      train: workloadOf('training pass', trainSummary.samples, trainCounters),
      label: workloadOf('labelling pass', labelSummary.samples, labelPass.stats.counters),
      test: workloadOf('test pass', testSummary.samples, testPass.stats.counters),
    };

    const options: Record<string, unknown> = {
      dataset: o.dataset,
      neurons: o.neurons,
      train: o.train,
      test: o.test,
      label: o.label,
      epochs: o.epochs,
      seed: o.seed,
      out: o.out,
      resume: o.resume,
      threads: o.threads,
      backend: net.backend,
      'checkpoint-every': o.checkpointEvery,
      'weight-bits': o.weightBits,
      rounding: o.rounding,
      ...(o.commit === 'per-sample' ? { commit: o.commit } : {}),
    };
    const info = runInfo('stdp', options, o.seed);
    const files: string[] = [];
    const results: StdpResults = {
      kind: 'deep-stdp stdp results',
      accuracy: report.accuracy,
      unclassified: report.unclassified,
      confusion: report.confusion,
      perClassAccuracy: report.perClassAccuracy,
      perClassCount: report.perClassCount,
      classNames: testSet.classNames,
      spikesPerSample: testSummary.spikesPerSample,
      seed: o.seed,
      neurons: o.neurons,
      epochs: o.epochs,
      train: { ...trainSummary, sessions: progress.sessions, epochs: o.epochs },
      labelling: {
        ...labelSummary,
        neuronsPerClass: Array.from(assignment.neuronsPerClass),
        unassignedNeurons: assignment.assignments.filter((c) => c < 0).length,
      },
      test: testSummary,
      counters,
      wallSeconds: (performance.now() - t0) / 1000,
      threads: o.threads,
      backend: net.backend,
      preset,
      datasets: { train: summarizeDataset(trainSet), test: summarizeDataset(testSet) },
      assignments: Array.from(assignment.assignments),
      options,
      version: info.version,
      runInfo: info,
      workload: workloads.train,
      workloads,
      files,
    };

    if (o.out !== null) {
      const side = Math.round(Math.sqrt(nIn / trainSet.shape.channels));
      const channels = trainSet.shape.channels;
      if (trainSet.shape.height * trainSet.shape.width * channels === nIn && (channels === 1 || channels === 3)) {
        writeWeightGrid(join(o.out, 'weights.png'), weights, {
          nIn,
          nOut: o.neurons,
          fieldWidth: trainSet.shape.width,
          fieldHeight: trainSet.shape.height,
          channels,
          scale: side <= 32 ? 2 : 1,
        });
        files.push('weights.png');
      }
      await writeConfusionMatrix(join(o.out, 'confusion-matrix.png'), report.confusion, {
        rowNames: testSet.classNames,
        title: `${testSet.name} test, ${o.neurons} neurons: accuracy ${(100 * report.accuracy).toFixed(2)} %`,
      });
      files.push('confusion-matrix.png');
      files.push('results.json');
      writeJsonAtomic(join(o.out, 'results.json'), results);
    }
    return results;
  } finally {
    net.dispose();
  }
}
