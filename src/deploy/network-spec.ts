/**
 * A converted network as plain data (no tensors): the layers of integrate-and-fire neurons the
 * deployment kernels run, with float weights. It can be cloned to worker threads as it is.
 *
 * Feature maps are NHWC without the batch ((y * W + x) * C + c), the layout of the ConvNet's
 * tensors, so flattening keeps neuron indices.
 */

/** Height, width, channels of a feature map; a flat vector of n values is 1 x 1 x n. */
export interface MapShape {
  h: number;
  w: number;
  c: number;
}

interface LayerBase {
  name: string;
  input: MapShape;
  output: MapShape;
  /** Firing threshold (1 after threshold balancing). */
  vThresh: number;
}

export interface ConvLayerSpec extends LayerBase {
  kind: 'conv';
  kernelSize: number;
  stride: number;
  padTop: number;
  padLeft: number;
  /** [k][k][cIn][cOut] (tfjs HWIO). */
  weights: Float32Array;
  /** Per neuron (outH * outW * cOut): the folded bias is position-dependent at the borders. */
  bias: Float32Array;
}

export interface AvgPoolLayerSpec extends LayerBase {
  kind: 'avgpool';
  size: number;
  stride: number;
  /** Weight of every pooling synapse (1 / size^2 before threshold balancing). */
  weight: number;
}

export interface DenseLayerSpec extends LayerBase {
  kind: 'dense';
  /** [nIn][nOut] row-major. */
  weights: Float32Array;
  /** Per neuron (nOut). */
  bias: Float32Array;
}

export type SpikingLayerSpec = ConvLayerSpec | AvgPoolLayerSpec | DenseLayerSpec;

export interface NetworkSpec {
  /** Input map (the images), values in [0, 1]. */
  input: MapShape;
  /** Every layer ends with ReLU (integrate-and-fire) except the last, the classifier read out. */
  layers: SpikingLayerSpec[];
  /** Per layer: the activation scale the layer was normalised by (1 = not normalised). */
  scales: number[];
  /** What the conversion did, layer by layer, in words (folds, replacements), for the report. */
  notes: string[];
}

export function mapSize(s: MapShape): number {
  return s.h * s.w * s.c;
}

export function neuronsOf(layer: SpikingLayerSpec): number {
  return mapSize(layer.output);
}

/** Valid synapses of a layer per step: the dense synaptic operations of one step (padding taps excluded). */
export function denseOpsPerStep(layer: SpikingLayerSpec): number {
  switch (layer.kind) {
    case 'dense':
      return mapSize(layer.input) * layer.output.c;
    case 'avgpool':
      return mapSize(layer.output) * layer.size * layer.size;
    case 'conv': {
      const { kernelSize: k, stride, padTop, padLeft } = layer;
      const taps = (inSize: number, outSize: number, pad: number): number => {
        let n = 0;
        for (let o = 0; o < outSize; o++) {
          for (let d = 0; d < k; d++) {
            const i = o * stride - pad + d;
            if (i >= 0 && i < inSize) n++;
          }
        }
        return n;
      };
      // Valid (y, x) taps factor into rows x columns.
      return taps(layer.input.h, layer.output.h, padTop) * taps(layer.input.w, layer.output.w, padLeft) * layer.input.c * layer.output.c;
    }
  }
}
