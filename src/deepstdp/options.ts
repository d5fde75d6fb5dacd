import { ValidationError, requireFinite, requireInteger, requireOneOf } from '../errors.js';
import { ARCHITECTURE_NAMES } from '../convnet/architectures.js';
import { BACKEND_NAMES, type BackendName } from '../convnet/backend.js';
import { parseDatasetSpec } from '../data/load.js';
import type { Backend } from '../core/layer.js';
import { resolveStdpParams, stdpClusterPreset, type StdpClusterParams } from '../cluster/stdp.js';

/** Clustering methods of the loop; 'both' runs the two from the same initial ConvNet and seed. */
export const METHODS = ['stdp', 'kmeans'] as const;
export type Method = (typeof METHODS)[number];
export const METHOD_CHOICES = ['stdp', 'kmeans', 'both'] as const;
export const CORE_BACKENDS: readonly Backend[] = ['wasm', 'wasm-scalar', 'reference'];

/** Options of one `deep-stdp train` run, as the command and the programmatic API pass them. */
export interface TrainOptions {
  /** `--dataset` spec: mnist, fashion-mnist, tiny-imagenet:<path>, folder:<path>, synthetic-*. */
  dataset: string;
  /** Class subset for folder datasets: the first n sorted classes, or names. */
  classes?: number | string[];
  /** Training images (a class-stratified subset of the train split, drawn with dataSeed). */
  train: number;
  /** Held-out images (a stratified subset of the test split). */
  test: number;
  /** Seed of the two subsets (the same for every --seeds value, so seeds see the same images). */
  dataSeed: number;
  /** Image size for folder datasets ([h, w] or one number); default: the architecture's native size. */
  imageSize?: number | [number, number];
  method: 'stdp' | 'kmeans' | 'both';
  seeds: number[];
  epochs: number;
  /** ConvNet architecture, or 'auto' (reference for inputs up to 32 px, vgg-64 above). */
  arch: string;
  /** Clusters (= head outputs); default: the number of classes. */
  k?: number;
  /** PCA output dimension d. */
  dims: number;
  learningRate: number;
  momentum: number;
  weightDecay: number;
  batchSize: number;
  /** Training samples drawn per epoch by the uniform-over-clusters sampler; default: the training-set size. */
  samplesPerEpoch?: number;
  /** Random translation (pixels) of the training images in each epoch; default 2 for inputs up to 32 px, 4 above. */
  shift?: number;
  /** Random horizontal flips of the training images; default: on for colour images, off for grey ones. */
  flip?: boolean;
  /** Probe images for the Fisher information trace (a fixed subset of the training images). */
  fisherSamples: number;
  /** STDP clustering parameters (defaults in docs/deep-stdp.md). */
  stdp?: Partial<StdpClusterParams>;
  /** Output folder; null writes nothing (tests). */
  out: string | null;
  resume: boolean;
  /** Runs (method x seed) in parallel worker threads; 1 runs them one after another in this thread. */
  jobs: number;
  /** Threads of the STDP frozen pass inside one run. */
  threads: number;
  /** TensorFlow.js backend (default: tensorflow if installed, else wasm). */
  backend?: BackendName;
  /** Backend of the spiking core. */
  coreBackend?: Backend;
  /** Hardware models for the energy per epoch: "all", names or paths (comma separated), or "none". */
  hwModels: string;
}

export const TRAIN_DEFAULTS = {
  dataset: 'mnist',
  train: 10000,
  test: 2000,
  dataSeed: 1,
  method: 'both',
  seeds: [1],
  epochs: 5,
  arch: 'auto',
  dims: 64,
  learningRate: 0.05,
  momentum: 0.9,
  weightDecay: 1e-5,
  batchSize: 64,
  fisherSamples: 200,
  resume: false,
  hwModels: 'all',
} as const;

/** Options with every default filled in and every value checked. */
export interface ResolvedTrainOptions extends TrainOptions {
  methods: Method[];
  stdpParams: StdpClusterParams;
}

function requireBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValidationError(field, value, 'true or false');
  return value;
}

/**
 * Validates the options and fills in defaults. Throws ValidationError (field, value, allowed) for
 * the first bad one; nothing is read or written before this passes.
 */
