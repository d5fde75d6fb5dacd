import * as tf from '@tensorflow/tfjs';
import { ValidationError, requireInteger } from '../errors.js';
import type { ImageSet } from '../convnet/index.js';
import { mapSize, type NetworkSpec } from './network-spec.js';

/**
 * The converted network evaluated as an ANN (ReLU after every layer but the last) with tfjs: its
 * accuracy shows what the conversion itself changed (e.g. max pooling replaced by average
 * pooling), and its activations calibrate the thresholds.
 */

export interface AnnForwardResult {
  /** Row i = outputs of image i. */
  logits: Float32Array;
  /** Arg-max output per image (lowest index on ties). */
  classes: Int32Array;
}

export interface ActivationSink {
  /** Receives one batch of one layer's outputs (after ReLU; the last layer: raw outputs). */
  add(layer: number, values: Float32Array): void;
}

function forwardBatch(spec: NetworkSpec, x: tf.Tensor4D, params: tf.Tensor[][], sink?: ActivationSink): tf.Tensor2D {
  let h: tf.Tensor = x;
  const last = spec.layers.length - 1;
  spec.layers.forEach((layer, i) => {
    switch (layer.kind) {
      case 'conv': {
        const { kernelSize: k, stride, padTop, padLeft } = layer;
        const padBottom = (layer.output.h - 1) * stride + k - layer.input.h - padTop;
        const padRight = (layer.output.w - 1) * stride + k - layer.input.w - padLeft;
        const pad: tf.backend_util.ExplicitPadding = [[0, 0], [padTop, Math.max(0, padBottom)], [padLeft, Math.max(0, padRight)], [0, 0]];
        h = tf.add(tf.conv2d(h as tf.Tensor4D, params[i]![0] as tf.Tensor4D, stride, pad), params[i]![1]!);
        break;
      }
      case 'avgpool':
        h = tf.mul(tf.avgPool(h as tf.Tensor4D, layer.size, layer.stride, 'valid'), layer.weight * layer.size * layer.size);
        break;
      case 'dense':
        if (h.rank !== 2) h = tf.reshape(h, [h.shape[0]!, -1]);
        h = tf.add(tf.matMul(h as tf.Tensor2D, params[i]![0] as tf.Tensor2D), params[i]![1]!);
        break;
    }
    if (i < last) h = tf.relu(h);
    if (sink) sink.add(i, h.dataSync() as Float32Array);
  });
  return h as tf.Tensor2D;
}

/**
 * Runs the converted network over `images` in batches. `sink` (optional) receives every layer's
 * outputs per batch. Tensors are freed before returning.
 */
export function annForward(spec: NetworkSpec, images: ImageSet, opts: { batchSize?: number; sink?: ActivationSink } = {}): AnnForwardResult {
  const batchSize = requireInteger('batchSize', opts.batchSize ?? 128, 1);
  const [h, w, c] = images.shape;
  if (h !== spec.input.h || w !== spec.input.w || c !== spec.input.c) {
    throw new ValidationError('images.shape', [...images.shape], `the network's input ${spec.input.h}x${spec.input.w}x${spec.input.c}`);
  }
  const size = h * w * c;
  const outputs = spec.layers[spec.layers.length - 1]!.output.c;
  const params = spec.layers.map((layer) => {
    if (layer.kind === 'conv') {
      return [
        tf.tensor4d(layer.weights, [layer.kernelSize, layer.kernelSize, layer.input.c, layer.output.c]),
        tf.tensor3d(layer.bias, [layer.output.h, layer.output.w, layer.output.c]),
      ];
    }
    if (layer.kind === 'dense') return [tf.tensor2d(layer.weights, [layer.input.c, layer.output.c]), tf.tensor1d(layer.bias)];
    return [];
  });
  const logits = new Float32Array(images.count * outputs);
  const scale = images.pixels instanceof Uint8Array ? 1 / 255 : 1;
  try {
    const buffer = new Float32Array(Math.min(batchSize, Math.max(1, images.count)) * size);
    for (let b0 = 0; b0 < images.count; b0 += batchSize) {
      const b1 = Math.min(images.count, b0 + batchSize);
      const n = b1 - b0;
      for (let j = 0; j < n * size; j++) buffer[j] = images.pixels[b0 * size + j]! * scale;
      const out = tf.tidy(() => forwardBatch(spec, tf.tensor4d(buffer.subarray(0, n * size), [n, h, w, c]), params, opts.sink).dataSync() as Float32Array);
      logits.set(out, b0 * outputs);
    }
  } finally {
    for (const p of params) for (const t of p) t.dispose();
  }
  const classes = new Int32Array(images.count);
  for (let i = 0; i < images.count; i++) {
    let best = 0;
    for (let j = 1; j < outputs; j++) if (logits[i * outputs + j]! > logits[i * outputs + best]!) best = j;
    classes[i] = best;
  }
  return { logits, classes };
}

/** Collects the positive values of every layer's outputs, for percentiles. */
export class PositiveValues implements ActivationSink {
  private readonly chunks: Float32Array[][];
  private readonly sizes: number[];

  constructor(layers: number) {
    this.chunks = Array.from({ length: layers }, () => []);
    this.sizes = new Array<number>(layers).fill(0);
  }

  add(layer: number, values: Float32Array): void {
    let n = 0;
    for (let i = 0; i < values.length; i++) if (values[i]! > 0) n++;
    const out = new Float32Array(n);
    n = 0;
    for (let i = 0; i < values.length; i++) if (values[i]! > 0) out[n++] = values[i]!;
    this.chunks[layer]!.push(out);
    this.sizes[layer]! += out.length;
  }

  /** The p-th percentile (0..100, linear interpolation between order statistics) of layer `layer`'s positive values; 0 if none. */
  percentile(layer: number, p: number): number {
    const all = new Float32Array(this.sizes[layer]!);
    let at = 0;
    for (const c of this.chunks[layer]!) {
      all.set(c, at);
      at += c.length;
    }
    if (all.length === 0) return 0;
    all.sort();
    const pos = ((all.length - 1) * p) / 100;
    const lo = Math.floor(pos);
    const hi = Math.min(all.length - 1, lo + 1);
    return all[lo]! + (all[hi]! - all[lo]!) * (pos - lo);
  }

  /** Positive values seen in layer `layer`. */
  count(layer: number): number {
    return this.sizes[layer]!;
  }
}

/** Neurons per layer (for reporting). */
export function layerSizes(spec: NetworkSpec): number[] {
  return spec.layers.map((l) => mapSize(l.output));
}
