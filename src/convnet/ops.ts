import * as tf from '@tensorflow/tfjs';
import { WASM_KERNEL_NAMES } from './wasm-kernels.js';

/**
 * The ConvNet's layer operations with hand-written gradients. On the 'wasm' backend the backward
 * passes (and batch-norm statistics) run in this project's AssemblyScript kernels; on other backends
 * the same maths runs as ordinary tfjs ops, so every backend computes the same function.
 */

export type Padding = 'same' | 'valid' | number;

function onWasm(): boolean {
  return tf.getBackend() === 'wasm';
}

type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];

/**
 * tf.customGrad with positional tensor arguments: `f(inputs, save)` returns the value and the
 * gradient function (one gradient per input).
 */
function customOp<T extends tf.Tensor>(
  f: (inputs: tf.Tensor[], save: tf.GradSaveFunc) => { value: T; gradFunc: GradFunc },
): (...inputs: tf.Tensor[]) => T {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    return f(args.slice(0, -1) as tf.Tensor[], save);
  });
  return (...inputs: tf.Tensor[]) => op(...inputs) as T;
}

function run<T extends tf.Tensor | tf.Tensor[]>(name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}): T {
  return tf.engine().runKernel(name, inputs, attrs) as T;
}

/** tfjs padding argument: 'same' | 'valid' or explicit symmetric padding in pixels. */
function tfPad(padding: Padding): 'same' | 'valid' | tf.backend_util.ExplicitPadding {
  if (typeof padding === 'number') return [[0, 0], [padding, padding], [padding, padding], [0, 0]];
  return padding;
}

/** Masks g by y > 0 (ReLU gradient given the ReLU output) and returns the per-channel sum too. */
function reluMaskAndChannelSum(dy: tf.Tensor, y: tf.Tensor): [tf.Tensor, tf.Tensor1D] {
  if (onWasm()) return run<tf.Tensor[]>(WASM_KERNEL_NAMES.reluBiasGrad, { dy, y }) as [tf.Tensor, tf.Tensor1D];
  const g = tf.mul(dy, tf.step(y));
  return [g, tf.sum(g, [...Array(g.rank - 1).keys()]) as tf.Tensor1D];
}

function channelSum(g: tf.Tensor): tf.Tensor1D {
  if (onWasm()) return run<tf.Tensor>(WASM_KERNEL_NAMES.channelSum, { x: g }) as tf.Tensor1D;
  return tf.sum(g, [...Array(g.rank - 1).keys()]) as tf.Tensor1D;
}

export interface Conv2dOptions {
  stride: number;
  padding: Padding;
  relu: boolean;
  /** False for the first layer: the gradient with respect to the images is never used. */
  inputGradient: boolean;
}

/**
 * y = [relu](conv2d(x, kernel) + bias), NHWC, dilation 1. Forward: one fused kernel (see below).
 * Backward: ReLU mask and bias gradient in one pass, then the Conv2DBackpropFilter and
 * Conv2DBackpropInput kernels (this project's on wasm).
 */
