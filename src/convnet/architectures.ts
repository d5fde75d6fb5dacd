import { ValidationError, requireOneOf } from '../errors.js';
import type { Padding } from './ops.js';

/**
 * ConvNet architectures as data. A network is a trunk (this list of layers, ending with the feature
 * layer: a dense layer without ReLU) followed by the classifier head, which the model adds: ReLU,
 * then a dense layer named 'head' with one output per class (or cluster). Features for clustering
 * are the trunk's output, i.e. the pre-ReLU activations of the last hidden dense layer, as in
 * DeepCluster.
 *
 * Every activation is ReLU and every normalisation is batch norm, so a trained network converts to a
 * rate-coded spiking network: batch norm folds into the neighbouring weights (exactly into the
 * preceding conv when it comes right after it, as in the VGG stacks), ReLU becomes
 * integrate-and-fire. Max pooling has no exact spiking equivalent; average pooling does (it is a
 * fixed linear map), so `pooling: 'avg'` trains a network that converts without approximation.
 */

export type LayerSpec =
  | { type: 'conv'; name: string; filters: number; kernelSize: number; stride: number; padding: Padding; bias: boolean; relu: boolean }
  | { type: 'batchnorm'; name: string; relu: boolean }
  | { type: 'maxpool'; size: number; stride: number }
  | { type: 'avgpool'; size: number; stride: number }
  | { type: 'flatten' }
  | { type: 'dense'; name: string; units: number; relu: boolean };

export interface Architecture {
  name: string;
  description: string;
  /** The input the stack is sized for, [height, width, channels]; others work if pooling leaves >= 1 pixel. */
  nativeInputShape: [number, number, number];
  trunk: LayerSpec[];
}

export type Pooling = 'max' | 'avg';

/** Batch-norm constants (PyTorch defaults, as in DeepCluster). */
export const BATCH_NORM_EPSILON = 1e-5;
export const BATCH_NORM_MOMENTUM = 0.1;

const conv = (name: string, filters: number, opts: { bias?: boolean; relu?: boolean } = {}): LayerSpec => ({
  type: 'conv', name, filters, kernelSize: 3, stride: 1, padding: 'same', bias: opts.bias ?? false, relu: opts.relu ?? false,
});
const bnRelu = (name: string): LayerSpec => ({ type: 'batchnorm', name, relu: true });
const pool2: LayerSpec = { type: 'maxpool', size: 2, stride: 2 };

/** conv3x3 (no bias) + BN + ReLU: the BN folds exactly into the conv for conversion. */
const vggBlock = (name: string, filters: number): LayerSpec[] => [conv(`${name}`, filters), bnRelu(`${name}_bn`)];

export const ARCHITECTURES: Record<string, Architecture> = {
  reference: {
    name: 'reference',
    description:
      'Benchmark net: conv3x3-32 + ReLU + BN + maxpool2, conv3x3-64 + ReLU + maxpool2, dense-128 (features), ReLU, dense head',
    nativeInputShape: [28, 28, 1],
    trunk: [
      conv('conv1', 32, { bias: true, relu: true }),
      { type: 'batchnorm', name: 'bn1', relu: false },
      pool2,
      conv('conv2', 64, { bias: true, relu: true }),
      pool2,
      { type: 'flatten' },
      { type: 'dense', name: 'fc1', units: 128, relu: false },
    ],
  },
  'vgg-28': {
    name: 'vgg-28',
    description:
      'Small VGG for 28x28x1: [conv32-BN-ReLU x2, pool] [conv64-BN-ReLU x2, pool], dense-256 + ReLU, dense-256 (features)',
    nativeInputShape: [28, 28, 1],
    trunk: [
      ...vggBlock('conv1a', 32), ...vggBlock('conv1b', 32), pool2,
      ...vggBlock('conv2a', 64), ...vggBlock('conv2b', 64), pool2,
      { type: 'flatten' },
      { type: 'dense', name: 'fc1', units: 256, relu: true },
      { type: 'dense', name: 'fc2', units: 256, relu: false },
    ],
  },
  'vgg-64': {
    name: 'vgg-64',
    description:
      'Small VGG for 64x64x3: conv32, pool, conv64, pool, conv128 x2, pool, conv256, pool (each conv + BN + ReLU), dense-512 + ReLU, dense-512 (features)',
    nativeInputShape: [64, 64, 3],
    trunk: [
      ...vggBlock('conv1', 32), pool2,
      ...vggBlock('conv2', 64), pool2,
      ...vggBlock('conv3a', 128), ...vggBlock('conv3b', 128), pool2,
      ...vggBlock('conv4', 256), pool2,
      { type: 'flatten' },
      { type: 'dense', name: 'fc1', units: 512, relu: true },
      { type: 'dense', name: 'fc2', units: 512, relu: false },
    ],
  },
};

