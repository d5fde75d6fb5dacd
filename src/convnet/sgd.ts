import * as tf from '@tensorflow/tfjs';
import type { ConvNet } from './model.js';

/**
 * SGD with momentum and L2 weight decay, PyTorch's formulation (as DeepCluster uses it):
 *   v <- mu * v + (g + lambda * w);   w <- w - lr * v
 * applied to every trainable parameter (biases and batch-norm scales included). The head may use
 * its own momentum (DeepCluster gives the freshly reset head a separate optimiser without momentum).
 * Momentum buffers live on the model (model.momentum) so they are checkpointed and cloned with it.
 */
export interface SgdOptions {
  learningRate: number;
  momentum: number;
  weightDecay: number;
  /** Momentum for head/kernel and head/bias; defaults to 0 (DeepCluster). */
  headMomentum?: number;
}

export function isHeadParameter(name: string): boolean {
  return name.startsWith('head/');
}

/** Applies one update from `grads` (by parameter name). */
export function sgdStep(model: ConvNet, grads: Map<string, tf.Tensor>, opts: SgdOptions): void {
  tf.tidy(() => {
    for (const [name, w] of model.params) {
      const g = grads.get(name);
      if (g === undefined) continue;
      const mu = isHeadParameter(name) ? (opts.headMomentum ?? 0) : opts.momentum;
      const step = opts.weightDecay > 0 ? tf.add(g, tf.mul(w, opts.weightDecay)) : g;
      let direction = step;
      if (mu > 0) {
        let v = model.momentum.get(name);
        if (v === undefined) {
          // PyTorch starts the buffer at the first gradient.
          v = tf.variable(tf.zerosLike(w), false);
          model.momentum.set(name, tf.keep(v));
          v.assign(step);
        } else {
          v.assign(tf.add(tf.mul(v, mu), step));
        }
        direction = v;
      }
      w.assign(tf.sub(w, tf.mul(direction, opts.learningRate)));
    }
  });
}
