/**
 * What a fidelity point trains and evaluates on: inputs (images or rate-coded features), the float
 * network preset, and how accuracy is read out. Built once in the main thread and shared with the
 * worker threads as SharedArrayBuffers.
 */
import { ValidationError, requireInteger } from '../errors.js';
import { loadDataset } from '../data/load.js';
import { pixelsPerImage, type Dataset } from '../data/dataset.js';
import { diehlCookPreset, type DiehlCookPreset } from '../snn/presets/diehl-cook.js';
import type { WorkloadName } from './sweep.js';

/**
 * 'assign-labels': Diehl & Cook read-out (neurons labelled on the labelling set, test samples
 *                  classified by the class of the most active neurons).
 * 'clustering':    the winning neuron of each evaluation sample is its cluster; accuracy after a
 *                  Hungarian (k = classes) or majority (k != classes) mapping to the labels.
 */
export type Evaluation = 'assign-labels' | 'clustering';

export interface InputSet {
  /** Row-major count x nIn: u8 pixels or f32 intensities in [0, 1]. */
  inputs: SharedArrayBuffer;
  kind: 'u8' | 'f32';
  labels: SharedArrayBuffer; // Int32
  count: number;
}

export interface WorkloadData {
  name: WorkloadName;
  /** Human-readable description (dataset, sizes, source checkpoint). */
  description: string;
  preset: DiehlCookPreset;
  nIn: number;
  classes: number;
  classNames: string[];
  evaluation: Evaluation;
  train: InputSet;
  /** Labelling set ('assign-labels' only). */
  label: InputSet | null;
  /** Evaluation set: its first `probe` samples are the probe set. */
  test: InputSet;
  probe: number;
  /** Receptive-field shape for weight images, or null (features have no image shape). */
  field: { width: number; height: number; channels: 1 | 3 } | null;
  /** Provenance of the data (dataset spec, checkpoint path). */
  source: Record<string, unknown>;
}

export interface InputView {
  inputs: Uint8Array | Float32Array;
  labels: Int32Array;
  count: number;
}

export function viewOf(set: InputSet): InputView {
  return {
    inputs: set.kind === 'u8' ? new Uint8Array(set.inputs) : new Float32Array(set.inputs),
    labels: new Int32Array(set.labels),
    count: set.count,
  };
}

export function shareInputs(inputs: Uint8Array | Float32Array, labels: ArrayLike<number>, count: number): InputSet {
  const sab = new SharedArrayBuffer(inputs.byteLength);
  new Uint8Array(sab).set(new Uint8Array(inputs.buffer, inputs.byteOffset, inputs.byteLength));
  const lab = new SharedArrayBuffer(count * 4);
  const l = new Int32Array(lab);
  for (let i = 0; i < count; i++) l[i] = labels[i]!;
  return { inputs: sab, kind: inputs instanceof Uint8Array ? 'u8' : 'f32', labels: lab, count };
}

export interface DcMnistSizes {
  dataset: string;
  neurons: number;
  /** Training images (the first n of the training split). */
  train: number;
  /** Labelling images (the first n of the training subset). */
  label: number;
  /** Test images (the first n of the test split). */
  test: number;
  /** Probe images (the first n of the test images). */
  probe: number;
}

function subset(ds: Dataset, n: number): InputSet {
  const per = pixelsPerImage(ds);
  return shareInputs(ds.images.subarray(0, n * per), ds.labels, n);
}

/** The Diehl & Cook network on MNIST (or any image dataset spec) with the given sizes. */
export function dcMnistWorkload(s: DcMnistSizes): WorkloadData {
  const neurons = requireInteger('--neurons', s.neurons, 1, 100_000);
  const train = requireInteger('--train', s.train, 1, 10_000_000);
  const label = requireInteger('--label', s.label, 1, train);
  const test = requireInteger('--test', s.test, 1, 10_000_000);
  const probe = requireInteger('--probe', s.probe, 1, test);
  const trainSet = loadDataset(s.dataset, 'train', { limit: train });
  const testSet = loadDataset(s.dataset, 'test', { limit: test });
  if (trainSet.shape.count < train) throw new ValidationError('--train', train, `at most ${trainSet.shape.count} (training images in ${s.dataset})`);
  if (testSet.shape.count < test) throw new ValidationError('--test', test, `at most ${testSet.shape.count} (test images in ${s.dataset})`);
  const nIn = pixelsPerImage(trainSet);
  const channels = trainSet.shape.channels;
  return {
    name: 'dc-mnist',
    description: `Diehl & Cook ${neurons} neurons on ${s.dataset}: ${train} training, ${label} labelling, ${test} test images (probe: first ${probe} test images)`,
    preset: diehlCookPreset({ nNeurons: neurons, nInputs: nIn }),
    nIn,
    classes: trainSet.classNames.length,
    classNames: trainSet.classNames,
    evaluation: 'assign-labels',
    train: subset(trainSet, train),
    label: subset(trainSet, label),
    test: subset(testSet, test),
    probe,
    field: channels === 1 || channels === 3 ? { width: trainSet.shape.width, height: trainSet.shape.height, channels } : null,
    source: { dataset: s.dataset, trainSource: trainSet.source, testSource: testSet.source },
  };
}