export function conv2d(
  x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D | null, opts: Conv2dOptions,
): tf.Tensor4D {
  const pad = tfPad(opts.padding);
  const strides: [number, number] = [opts.stride, opts.stride];
  const backward = (dy: tf.Tensor4D, xs: tf.Tensor4D, k: tf.Tensor4D, y: tf.Tensor4D): tf.Tensor[] => {
    let g: tf.Tensor4D = dy;
    let db: tf.Tensor1D | null = null;
    if (opts.relu) {
      const [masked, sum] = reluMaskAndChannelSum(dy, y);
      g = masked as tf.Tensor4D;
      db = sum;
    } else if (bias !== null) {
      db = channelSum(dy);
    }
    const dk = run<tf.Tensor4D>('Conv2DBackpropFilter', { x: xs, dy: g }, {
      strides, pad, dataFormat: 'NHWC', filterShape: k.shape,
    } as unknown as tf.NamedAttrMap);
    const dx = opts.inputGradient
      ? run<tf.Tensor4D>('Conv2DBackpropInput', { dy: g, filter: k }, {
          strides, pad, dataFormat: 'NHWC', inputShape: xs.shape,
        } as unknown as tf.NamedAttrMap)
      : tf.zerosLike(xs);
    return bias === null ? [dx, dk] : [dx, dk, db ?? channelSum(g)];
  };
  // On wasm, stride-1 convolutions with >= 8 input channels run in this project's kernel (on par
  // with XNNPACK to 18 % faster on the layers here; XNNPACK is faster on 1-3 channel inputs). Otherwise the
  // fused kernel is called directly: tf.fused.conv2d splits into conv + add + relu whenever a
  // gradient is being recorded, which costs three passes over the output.
  const forward = (xs: tf.Tensor4D, k: tf.Tensor4D, b: tf.Tensor1D | undefined): tf.Tensor4D => {
    const inputs: tf.NamedTensorMap = b === undefined ? { x: xs, filter: k } : { x: xs, filter: k, bias: b };
    if (opts.stride === 1 && k.shape[2] >= 8 && onWasm()) {
      return run<tf.Tensor4D>(WASM_KERNEL_NAMES.conv2d, inputs, { pad, relu: opts.relu } as unknown as tf.NamedAttrMap);
    }
    return run<tf.Tensor4D>('FusedConv2D', inputs, {
      strides, pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined,
      activation: opts.relu ? 'relu' : 'linear', leakyreluAlpha: undefined,
    } as unknown as tf.NamedAttrMap);
  };
  const op = customOp<tf.Tensor4D>((inputs, save) => {
    const [xs, k, b] = inputs as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D | undefined];
    const y = forward(xs, k, b);
    save([xs, k, y]);
    return {
      value: y,
      gradFunc: (dy, saved) => backward(dy as tf.Tensor4D, saved[0] as tf.Tensor4D, saved[1] as tf.Tensor4D, saved[2] as tf.Tensor4D),
    };
  });
  return bias === null ? op(x, kernel) : op(x, kernel, bias);
}

/**
 * y = [relu](x W + b) for x [batch, in], W [in, out]. Forward: tfjs's fused matMul (XNNPACK on
 * wasm). Backward on wasm: this project's convolution-gradient kernels (tfjs-wasm's matMul with a
 * transpose flag runs at under 1 GMAC/s, and its transpose kernel is slow as well).
 */
export function dense(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, relu: boolean): tf.Tensor2D {
  const op = customOp<tf.Tensor2D>(([xs, w, b], save) => {
    const [batch, inner] = xs!.shape as [number, number];
    const outer = w!.shape[1]!;
    const y = tf.reshape(run<tf.Tensor>('_FusedMatMul', {
      a: tf.reshape(xs!, [1, batch, inner]), b: tf.reshape(w!, [1, inner, outer]), bias: b!,
    }, { transposeA: false, transposeB: false, activation: relu ? 'relu' : 'linear', leakyreluAlpha: undefined } as unknown as tf.NamedAttrMap), [batch, outer]) as tf.Tensor2D;
    save([xs!, w!, y]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [xsS, wS, yS] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const g = (relu ? tf.mul(dy, tf.step(yS)) : dy) as tf.Tensor2D;
        const db = tf.sum(g, 0);
        if (onWasm()) {
          // A dense layer is a 1x1 convolution over a 1 x batch "image": the SIMD convolution
          // gradient kernels compute dW = x^T g and dx = g W^T without materialising transposes.
          const xImg = tf.reshape(xsS, [1, 1, batch, inner]);
          const gImg = tf.reshape(g, [1, 1, batch, outer]);
          const dw = run<tf.Tensor>('Conv2DBackpropFilter', { x: xImg, dy: gImg }, {
            strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', filterShape: [1, 1, inner, outer],
          } as unknown as tf.NamedAttrMap);
          const dx = run<tf.Tensor>('Conv2DBackpropInput', { dy: gImg, filter: tf.reshape(wS, [1, 1, inner, outer]) }, {
            strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', inputShape: [1, 1, batch, inner],
          } as unknown as tf.NamedAttrMap);
          return [tf.reshape(dx, [batch, inner]), tf.reshape(dw, [inner, outer]), db];
        }
        return [tf.matMul(g, wS, false, true), tf.matMul(xsS, g, true, false), db];
      },
    };
  });
  return op(x, kernel, bias);
}