export function resolveTrainOptions(raw: Partial<TrainOptions> & Pick<TrainOptions, 'out'>): ResolvedTrainOptions {
  const o = { ...TRAIN_DEFAULTS, seeds: [...TRAIN_DEFAULTS.seeds], ...Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)) } as unknown as TrainOptions;
  if (typeof o.dataset !== 'string') throw new ValidationError('--dataset', o.dataset, 'a dataset spec such as "mnist"');
  parseDatasetSpec(o.dataset);
  if (o.classes !== undefined) {
    if (typeof o.classes === 'number') requireInteger('--classes', o.classes, 1, 100000);
    else if (!Array.isArray(o.classes) || o.classes.length === 0 || !o.classes.every((c) => typeof c === 'string' && c.trim() !== '')) {
      throw new ValidationError('--classes', o.classes, 'a number of classes or a comma-separated list of class folder names');
    }
    const kind = parseDatasetSpec(o.dataset).kind;
    if (kind !== 'folder' && kind !== 'tiny-imagenet') {
      throw new ValidationError('--classes', o.classes, 'only with --dataset tiny-imagenet:<path> or folder:<path>');
    }
  }
  requireInteger('--train', o.train, 2, 10_000_000);
  requireInteger('--test', o.test, 1, 10_000_000);
  requireInteger('--data-seed', o.dataSeed, 0, 2 ** 32 - 1);
  if (o.imageSize !== undefined) {
    const sizes = typeof o.imageSize === 'number' ? [o.imageSize] : o.imageSize;
    if (!Array.isArray(sizes) || sizes.length < 1 || sizes.length > 2) throw new ValidationError('--image-size', o.imageSize, 'one size or height,width');
    sizes.forEach((s) => requireInteger('--image-size', s, 8, 1024));
  }
  const method = requireOneOf('--method', o.method, METHOD_CHOICES);
  if (!Array.isArray(o.seeds) || o.seeds.length === 0) throw new ValidationError('--seeds', o.seeds, 'one or more integer seeds');
  o.seeds.forEach((s) => requireInteger('--seeds', s, 0, 2 ** 32 - 1));
  if (new Set(o.seeds).size !== o.seeds.length) throw new ValidationError('--seeds', o.seeds, 'distinct seeds');
  requireInteger('--epochs', o.epochs, 1, 100000);
  requireOneOf('--arch', o.arch, ['auto', ...ARCHITECTURE_NAMES]);
  if (o.k !== undefined) requireInteger('--k', o.k, 2, 100000);
  requireInteger('--dims', o.dims, 1, 100000);
  requireFinite('--lr', o.learningRate, Number.MIN_VALUE, 10);
  requireFinite('--momentum', o.momentum, 0, 0.999);
  requireFinite('--weight-decay', o.weightDecay, 0, 1);
  requireInteger('--batch-size', o.batchSize, 1, 65536);
  if (o.samplesPerEpoch !== undefined) requireInteger('--samples-per-epoch', o.samplesPerEpoch, 1, 100_000_000);
  if (o.shift !== undefined) requireInteger('--shift', o.shift, 0, 64);
  if (o.flip !== undefined) requireBoolean('--flip', o.flip);
  requireInteger('--fisher-samples', o.fisherSamples, 0, 100000);
  if (o.fisherSamples > o.train) throw new ValidationError('--fisher-samples', o.fisherSamples, `at most --train (${o.train})`);
  if (o.out !== null && (typeof o.out !== 'string' || o.out.trim() === '')) throw new ValidationError('--out', o.out, 'a folder path');
  requireBoolean('--resume', o.resume);
  if (o.resume && o.out === null) throw new ValidationError('--resume', true, 'only together with --out (the folder of the run to continue)');
  const methods: Method[] = method === 'both' ? ['stdp', 'kmeans'] : [method];
  const runs = methods.length * o.seeds.length;
  o.jobs = requireInteger('--jobs', o.jobs ?? 1, 1, 256);
  o.threads = requireInteger('--threads', o.threads ?? 1, 1, 256);
  if (o.backend !== undefined) requireOneOf('--backend', o.backend, BACKEND_NAMES);
  if (o.coreBackend !== undefined) requireOneOf('--core-backend', o.coreBackend, CORE_BACKENDS);
  if (typeof o.hwModels !== 'string' || o.hwModels.trim() === '') throw new ValidationError('--hw-models', o.hwModels, '"all", "none", or model names/paths separated by commas');
  const stdpParams = resolveStdpParams(o.stdp ?? {});
  stdpClusterPreset(o.dims, 2, stdpParams); // presentation and rest must be whole steps of dt
  return { ...o, jobs: Math.min(o.jobs, runs), methods, stdpParams };
}

/**
 * The options that determine a run's results: a resumed run must match them exactly (epochs may be
 * raised to extend a run; jobs, threads, out and display options may change).
 */
export function runFingerprint(o: ResolvedTrainOptions, k: number, arch: string): Record<string, unknown> {
  return {
    dataset: o.dataset,
    classes: o.classes ?? null,
    train: o.train,
    test: o.test,
    'data-seed': o.dataSeed,
    'image-size': o.imageSize ?? null,
    arch,
    k,
    dims: o.dims,
    lr: o.learningRate,
    momentum: o.momentum,
    'weight-decay': o.weightDecay,
    'batch-size': o.batchSize,
    'samples-per-epoch': o.samplesPerEpoch ?? null,
    shift: o.shift ?? null,
    flip: o.flip ?? null,
    'fisher-samples': o.fisherSamples,
    stdp: o.stdpParams,
    backend: o.backend ?? null,
    'core-backend': o.coreBackend ?? null,
  };
}
