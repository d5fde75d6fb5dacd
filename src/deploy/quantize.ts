import { ValidationError, requireFinite, requireInteger, requireOneOf } from '../errors.js';

/**
 * Signed fixed-point weights for deployment: b bits (2..8) per synapse, levels -qMax..qMax with
 * qMax = 2^(b-1) - 1. A scale group (the whole layer, or with `scale: 'channel'` one output channel:
 * a conv layer's output feature map, a dense layer's output neuron) has range r = the `clip`
 * percentile of its |w| (100 = max|w|, no clipping) and delta = r / qMax; level = round(w / delta)
 * (half away from zero), saturated at +-qMax; value = level * delta. Stored one byte per synapse
 * (i8). The kernels sum levels as exact integers and scale the sum by its channel's delta once per
 * step, as the core's crossbar does for its unsigned levels (the deployed ConvNet needs signed
 * weights). Biases stay f32 (a bias current per neuron).
 */
export const WEIGHT_SCALES = ['layer', 'channel'] as const;
export type WeightScale = (typeof WEIGHT_SCALES)[number];

export interface QuantizeOptions {
  /** One delta per layer (default) or per output channel. */
  scale?: WeightScale;
  /** Percentile of |w| (per scale group) used as the range: (50, 100], default 100 (max|w|). */
  clip?: number;
  /** Output channels: weights are [...][channels] with the channel fastest (HWIO conv, [nIn][nOut] dense). */
  channels?: number;
}

export interface QuantizationStats {
  /** Number of scale groups (1, or the output channels). */
  scales: number;
  /** Weights with |w| > their group's range (saturated at +-qMax) / all weights. */
  clippedFraction: number;
  /** Non-zero weights that became level 0 / all weights. */
  roundedToZeroFraction: number;
}

export interface QuantizedWeights {
  levels: Int8Array;
  /** The layer's delta (scale 'layer'); with per-channel scales, the largest channel delta. */
  delta: number;
  /** Per output channel (f32): with scale 'layer' every entry is `delta`. */
  deltas: Float32Array;
  bits: number;
  scale: WeightScale;
  clip: number;
  stats: QuantizationStats;
}

/** Validates quantization options (`names`: how the caller calls them); returns them with defaults filled in. */
export function quantizeOptions(
  bits: number, options: QuantizeOptions = {}, names = { bits: 'weightBits', scale: 'weightScale', clip: 'weightClip' },
): { scale: WeightScale; clip: number } {
  const scale = requireOneOf(names.scale, options.scale ?? 'layer', WEIGHT_SCALES);
  const clip = options.clip ?? 100;
  if (typeof clip !== 'number' || !Number.isFinite(clip) || clip <= 50 || clip > 100) {
    throw new ValidationError(names.clip, clip, 'a percentile of |w| in (50, 100] (100 = max|w|, no clipping)');
  }
  if (bits === 0 && scale !== 'layer') {
    throw new ValidationError(names.scale, scale, `'layer' with f32 weights (${names.bits} 0); per-channel scales need ${names.bits} 2..8`);
  }
  if (bits === 0 && clip !== 100) {
    throw new ValidationError(names.clip, clip, `100 with f32 weights (${names.bits} 0); clipping needs ${names.bits} 2..8`);
  }
  return { scale, clip };
}

/** The p-th percentile (linear interpolation between order statistics) of |values[i]| over the indices of one group. */
function absPercentile(abs: Float64Array, p: number): number {
  if (abs.length === 0) return 0;
  if (p === 100) {
    let m = 0;
    for (let i = 0; i < abs.length; i++) m = Math.max(m, abs[i]!);
    return m;
  }
  abs.sort();
  const pos = ((abs.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(abs.length - 1, lo + 1);
  return abs[lo]! + (abs[hi]! - abs[lo]!) * (pos - lo);
}

export function quantizeSigned(weights: Float32Array, bits: number, options: QuantizeOptions = {}): QuantizedWeights {
  requireInteger('weightBits', bits, 2, 8);
  const { scale, clip } = quantizeOptions(bits, options);
  const channels = scale === 'channel' ? requireInteger('channels', options.channels, 1) : 1;
  if (weights.length % channels !== 0) throw new ValidationError('channels', channels, `a divisor of the weight count ${weights.length}`);
  const qMax = 2 ** (bits - 1) - 1;
  const perGroup = weights.length / channels;
  const deltas64 = new Float64Array(channels);
  const ranges = new Float64Array(channels);
  const abs = new Float64Array(perGroup);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < perGroup; i++) abs[i] = Math.abs(weights[i * channels + c]!);
    const range = absPercentile(abs, clip);
    ranges[c] = range;
    deltas64[c] = range > 0 ? range / qMax : 1;
  }
  const levels = new Int8Array(weights.length);
  let clipped = 0;
  let toZero = 0;
  for (let i = 0; i < weights.length; i++) {
    const c = i % channels;
    const w = weights[i]!;
    const x = w / deltas64[c]!;
    const q = Math.sign(x) * Math.floor(Math.abs(x) + 0.5);
    const level = Math.max(-qMax, Math.min(qMax, q));
    levels[i] = level;
    if (Math.abs(w) > ranges[c]!) clipped++;
    if (level === 0 && w !== 0) toZero++;
  }
  const deltas = Float32Array.from(deltas64);
  let delta = 0;
  for (let c = 0; c < channels; c++) delta = Math.max(delta, deltas64[c]!);
  const n = Math.max(1, weights.length);
  return {
    levels,
    delta: Math.fround(delta),
    deltas: scale === 'layer' ? new Float32Array(1).fill(deltas[0]!) : deltas,
    bits,
    scale,
    clip,
    stats: { scales: channels, clippedFraction: clipped / n, roundedToZeroFraction: toZero / n },
  };
}

/** Non-zero entries per row of a row-major rows x cols matrix. */
export function rowNonZeros(values: ArrayLike<number>, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let n = 0;
    for (let j = 0; j < cols; j++) if (values[r * cols + j] !== 0) n++;
    out[r] = n;
  }
  return out;
}
