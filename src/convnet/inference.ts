import * as tf from '@tensorflow/tfjs';
import { ValidationError, requireInteger } from '../errors.js';
import { gatherImages, identityOrder, imageSize, validateImageSet, type ImageSet } from './images.js';
import { forwardFeatures, forwardLogits, type ConvNet } from './model.js';

const DEFAULT_BATCH = 256;

function checkShape(model: ConvNet, images: ImageSet): void {
  const [h, w, c] = images.shape;
  if (h !== model.inputShape[0] || w !== model.inputShape[1] || c !== model.inputShape[2]) {
    throw new ValidationError('images.shape', [...images.shape], `the model's input shape ${model.inputShape.join('x')}`);
  }
}

/** Runs `fn` on consecutive batches in eval mode, copying each batch's rows into one output. */
function mapBatches(
  model: ConvNet, images: ImageSet, batchSize: number, width: number,
  fn: (x: tf.Tensor4D) => tf.Tensor2D,
): Float32Array {
  model.assertUsable();
  validateImageSet('images', images);
  checkShape(model, images);
  requireInteger('batchSize', batchSize, 1);
  const [h, w, c] = images.shape;
  const out = new Float32Array(images.count * width);
  const order = identityOrder(images.count);
  const buffer = new Float32Array(Math.min(batchSize, Math.max(1, images.count)) * imageSize(images));
  for (let b0 = 0; b0 < images.count; b0 += batchSize) {
    const b1 = Math.min(images.count, b0 + batchSize);
    const pixels = gatherImages(images, order, b0, b1, buffer);
    const rows = tf.tidy(() => fn(tf.tensor4d(pixels, [b1 - b0, h, w, c])).dataSync() as Float32Array);
    out.set(rows, b0 * width);
  }
  return out;
}

/**
 * Features of every image: rows of model.featureDim floats (row i = image i), the pre-ReLU output
 * of the last hidden dense layer, batch norm with running statistics, no augmentation.
 */
export function extractFeatures(model: ConvNet, images: ImageSet, batchSize = DEFAULT_BATCH): Float32Array {
  return mapBatches(model, images, batchSize, model.featureDim, (x) => forwardFeatures(model, x, 'eval'));
}

export interface Prediction {
  /** Row i = logits of image i (numClasses floats). */
  logits: Float32Array;
  /** Arg-max class per image (lowest index on ties). */
  classes: Int32Array;
}

export function predict(model: ConvNet, images: ImageSet, batchSize = DEFAULT_BATCH): Prediction {
  const k = model.numClasses;
  const logits = mapBatches(model, images, batchSize, k, (x) => forwardLogits(model, x, 'eval'));
  const classes = new Int32Array(images.count);
  for (let i = 0; i < images.count; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (logits[i * k + j]! > logits[i * k + best]!) best = j;
    classes[i] = best;
  }
  return { logits, classes };
}

export interface Evaluation {
  accuracy: number;
  /** Mean cross-entropy, nats. */
  meanLoss: number;
  count: number;
}

/** Accuracy and mean cross-entropy of the head's outputs against `labels` (indices < numClasses). */
export function evaluate(model: ConvNet, images: ImageSet, labels: ArrayLike<number>, batchSize = DEFAULT_BATCH): Evaluation {
  if (labels.length < images.count) throw new ValidationError('labels', labels, `at least ${images.count} labels`);
  const { logits, classes } = predict(model, images, batchSize);
  const k = model.numClasses;
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < images.count; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= k) throw new ValidationError(`labels[${i}]`, y, `a class index in [0, ${k - 1}]`);
    if (classes[i] === y) correct++;
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[i * k + j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(logits[i * k + j]! - max);
    loss += Math.log(sum) + max - logits[i * k + y]!;
  }
  const n = images.count;
  return { accuracy: n > 0 ? correct / n : NaN, meanLoss: n > 0 ? loss / n : NaN, count: n };
}