export const ARCHITECTURE_NAMES = Object.keys(ARCHITECTURES);

/** The architecture called `name` (`--arch`), with its pooling layers switched to `pooling` if given. */
export function getArchitecture(name: string, pooling?: Pooling): Architecture {
  const arch = ARCHITECTURES[requireOneOf('arch', name, ARCHITECTURE_NAMES)]!;
  if (pooling === undefined) return arch;
  requireOneOf('pooling', pooling, ['max', 'avg'] as const);
  return {
    ...arch,
    trunk: arch.trunk.map((layer) =>
      layer.type === 'maxpool' || layer.type === 'avgpool' ? { ...layer, type: pooling === 'max' ? 'maxpool' : 'avgpool' } : layer,
    ),
  };
}

export interface ParameterShape {
  name: string;
  shape: number[];
  /** He-normal std for conv kernels, 0.01 for dense kernels (DeepCluster), 0 for zero init, 1 for ones. */
  init: { kind: 'normal'; std: number } | { kind: 'zeros' } | { kind: 'ones' };
  trainable: boolean;
}

function outSize(size: number, kernel: number, stride: number, padding: Padding): number {
  if (padding === 'same') return Math.ceil(size / stride);
  const pad = padding === 'valid' ? 0 : padding;
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}

/**
 * Walks the trunk for an input shape: the parameters it needs (in layer order) and the feature
 * size. Throws a ValidationError when the input is too small for the stack.
 */
export function trunkParameters(arch: Architecture, inputShape: readonly [number, number, number]): {
  parameters: ParameterShape[];
  featureDim: number;
} {
  let [h, w, c] = inputShape;
  let flat: number | null = null;
  const parameters: ParameterShape[] = [];
  const last = arch.trunk[arch.trunk.length - 1];
  if (last === undefined || last.type !== 'dense' || last.relu) {
    throw new ValidationError('arch.trunk', arch.name, 'a trunk ending with a dense layer without ReLU (the feature layer)');
  }
  for (const layer of arch.trunk) {
    switch (layer.type) {
      case 'conv': {
        if (flat !== null) throw new ValidationError('arch.trunk', layer.name, 'conv layers before flatten');
        const fanOut = layer.kernelSize * layer.kernelSize * layer.filters;
        parameters.push({ name: `${layer.name}/kernel`, shape: [layer.kernelSize, layer.kernelSize, c, layer.filters], init: { kind: 'normal', std: Math.sqrt(2 / fanOut) }, trainable: true });
        if (layer.bias) parameters.push({ name: `${layer.name}/bias`, shape: [layer.filters], init: { kind: 'zeros' }, trainable: true });
        h = outSize(h, layer.kernelSize, layer.stride, layer.padding);
        w = outSize(w, layer.kernelSize, layer.stride, layer.padding);
        c = layer.filters;
        break;
      }
      case 'batchnorm': {
        const n = flat ?? c;
        parameters.push({ name: `${layer.name}/gamma`, shape: [n], init: { kind: 'ones' }, trainable: true });
        parameters.push({ name: `${layer.name}/beta`, shape: [n], init: { kind: 'zeros' }, trainable: true });
        parameters.push({ name: `${layer.name}/moving_mean`, shape: [n], init: { kind: 'zeros' }, trainable: false });
        parameters.push({ name: `${layer.name}/moving_variance`, shape: [n], init: { kind: 'ones' }, trainable: false });
        break;
      }
      case 'maxpool':
      case 'avgpool':
        h = Math.floor((h - layer.size) / layer.stride) + 1;
        w = Math.floor((w - layer.size) / layer.stride) + 1;
        break;
      case 'flatten':
        flat = h * w * c;
        break;
      case 'dense': {
        const fanIn = flat ?? h * w * c;
        parameters.push({ name: `${layer.name}/kernel`, shape: [fanIn, layer.units], init: { kind: 'normal', std: 0.01 }, trainable: true });
        parameters.push({ name: `${layer.name}/bias`, shape: [layer.units], init: { kind: 'zeros' }, trainable: true });
        flat = layer.units;
        break;
      }
    }
    if (h < 1 || w < 1) {
      throw new ValidationError('inputShape', [...inputShape], `an input large enough for architecture ${arch.name} (native ${arch.nativeInputShape.join('x')})`);
    }
  }
  return { parameters, featureDim: flat! };
}

/** The head's parameters for k outputs on top of featureDim features. */
export function headParameters(featureDim: number, k: number): ParameterShape[] {
  return [
    { name: 'head/kernel', shape: [featureDim, k], init: { kind: 'normal', std: 0.01 }, trainable: true },
    { name: 'head/bias', shape: [k], init: { kind: 'zeros' }, trainable: true },
  ];
}
