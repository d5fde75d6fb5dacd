/**
 * The Deep-STDP clustering layer as a fidelity workload: the ConvNet of a `deep-stdp train` checkpoint
 * gives features of the run's training images, reduced as the train loop's next epoch would reduce
 * them (PCA to the run's d dimensions fitted on these features, whitening, L2), and the clustering layer (src/cluster/stdp.ts: ON/OFF rate code, Diehl & Cook preset with k
 * neurons) learns on them. Accuracy is the clustering accuracy of the winning neurons on the same
 * features (Hungarian when k equals the number of classes, majority mapping otherwise), NMI against
 * the labels, as the train command reports for its pseudo-labels. Dead-cluster reseeding is not part
 * of the workload: it is the same host-side step for every weight store.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError, requireInteger } from '../errors.js';
import type { LoadDatasetOptions } from '../data/load.js';
import { loadDataset } from '../data/load.js';
import { encodeOnOff, resolveStdpParams, stdpClusterPreset, type StdpClusterParams } from '../cluster/stdp.js';
import { fitPreprocess } from '../cluster/preprocess.js';
import { LATEST_FILE, type RunCheckpoint } from '../deepstdp/checkpoint.js';
import { shareInputs, type WorkloadData } from './workload.js';

export interface ClusterWorkloadOptions {
  /** A run's checkpoint folder, e.g. runs/x/checkpoints/stdp-s1 (the one holding latest.json). */
  checkpoint: string;
  /** Use the first n of the run's training images (default: all of them). */
  train?: number;
  /** Probe samples (default 200). */
  probe?: number;
}

function readJson<T>(path: string, what: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    throw new ValidationError('--checkpoint', path, `${what} (${(err as Error).message})`);
  }
}

export async function clusterWorkload(o: ClusterWorkloadOptions): Promise<WorkloadData> {
  const cp = readJson<RunCheckpoint>(join(o.checkpoint, LATEST_FILE), `a deep-stdp train checkpoint folder holding ${LATEST_FILE}`);
  if (cp?.format !== 'deep-stdp-train-checkpoint' || !/^epoch-\d{4}$/.test(String(cp.dir))) {
    throw new ValidationError('--checkpoint', o.checkpoint, 'a deep-stdp train checkpoint folder (format deep-stdp-train-checkpoint)');
  }
  const fp = cp.fingerprint as Record<string, unknown>;
  const epochDir = join(o.checkpoint, cp.dir);
  const dataset = String(fp.dataset);
  const runTrain = requireInteger('checkpoint train', fp.train, 1);
  const dataSeed = requireInteger('checkpoint data-seed', fp['data-seed'], 0);
  const k = requireInteger('checkpoint k', fp.k, 1);
  const dims = requireInteger('checkpoint dims', fp.dims, 1);
  const params: StdpClusterParams = resolveStdpParams((fp.stdp ?? {}) as Partial<StdpClusterParams>);
  const n = o.train === undefined ? runTrain : requireInteger('--train', o.train, 1, runTrain);
  // The run's own training subset (src/deepstdp/data.ts loadTrainData: stratified by the data seed).
  const loadOpts: LoadDatasetOptions = { limit: runTrain, subsetSeed: dataSeed, seed: dataSeed };
  if (fp.classes !== null && fp.classes !== undefined) loadOpts.classes = fp.classes as LoadDatasetOptions['classes'];
  if (fp['image-size'] !== null && fp['image-size'] !== undefined) loadOpts.imageSize = fp['image-size'] as LoadDatasetOptions['imageSize'];
  const train = loadDataset(dataset, 'train', loadOpts);

  // The ConvNet and TensorFlow.js are loaded only for this workload.
  const { initBackend } = await import('../convnet/backend.js');
  const { loadConvNet } = await import('../convnet/checkpoint.js');
  const { extractFeatures } = await import('../convnet/inference.js');
  await initBackend(typeof fp.backend === 'string' ? fp.backend : undefined);
  const { model } = await loadConvNet(join(epochDir, 'convnet'));
  let raw: Float32Array;
  let featureDim: number;
  try {
    featureDim = model.featureDim;
    const { height, width, channels } = train.shape;
    const per = height * width * channels;
    raw = extractFeatures(model, { pixels: train.images.subarray(0, n * per), count: n, shape: [height, width, channels] });
  } finally {
    model.dispose();
  }
  const { features } = fitPreprocess({ data: raw, rows: n, cols: featureDim }, { dims: Math.min(dims, featureDim) });
  const intensities = encodeOnOff(features);
  const preset = stdpClusterPreset(features.cols, k, params);
  const set = shareInputs(intensities, train.labels, n);
  const probe = requireInteger('--probe', o.probe ?? Math.min(200, n), 1, n);
  return {
    name: 'deep-stdp-cluster',
    description: `Deep-STDP clustering layer (k = ${k}, ${features.cols} PCA dims, ON/OFF: ${preset.nInputs} inputs) on ConvNet features of ${n} ${dataset} training images from ${o.checkpoint} (epoch ${cp.epoch})`,
    preset,
    nIn: preset.nInputs,
    classes: train.classNames.length,
    classNames: train.classNames,
    evaluation: 'clustering',
    train: set,
    label: null,
    test: set,
    probe,
    field: null,
    source: { checkpoint: o.checkpoint, epoch: cp.epoch, method: cp.method, seed: cp.seed, dataset, dataSeed, k, dims: features.cols, stdpParams: params },
  };
}
