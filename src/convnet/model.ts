import * as tf from '@tensorflow/tfjs';
import { ValidationError, requireInteger } from '../errors.js';
import {
  BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM, getArchitecture, headParameters, trunkParameters,
  type Architecture, type ParameterShape, type Pooling,
} from './architectures.js';
import { batchNormInfer, batchNormTrain, conv2d, dense, type BatchNormState } from './ops.js';
import { normalArray } from './random.js';

/**
 * A ConvNet: trunk + classifier head, parameters as named tfjs variables. Parameter names are
 * `<layer>/<kind>` (conv1/kernel, bn1/gamma, fc1/bias, head/kernel, ...), the same in checkpoints.
 */
export class ConvNet {
  readonly arch: Architecture;
  readonly archName: string;
  readonly pooling: Pooling | undefined;
  readonly inputShape: [number, number, number];
  readonly featureDim: number;
  readonly seed: number;
  /** Number of head outputs (classes or clusters). */
  numClasses: number;
  /** Trainable parameters in layer order (head last). */
  readonly params = new Map<string, tf.Variable>();
  /** Batch-norm running statistics (not trainable). */
  readonly stats = new Map<string, tf.Variable>();
  /** SGD momentum buffers by parameter name (created lazily by the optimiser). */
  readonly momentum = new Map<string, tf.Variable>();
  private disposed = false;

  constructor(opts: {
    arch: Architecture; archName: string; pooling: Pooling | undefined; inputShape: [number, number, number];
    featureDim: number; seed: number; numClasses: number;
  }) {
    this.arch = opts.arch;
    this.archName = opts.archName;
    this.pooling = opts.pooling;
    this.inputShape = opts.inputShape;
    this.featureDim = opts.featureDim;
    this.seed = opts.seed;
    this.numClasses = opts.numClasses;
  }

  /** Trainable variables in a stable order (layer order, head last). */
  trainableVariables(): tf.Variable[] {
    return [...this.params.values()];
  }

  /** Number of trainable scalars. */
  parameterCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  /** Every variable by checkpoint name: parameters, running statistics. */
  namedWeights(): Array<[string, tf.Variable]> {
    return [...this.params.entries(), ...this.stats.entries()];
  }

  batchNormState(name: string): BatchNormState {
    return {
      gamma: this.params.get(`${name}/gamma`)!,
      beta: this.params.get(`${name}/beta`)!,
      movingMean: this.stats.get(`${name}/moving_mean`)!,
      movingVariance: this.stats.get(`${name}/moving_variance`)!,
    };
  }

  assertUsable(): void {
    if (this.disposed) throw new Error('ConvNet used after dispose()');
  }

  dispose(): void {
    if (this.disposed) return;
    for (const v of [...this.params.values(), ...this.stats.values(), ...this.momentum.values()]) v.dispose();
    this.params.clear();
    this.stats.clear();
    this.momentum.clear();
    this.disposed = true;
  }
}

export interface CreateConvNetOptions {
  /** Architecture name (`--arch`): reference | vgg-28 | vgg-64. */
  arch: string;
  /** [height, width, channels]; defaults to the architecture's native input. */
  inputShape?: [number, number, number];
  /** Head outputs. */
  numClasses: number;
  /** Seed of the initial weights (DeepCluster's initialisation; see docs/convnet.md). */
  seed: number;
  /** Replace the architecture's pooling ('avg' converts to a spiking network exactly). */
  pooling?: Pooling;
}

function initialValues(p: ParameterShape, seed: number): Float32Array {
  const n = p.shape.reduce((a, b) => a * b, 1);
  switch (p.init.kind) {
    case 'normal':
      return normalArray(seed, p.name, n, p.init.std);
    case 'zeros':
      return new Float32Array(n);
    case 'ones':
      return new Float32Array(n).fill(1);
  }
}

function makeVariable(p: ParameterShape, values: Float32Array): tf.Variable {
  return tf.variable(tf.tensor(values, p.shape, 'float32'), p.trainable);
}

/** Builds a ConvNet with freshly initialised weights (deterministic in `seed`, on every backend). */
export function createConvNet(opts: CreateConvNetOptions): ConvNet {
  const arch = getArchitecture(opts.arch, opts.pooling);
  return buildConvNet(arch, opts.arch, opts.pooling, opts.inputShape ?? arch.nativeInputShape, opts.numClasses, opts.seed);
}

/** createConvNet from an explicit architecture object (checkpoints store theirs). */
export function buildConvNet(
  arch: Architecture, archName: string, pooling: Pooling | undefined,
  inputShape: readonly [number, number, number], numClasses: number, seed: number,
): ConvNet {
  if (!Array.isArray(inputShape) || inputShape.length !== 3 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValidationError('inputShape', inputShape, '[height, width, channels] of positive integers');
  }
  requireInteger('numClasses', numClasses, 1);
  requireInteger('seed', seed, 0, 2 ** 32 - 1);
  const { parameters, featureDim } = trunkParameters(arch, inputShape);
  const model = new ConvNet({
    arch, archName, pooling, inputShape: [...inputShape] as [number, number, number], featureDim, seed, numClasses,
  });
  for (const p of [...parameters, ...headParameters(featureDim, numClasses)]) {
    const v = tf.tidy(() => makeVariable(p, initialValues(p, seed)));
    (p.trainable ? model.params : model.stats).set(p.name, v);
  }
  return model;
}

