import { requireInteger } from '../errors.js';

/**
 * Signed fixed-point weights for deployment: b bits (2..8) per synapse, levels -qMax..qMax with
 * qMax = 2^(b-1) - 1, one scale per layer: delta = max|w| / qMax, level = round(w / delta) (half
 * away from zero), value = level * delta. Stored one byte per synapse (i8). The kernels sum levels as
 * exact integers and scale by delta once per step, as the core's crossbar does for its unsigned
 * levels (the deployed ConvNet needs signed weights). Biases stay f32 (a bias current per neuron).
 */
export interface QuantizedWeights {
  levels: Int8Array;
  delta: number;
  bits: number;
}

export function quantizeSigned(weights: Float32Array, bits: number): QuantizedWeights {
  requireInteger('weightBits', bits, 2, 8);
  const qMax = 2 ** (bits - 1) - 1;
  let maxAbs = 0;
  for (let i = 0; i < weights.length; i++) maxAbs = Math.max(maxAbs, Math.abs(weights[i]!));
  const delta = maxAbs > 0 ? maxAbs / qMax : 1;
  const levels = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    const x = weights[i]! / delta;
    const q = Math.sign(x) * Math.floor(Math.abs(x) + 0.5);
    levels[i] = Math.max(-qMax, Math.min(qMax, q));
  }
  return { levels, delta: Math.fround(delta), bits };
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
