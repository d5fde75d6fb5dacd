import { requireFinite } from '../errors.js';
import type { ImageSet } from '../convnet/index.js';
import { annForward, PositiveValues } from './ann.js';
import type { NetworkSpec, SpikingLayerSpec } from './network-spec.js';

/**
 * Threshold balancing (data-based normalisation, Diehl et al. 2015; robust percentile version of
 * Rueckauer et al. 2017): lambda_l = the p-th percentile of layer l's positive ANN activations on a
 * calibration set. Weights are rescaled so every threshold is 1:
 *   W_l <- W_l * lambda_{l-1} / lambda_l,  b_l <- b_l / lambda_l   (lambda_{-1} = 1: inputs in [0, 1]),
 * so a neuron's firing rate (spikes per step) approximates its ANN activation / lambda_l, clipped at 1.
 * A layer without positive activations keeps lambda = 1.
 */

export interface LayerCalibration {
  name: string;
  /** lambda_l: the activation scale mapped to one spike per step. */
  scale: number;
  /** Largest activation seen (the classic max-normalisation scale, for reference). */
  max: number;
  /** Positive activations seen. */
  positives: number;
}

export interface Calibration {
  percentile: number;
  images: number;
  layers: LayerCalibration[];
}

export function calibrate(spec: NetworkSpec, images: ImageSet, percentile: number, batchSize?: number): Calibration {
  requireFinite('percentile', percentile, 0, 100);
  const values = new PositiveValues(spec.layers.length);
  annForward(spec, images, { batchSize, sink: values });
  const layers = spec.layers.map((layer, i) => {
    const p = values.percentile(i, percentile);
    return {
      name: layer.name,
      scale: p > 0 ? p : 1,
      max: values.percentile(i, 100),
      positives: values.count(i),
    };
  });
  return { percentile, images: images.count, layers };
}

function scaled(layer: SpikingLayerSpec, factorW: number, factorB: number): SpikingLayerSpec {
  switch (layer.kind) {
    case 'avgpool':
      return { ...layer, weight: layer.weight * factorW, vThresh: 1 };
    case 'conv':
    case 'dense':
      return {
        ...layer,
        weights: layer.weights.map((w) => w * factorW),
        bias: layer.bias.map((b) => b * factorB),
        vThresh: 1,
      };
  }
}

/** The network with weights rescaled by the calibration's scales (thresholds 1). */
export function balanceThresholds(spec: NetworkSpec, calibration: Calibration): NetworkSpec {
  let previous = 1;
  const layers = spec.layers.map((layer, i) => {
    const lambda = calibration.layers[i]!.scale;
    const out = scaled(layer, previous / lambda, 1 / lambda);
    previous = lambda;
    return out;
  });
  return { ...spec, layers, scales: calibration.layers.map((l) => l.scale) };
}
