import { ValidationError } from '../errors.js';
import { BATCH_NORM_EPSILON, type ConvNet, type LayerSpec } from '../convnet/index.js';
import type { Padding } from '../convnet/ops.js';
import type { ConvLayerSpec, DenseLayerSpec, MapShape, NetworkSpec, SpikingLayerSpec } from './network-spec.js';

/** A per-channel affine map x -> scale * x + shift waiting to be folded into the next linear layer. */
interface Affine {
  scale: Float64Array;
  shift: Float64Array;
}

interface Open {
  /** The last linear layer has no ReLU yet: a batch norm may still fold into it. */
  layer: ConvLayerSpec | DenseLayerSpec;
}

function values(model: ConvNet, name: string): Float32Array {
  const v = model.params.get(name) ?? model.stats.get(name);
  if (v === undefined) throw new ValidationError('checkpoint', name, 'a weight of the converted layer');
  return Float32Array.from(v.dataSync() as Float32Array);
}

/** Output size and leading padding of a convolution, as tfjs computes them. */
export function convGeometry(size: number, k: number, stride: number, padding: Padding): { out: number; padBefore: number } {
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + k - size, 0);
    return { out, padBefore: Math.floor(total / 2) };
  }
  const pad = padding === 'valid' ? 0 : padding;
  return { out: Math.floor((size + 2 * pad - k) / stride) + 1, padBefore: pad };
}

/** Scales the outputs of a linear layer by s[co] and adds t[co] (a batch norm right after it). */
function foldOutputAffine(layer: ConvLayerSpec | DenseLayerSpec, s: Float64Array, t: Float64Array): void {
  const cOut = layer.output.c;
  for (let i = 0; i < layer.weights.length; i++) layer.weights[i] = layer.weights[i]! * s[i % cOut]!;
  for (let i = 0; i < layer.bias.length; i++) layer.bias[i] = layer.bias[i]! * s[i % cOut]! + t[i % cOut]!;
}

/** Folds x -> s * x + t on a conv layer's input: scaled weights, per-position bias (valid taps only). */
function foldInputAffineConv(layer: ConvLayerSpec, a: Affine): void {
  const { kernelSize: k, stride, padTop, padLeft } = layer;
  const { h, w, c: cIn } = layer.input;
  const { h: outH, w: outW, c: cOut } = layer.output;
  const original = Float64Array.from(layer.weights);
  for (let i = 0; i < layer.weights.length; i++) {
    const ci = Math.floor(i / cOut) % cIn;
    layer.weights[i] = original[i]! * a.scale[ci]!;
  }
  // Contribution of the shift through one kernel tap, per output channel.
  const tap = new Float64Array(k * k * cOut);
  for (let r = 0; r < k * k; r++) {
    for (let ci = 0; ci < cIn; ci++) {
      const base = (r * cIn + ci) * cOut;
      for (let co = 0; co < cOut; co++) tap[r * cOut + co] += original[base + co]! * a.shift[ci]!;
    }
  }
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      const p = (oy * outW + ox) * cOut;
      for (let ky = 0; ky < k; ky++) {
        const iy = oy * stride - padTop + ky;
        if (iy < 0 || iy >= h) continue;
        for (let kx = 0; kx < k; kx++) {
          const ix = ox * stride - padLeft + kx;
          if (ix < 0 || ix >= w) continue;
          for (let co = 0; co < cOut; co++) layer.bias[p + co] = layer.bias[p + co]! + tap[(ky * k + kx) * cOut + co]!;
        }
      }
    }
  }
}

/** Folds x -> s * x + t on a dense layer's input (s, t per input feature). */
function foldInputAffineDense(layer: DenseLayerSpec, a: Affine): void {
  const nOut = layer.output.c;
  const nIn = layer.input.c;
  for (let i = 0; i < nIn; i++) {
    const s = a.scale[i]!;
    const t = a.shift[i]!;
    for (let o = 0; o < nOut; o++) {
      const wv = layer.weights[i * nOut + o]!;
      layer.bias[o] = layer.bias[o]! + wv * t;
      layer.weights[i * nOut + o] = wv * s;
    }
  }
}

