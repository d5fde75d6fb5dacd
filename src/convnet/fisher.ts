import * as tf from '@tensorflow/tfjs';
import { ValidationError, requireInteger } from '../errors.js';
import { gatherImages, imageSize, validateImageSet, type ImageSet } from './images.js';
import { forwardLogits, type ConvNet } from './model.js';

/**
 * Trace of the empirical Fisher information of the parameters theta for labels y on a probe set:
 *
 *   tr F = (1/N) * sum_i || grad_theta log p_theta(y_i | x_i) ||^2
 *
 * with p_theta = softmax of the logits, one gradient per sample (batch of one), summed over every
 * trainable parameter. It is "empirical" because y_i are the given (pseudo-)labels, not labels
 * drawn from p_theta. perParameter splits the trace by parameter tensor (the parts sum to trace).
 */
export interface FisherResult {
  trace: number;
  perParameter: Record<string, number>;
  samples: number;
  parameterCount: number;
  seconds: number;
}

/**
 * The generic computation: `logitsOf(x)` for a batch of one input, `inputOf(i)` the i-th probe
 * input (batch of one), labels[i] its label. Every variable in `variables` must influence the logits.
 */
export function empiricalFisherTrace(
  logitsOf: (x: tf.Tensor) => tf.Tensor2D,
  variables: ReadonlyArray<readonly [string, tf.Variable]>,
  inputOf: (i: number) => tf.Tensor,
  labels: ArrayLike<number>,
  count: number,
): FisherResult {
  const start = performance.now();
  const sums = new Float64Array(variables.length);
  const vars = variables.map(([, v]) => v);
  for (let i = 0; i < count; i++) {
    const squares = tf.tidy(() => {
      const x = inputOf(i);
      const { grads } = tf.variableGrads(() => {
        const logp = tf.logSoftmax(logitsOf(x));
        return tf.squeeze(tf.slice(logp, [0, labels[i]!], [1, 1])) as tf.Scalar;
      }, vars);
      return tf.stack(vars.map((v) => tf.sum(tf.square(grads[v.name]!)))).dataSync();
    });
    for (let j = 0; j < vars.length; j++) sums[j]! += squares[j]!;
  }
  const perParameter: Record<string, number> = {};
  let trace = 0;
  variables.forEach(([name], j) => {
    perParameter[name] = count > 0 ? sums[j]! / count : NaN;
    trace += sums[j]!;
  });
  return {
    trace: count > 0 ? trace / count : NaN,
    perParameter,
    samples: count,
    parameterCount: vars.reduce((n, v) => n + v.size, 0),
    seconds: (performance.now() - start) / 1000,
  };
}

/**
 * tr F of the whole ConvNet (trunk and head) on the probe images `probe` (indices into images, or
 * all images when omitted) with labels[probe[i]]. Batch norm uses its running statistics, so each
 * sample's gradient does not depend on the others. Cost: one forward and backward pass per probe
 * image (a few ms each for the reference net on wasm).
 */
export function fisherTrace(
  model: ConvNet, images: ImageSet, labels: ArrayLike<number>, probe?: ArrayLike<number>,
): FisherResult {
  model.assertUsable();
  validateImageSet('images', images);
  const order = probe ?? Int32Array.from({ length: images.count }, (_, i) => i);
  const probeLabels = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const idx = requireInteger(`probe[${i}]`, order[i], 0, images.count - 1);
    const y = labels[idx];
    if (y === undefined || !Number.isInteger(y) || y < 0 || y >= model.numClasses) {
      throw new ValidationError(`labels[${idx}]`, y, `a class index in [0, ${model.numClasses - 1}] (head size)`);
    }
    probeLabels[i] = y;
  }
  const [h, w, c] = images.shape;
  const buffer = new Float32Array(imageSize(images));
  return empiricalFisherTrace(
    (x) => forwardLogits(model, x as tf.Tensor4D, 'eval-grad'),
    [...model.params.entries()],
    (i) => tf.tensor4d(gatherImages(images, order, i, i + 1, buffer), [1, h, w, c]),
    probeLabels,
    order.length,
  );
}
