import * as tf from '@tensorflow/tfjs';
import { ValidationError, requireFinite, requireInteger } from '../errors.js';
import { gatherImages, imageSize, validateImageSet, type ImageSet } from './images.js';
import { forwardLogits, type ConvNet } from './model.js';
import { sgdStep, type SgdOptions } from './sgd.js';

export interface TrainProgress {
  /** Samples processed so far in this epoch. */
  done: number;
  total: number;
  /** Mean loss over the samples processed so far. */
  meanLoss: number;
  imagesPerSecond: number;
}

export interface TrainEpochOptions extends SgdOptions {
  batchSize: number;
  /** Called after every batch. */
  onProgress?: (progress: TrainProgress) => void;
}

export interface TrainEpochResult {
  /** Mean cross-entropy over the epoch's samples (each batch's mean weighted by its size), nats. */
  meanLoss: number;
  samples: number;
  batches: number;
  seconds: number;
  imagesPerSecond: number;
  /** The tfjs backend that ran the epoch. */
  backend: string;
}

function checkLabels(labels: ArrayLike<number>, count: number): void {
  if (labels.length < count) throw new ValidationError('labels', labels, `at least ${count} labels (one per image)`);
}

/**
 * One pass of SGD over `sampleOrder` (indices into images/labels, in the order to visit them; the
 * caller draws it, e.g. DeepCluster's uniform-over-clusters sampler). Batches are consecutive
 * slices of sampleOrder; the last one may be smaller. Batch norm runs in training mode. Inputs are
 * used as given (no augmentation). Deterministic for a given model state and order on one backend.
 */
export async function trainEpoch(
  model: ConvNet, images: ImageSet, labels: ArrayLike<number>, sampleOrder: ArrayLike<number>,
  opts: TrainEpochOptions,
): Promise<TrainEpochResult> {
  model.assertUsable();
  validateImageSet('images', images);
  checkLabels(labels, images.count);
  requireInteger('batchSize', opts.batchSize, 1);
  requireFinite('learningRate', opts.learningRate, 0);
  requireFinite('momentum', opts.momentum, 0, 1);
  requireFinite('weightDecay', opts.weightDecay, 0);
  if (opts.headMomentum !== undefined) requireFinite('headMomentum', opts.headMomentum, 0, 1);
  const total = sampleOrder.length;
  for (let i = 0; i < total; i++) {
    const idx = sampleOrder[i]!;
    if (!Number.isInteger(idx) || idx < 0 || idx >= images.count) {
      throw new ValidationError(`sampleOrder[${i}]`, idx, `an image index in [0, ${images.count - 1}]`);
    }
    const label = labels[idx]!;
    if (!Number.isInteger(label) || label < 0 || label >= model.numClasses) {
      throw new ValidationError(`labels[${idx}]`, label, `a class index in [0, ${model.numClasses - 1}] (head size)`);
    }
  }
  const [h, w, c] = images.shape;
  if (h !== model.inputShape[0] || w !== model.inputShape[1] || c !== model.inputShape[2]) {
    throw new ValidationError('images.shape', [...images.shape], `the model's input shape ${model.inputShape.join('x')}`);
  }
  const vars = model.trainableVariables();
  const names = [...model.params.keys()];
  const buffer = new Float32Array(opts.batchSize * imageSize(images));
  const batchLabels = new Int32Array(opts.batchSize);
  let lossSum = 0;
  let batches = 0;
  const start = performance.now();
  for (let b0 = 0; b0 < total; b0 += opts.batchSize) {
    const b1 = Math.min(total, b0 + opts.batchSize);
    const n = b1 - b0;
    const pixels = gatherImages(images, sampleOrder, b0, b1, buffer);
    for (let i = b0; i < b1; i++) batchLabels[i - b0] = labels[sampleOrder[i]!]!;
    const lossValue = tf.tidy(() => {
      const x = tf.tensor4d(pixels, [n, h, w, c]);
      const y = tf.oneHot(tf.tensor1d(batchLabels.subarray(0, n), 'int32'), model.numClasses);
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(y, forwardLogits(model, x, 'train')) as tf.Scalar, vars,
      );
      const byName = new Map<string, tf.Tensor>();
      vars.forEach((v, i) => byName.set(names[i]!, grads[v.name]!));
      sgdStep(model, byName, opts);
      return value.dataSync()[0]!;
    });
    if (!Number.isFinite(lossValue)) {
      throw new Error(`training diverged: loss ${lossValue} at batch ${batches} (try a smaller learning rate)`);
    }
    lossSum += lossValue * n;
    batches++;
    if (opts.onProgress !== undefined) {
      const seconds = (performance.now() - start) / 1000;
      opts.onProgress({ done: b1, total, meanLoss: lossSum / b1, imagesPerSecond: b1 / seconds });
    }
    // Let timers, signal handlers and progress output run between batches.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    meanLoss: total > 0 ? lossSum / total : NaN,
    samples: total,
    batches,
    seconds,
    imagesPerSecond: total / seconds,
    backend: tf.getBackend(),
  };
}