/**
 * Converts a trained ConvNet into the layers of a rate-coded spiking network (float weights, not yet
 * threshold-balanced; see calibrate.ts). Rules:
 * - conv and dense layers become integrate-and-fire layers (their ReLU is the neuron's threshold);
 * - a batch norm right after a linear layer (before its ReLU) folds exactly into its weights and bias;
 *   a batch norm after a ReLU folds into the next linear layer's input: its scale into the weights,
 *   its shift into the bias, per output position for a padded convolution (taps in the padding
 *   see zeros, not the shift), so the fold stays exact at the borders; it commutes with average
 *   pooling on the way;
 * - max pooling is replaced by average pooling (exact for a network trained with average pooling,
 *   an approximation otherwise, measured by the converted ANN's accuracy); each pooling becomes a
 *   layer of integrate-and-fire neurons with one synapse per window element;
 * - flatten keeps NHWC order; the classifier head (ReLU on the features, then dense) is the output
 *   layer, read out by spike count or membrane potential.
 */
export function convertConvNet(model: ConvNet): NetworkSpec {
  model.assertUsable();
  const [h0, w0, c0] = model.inputShape;
  const input: MapShape = { h: h0, w: w0, c: c0 };
  let shape: MapShape = { ...input };
  let flat = false;
  const layers: SpikingLayerSpec[] = [];
  const notes: string[] = [];
  let open: Open | null = null;
  let pending: Affine | null = null;
  let pendingNegative = false;

  const requireClosed = (what: string): void => {
    if (open !== null) {
      throw new ValidationError('checkpoint architecture', what, `a ReLU (or batch norm with ReLU) after linear layer ${open.layer.name}: two linear maps in a row do not convert`);
    }
  };

  const addDense = (name: string, weights: Float32Array, bias: Float32Array, units: number): DenseLayerSpec => {
    const nIn = shape.h * shape.w * shape.c;
    const layer: DenseLayerSpec = {
      kind: 'dense', name, input: { h: 1, w: 1, c: nIn }, output: { h: 1, w: 1, c: units }, vThresh: 1, weights, bias,
    };
    if (pending !== null) {
      foldInputAffineDense(layer, expandToFeatures(pending, shape));
      notes.push(`${name}: folded the preceding batch norm (after ReLU) into its input weights and bias`);
      pending = null;
    }
    layers.push(layer);
    shape = { h: 1, w: 1, c: units };
    flat = true;
    return layer;
  };

  for (const spec of model.arch.trunk as LayerSpec[]) {
    switch (spec.type) {
      case 'conv': {
        requireClosed(spec.name);
        if (flat) throw new ValidationError('checkpoint architecture', spec.name, 'conv layers before flatten');
        const k = spec.kernelSize;
        const gy = convGeometry(shape.h, k, spec.stride, spec.padding);
        const gx = convGeometry(shape.w, k, spec.stride, spec.padding);
        const output = { h: gy.out, w: gx.out, c: spec.filters };
        const kernel = values(model, `${spec.name}/kernel`);
        const b = spec.bias ? values(model, `${spec.name}/bias`) : new Float32Array(spec.filters);
        const bias = new Float32Array(output.h * output.w * output.c);
        for (let i = 0; i < bias.length; i++) bias[i] = b[i % output.c]!;
        const layer: ConvLayerSpec = {
          kind: 'conv', name: spec.name, input: { ...shape }, output, vThresh: 1, kernelSize: k, stride: spec.stride,
          padTop: gy.padBefore, padLeft: gx.padBefore, weights: kernel, bias,
        };
        if (pending !== null) {
          foldInputAffineConv(layer, pending);
          notes.push(`${spec.name}: folded the preceding batch norm (after ReLU) into its weights; its shift into a per-position bias`);
          pending = null;
        }
        layers.push(layer);
        shape = output;
        open = spec.relu ? null : { layer };
        break;
      }
      case 'batchnorm': {
        const n = shape.c;
        const gamma = values(model, `${spec.name}/gamma`);
        const beta = values(model, `${spec.name}/beta`);
        const mean = values(model, `${spec.name}/moving_mean`);
        const variance = values(model, `${spec.name}/moving_variance`);
        const scale = new Float64Array(n);
        const shift = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          scale[i] = gamma[i]! / Math.sqrt(variance[i]! + BATCH_NORM_EPSILON);
          shift[i] = beta[i]! - mean[i]! * scale[i]!;
        }
        if (open !== null) {
          foldOutputAffine(open.layer, scale, shift);
          notes.push(`${spec.name}: folded into ${open.layer.name} (weights and bias)`);
          if (spec.relu) open = null;
        } else {
          if (spec.relu) {
            throw new ValidationError('checkpoint architecture', spec.name, 'batch norm with ReLU directly after a linear layer without ReLU');
          }
          if (pending !== null) {
            for (let i = 0; i < n; i++) {
              pending.shift[i] = pending.shift[i]! * scale[i]! + shift[i]!;
              pending.scale[i] = pending.scale[i]! * scale[i]!;
            }
          } else {
            pending = { scale, shift };
          }
        }
        break;
      }
      case 'maxpool':
      case 'avgpool': {
        requireClosed(spec.type);
        if (pending !== null && spec.type === 'maxpool') {
          if ((pending as Affine).scale.some((s) => s < 0)) pendingNegative = true;
        }
        const out = {
          h: Math.floor((shape.h - spec.size) / spec.stride) + 1,
          w: Math.floor((shape.w - spec.size) / spec.stride) + 1,
          c: shape.c,
        };
        const name = `pool${layers.filter((l) => l.kind === 'avgpool').length + 1}`;
        layers.push({
          kind: 'avgpool', name, input: { ...shape }, output: out, vThresh: 1, size: spec.size, stride: spec.stride,
          weight: 1 / (spec.size * spec.size),
        });
        if (spec.type === 'maxpool') {
          notes.push(`${name}: max pooling ${spec.size}x${spec.size} replaced by average pooling; the converted ANN's accuracy shows the cost`);
        }
        shape = out;
        break;
      }
      case 'flatten':
        shape = { h: 1, w: 1, c: shape.h * shape.w * shape.c };
        if (pending !== null) pending = expandToFeatures(pending, { h: 1, w: 1, c: shape.c }, (pending as Affine).scale.length);
        flat = true;
        break;
      case 'dense': {
        requireClosed(spec.name);
        if (!flat) shape = { h: 1, w: 1, c: shape.h * shape.w * shape.c };
        const layer = addDense(spec.name, values(model, `${spec.name}/kernel`), values(model, `${spec.name}/bias`), spec.units);
        open = spec.relu ? null : { layer };
        break;
      }
    }
  }
  if (pendingNegative) {
    notes.push('a batch norm with a negative scale precedes a max pooling: replacing it by average pooling changes the function more than usual');
  }
  // Head: ReLU on the features, then the classifier.
  if (open === null && pending !== null) {
    throw new ValidationError('checkpoint architecture', 'trunk end', 'a trunk ending with a linear layer (the feature layer)');
  }
  open = null;
  addDense('head', values(model, 'head/kernel'), values(model, 'head/bias'), model.numClasses);
  return { input, layers, scales: layers.map(() => 1), notes };
}

/** A per-channel affine as per-feature arrays over a flattened h x w x c map (NHWC order). */
function expandToFeatures(a: Affine, shape: MapShape, channels = a.scale.length): Affine {
  const n = shape.h * shape.w * shape.c;
  if (a.scale.length === n) return a;
  const scale = new Float64Array(n);
  const shift = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    scale[i] = a.scale[i % channels]!;
    shift[i] = a.shift[i % channels]!;
  }
  return { scale, shift };
}