/**
 * Replaces the classifier head by a fresh one with k outputs on the same trunk: weights N(0, 0.01)
 * from the stream (seed, 'head/kernel'), zero bias, and no momentum history (DeepCluster, every epoch).
 */
export function resetHead(model: ConvNet, k: number, seed: number): void {
  model.assertUsable();
  requireInteger('k', k, 1);
  requireInteger('seed', seed, 0, 2 ** 32 - 1);
  for (const name of ['head/kernel', 'head/bias']) {
    model.params.get(name)?.dispose();
    model.params.delete(name);
    model.momentum.get(name)?.dispose();
    model.momentum.delete(name);
  }
  for (const p of headParameters(model.featureDim, k)) {
    model.params.set(p.name, tf.tidy(() => makeVariable(p, initialValues(p, seed))));
  }
  model.numClasses = k;
}

/** A deep copy (weights, running statistics, momentum buffers): e.g. two methods from one start. */
export function cloneConvNet(model: ConvNet): ConvNet {
  model.assertUsable();
  const copy = new ConvNet({
    arch: model.arch, archName: model.archName, pooling: model.pooling, inputShape: [...model.inputShape],
    featureDim: model.featureDim, seed: model.seed, numClasses: model.numClasses,
  });
  tf.tidy(() => {
    for (const [name, v] of model.params) copy.params.set(name, tf.variable(v.clone(), true));
    for (const [name, v] of model.stats) copy.stats.set(name, tf.variable(v.clone(), false));
    for (const [name, v] of model.momentum) copy.momentum.set(name, tf.variable(v.clone(), false));
  });
  return copy;
}

/**
 * 'train': batch statistics, running averages updated. 'eval': running statistics, no gradients
 * needed. 'eval-grad': running statistics, differentiable (per-sample gradients, Fisher).
 */
export type ForwardMode = 'train' | 'eval' | 'eval-grad';

/** Trunk output: features [batch, featureDim] (pre-ReLU activations of the last hidden dense layer). */
export function forwardFeatures(model: ConvNet, x: tf.Tensor4D, mode: ForwardMode): tf.Tensor2D {
  let h: tf.Tensor = x;
  let first = true;
  for (const layer of model.arch.trunk) {
    switch (layer.type) {
      case 'conv':
        h = conv2d(h as tf.Tensor4D, model.params.get(`${layer.name}/kernel`) as unknown as tf.Tensor4D,
          layer.bias ? (model.params.get(`${layer.name}/bias`) as unknown as tf.Tensor1D) : null, {
            stride: layer.stride, padding: layer.padding, relu: layer.relu, inputGradient: !first,
          });
        first = false;
        break;
      case 'batchnorm': {
        const state = model.batchNormState(layer.name);
        const opts = { epsilon: BATCH_NORM_EPSILON, momentum: BATCH_NORM_MOMENTUM, relu: layer.relu };
        h = mode === 'train' ? batchNormTrain(h, state, opts, true) : batchNormInfer(h, state, opts, mode === 'eval-grad');
        break;
      }
      case 'maxpool':
        h = tf.maxPool(h as tf.Tensor4D, layer.size, layer.stride, 'valid');
        break;
      case 'avgpool':
        h = tf.avgPool(h as tf.Tensor4D, layer.size, layer.stride, 'valid');
        break;
      case 'flatten':
        h = tf.reshape(h, [h.shape[0]!, -1]);
        break;
      case 'dense':
        if (h.rank !== 2) h = tf.reshape(h, [h.shape[0]!, -1]);
        h = dense(h as tf.Tensor2D, model.params.get(`${layer.name}/kernel`) as unknown as tf.Tensor2D,
          model.params.get(`${layer.name}/bias`) as unknown as tf.Tensor1D, layer.relu);
        first = false;
        break;
    }
  }
  return h as tf.Tensor2D;
}

/** Logits [batch, numClasses]: features, ReLU, head. */
export function forwardLogits(model: ConvNet, x: tf.Tensor4D, mode: ForwardMode): tf.Tensor2D {
  const features = forwardFeatures(model, x, mode);
  return dense(tf.relu(features), model.params.get('head/kernel') as unknown as tf.Tensor2D,
    model.params.get('head/bias') as unknown as tf.Tensor1D, false);
}

/** A weight as plain data (for conversion to a spiking network or inspection without tfjs). */
export interface WeightArray {
  shape: number[];
  values: Float32Array;
}

/**
 * Every parameter and running statistic by name (conv1/kernel [kh, kw, in, out], bn1/gamma,
 * bn1/moving_variance, fc1/kernel [in, out], head/bias, ...), copied out of the backend.
 */
export function exportWeights(model: ConvNet): Record<string, WeightArray> {
  model.assertUsable();
  const out: Record<string, WeightArray> = {};
  for (const [name, v] of model.namedWeights()) out[name] = { shape: [...v.shape], values: v.dataSync() as Float32Array };
  return out;
}