export interface BatchNormState {
  gamma: tf.Variable;
  beta: tf.Variable;
  movingMean: tf.Variable;
  movingVariance: tf.Variable;
}

export interface BatchNormOptions {
  epsilon: number;
  /** Weight of the new batch statistic in the running averages (PyTorch convention, 0.1). */
  momentum: number;
  relu: boolean;
}

/**
 * Training-mode batch normalisation over all axes but the last (channels), with PyTorch semantics:
 * normalise with the biased batch variance, update the running variance with the unbiased one.
 * Updates movingMean/movingVariance as a side effect when `updateStatistics` is true.
 */
export function batchNormTrain(
  x: tf.Tensor, state: BatchNormState, opts: BatchNormOptions, updateStatistics: boolean,
): tf.Tensor {
  const rows = x.size / x.shape[x.rank - 1]!;
  const updateRunning = (mean: tf.Tensor, variance: tf.Tensor): void => {
    if (!updateStatistics) return;
    tf.tidy(() => {
      const m = opts.momentum;
      const unbiased = rows > 1 ? tf.mul(variance, rows / (rows - 1)) : variance;
      state.movingMean.assign(tf.add(tf.mul(state.movingMean, 1 - m), tf.mul(mean, m)));
      state.movingVariance.assign(tf.add(tf.mul(state.movingVariance, 1 - m), tf.mul(unbiased, m)));
    });
  };
  if (!onWasm()) {
    const axes = [...Array(x.rank - 1).keys()];
    const { mean, variance } = tf.moments(x, axes);
    updateRunning(mean, variance);
    const y = tf.batchNorm(x, mean, variance, state.beta, state.gamma, opts.epsilon);
    return opts.relu ? tf.relu(y) : y;
  }
  const op = customOp<tf.Tensor>(([xs, gamma, beta], save) => {
    const [y, mean, variance] = run<tf.Tensor[]>(WASM_KERNEL_NAMES.batchNormTrain, { x: xs, gamma, beta }, {
      epsilon: opts.epsilon, relu: opts.relu,
    }) as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
    updateRunning(mean, variance);
    save([xs!, y, mean, variance, gamma!]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [xS, yS, meanS, varS, gammaS] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return run<tf.Tensor[]>(WASM_KERNEL_NAMES.batchNormGrad, {
          dy, x: xS, y: yS, mean: meanS, variance: varS, gamma: gammaS,
        }, { epsilon: opts.epsilon, relu: opts.relu });
      },
    };
  });
  return op(x, state.gamma, state.beta);
}

/**
 * Inference-mode batch normalisation with the running statistics: a per-channel affine map
 * y = x * scale + shift, scale = gamma / sqrt(movingVariance + eps), shift = beta - movingMean * scale
 * (with `differentiable`, through ordinary tfjs ops so gradients reach x, gamma and beta).
 */
export function batchNormInfer(
  x: tf.Tensor, state: BatchNormState, opts: BatchNormOptions, differentiable: boolean,
): tf.Tensor {
  const scale = tf.div(state.gamma, tf.sqrt(tf.add(state.movingVariance, opts.epsilon)));
  const shift = tf.sub(state.beta, tf.mul(state.movingMean, scale));
  if (onWasm() && !differentiable) {
    return run<tf.Tensor>(WASM_KERNEL_NAMES.batchNormApply, { x, scale, shift }, { relu: opts.relu });
  }
  const y = tf.add(tf.mul(x, scale), shift);
  return opts.relu ? tf.relu(y) : y;
}
