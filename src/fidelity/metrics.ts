/**
 * Fidelity metrics of a point against the float reference of its seed (docs/fidelity.md):
 * prototype similarity (cosine after a one-to-one matching of neurons), agreement of output spike
 * counts on the probe set, clustering NMI of the winning neurons, and the applied-change histogram.
 */
import { munkres } from 'munkres';
import { ValidationError } from '../errors.js';
import { contingency, nmi } from '../cluster/metrics.js';

/** Columns (neurons) of a row-major nIn x nOut matrix. */
function columnNorms(w: ArrayLike<number>, nIn: number, nOut: number): Float64Array {
  const norms = new Float64Array(nOut);
  for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) norms[j]! += w[i * nOut + j]! ** 2;
  for (let j = 0; j < nOut; j++) norms[j] = Math.sqrt(norms[j]!);
  return norms;
}

/** cos[p * nOut + r]: cosine between column p of `a` and column r of `b` (0 when either is all zero). */
export function cosineMatrix(a: ArrayLike<number>, b: ArrayLike<number>, nIn: number, nOut: number): Float64Array {
  if (a.length !== nIn * nOut || b.length !== nIn * nOut) {
    throw new ValidationError('weights', `${a.length} and ${b.length} values`, `nIn x nOut = ${nIn * nOut} values each`);
  }
  const na = columnNorms(a, nIn, nOut);
  const nb = columnNorms(b, nIn, nOut);
  const dot = new Float64Array(nOut * nOut);
  for (let i = 0; i < nIn; i++) {
    const ro = i * nOut;
    for (let p = 0; p < nOut; p++) {
      const x = a[ro + p]!;
      if (x === 0) continue;
      const o = p * nOut;
      for (let r = 0; r < nOut; r++) dot[o + r]! += x * b[ro + r]!;
    }
  }
  for (let p = 0; p < nOut; p++) {
    for (let r = 0; r < nOut; r++) {
      const d = na[p]! * nb[r]!;
      dot[p * nOut + r] = d > 0 ? dot[p * nOut + r]! / d : 0;
    }
  }
  return dot;
}

export interface PrototypeMatch {
  /** Float neuron matched to each of the point's neurons. */
  toReference: Int32Array;
  /** Cosine of every matched pair (point neuron order). */
  cosines: Float64Array;
  /** Mean matched cosine. */
  meanCosine: number;
}

/**
 * One-to-one matching of the point's neurons to the reference's neurons maximising the summed cosine
 * of their weight vectors (Kuhn-Munkres, package `munkres`).
 */
export function matchPrototypes(point: ArrayLike<number>, reference: ArrayLike<number>, nIn: number, nOut: number): PrototypeMatch {
  const cos = cosineMatrix(point, reference, nIn, nOut);
  const cost: number[][] = [];
  for (let p = 0; p < nOut; p++) {
    const row: number[] = new Array(nOut);
    for (let r = 0; r < nOut; r++) row[r] = 1 - cos[p * nOut + r]!;
    cost.push(row);
  }
  const toReference = new Int32Array(nOut).fill(-1);
  const cosines = new Float64Array(nOut);
  for (const [p, r] of munkres(cost)) {
    toReference[p] = r;
    cosines[p] = cos[p * nOut + r]!;
  }
  let sum = 0;
  for (let p = 0; p < nOut; p++) sum += cosines[p]!;
  return { toReference, cosines, meanCosine: sum / nOut };
}

/** Winning neuron of every sample (most spikes, ties to the lower index); nOut for a silent sample. */
export function winners(responses: ArrayLike<number>, nOut: number): Int32Array {
  const n = Math.floor(responses.length / nOut);
  const out = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const o = s * nOut;
    let best = -1;
    let bestCount = 0;
    for (let j = 0; j < nOut; j++) {
      const c = responses[o + j]!;
      if (c > bestCount) {
        bestCount = c;
        best = j;
      }
    }
    out[s] = best < 0 ? nOut : best;
  }
  return out;
}

/** NMI (geometric normalisation) between the winning neuron of each sample and its label. */
export function winnerNmi(responses: ArrayLike<number>, labels: ArrayLike<number>, nOut: number, classes: number): number {
  const w = winners(responses, nOut);
  return nmi(contingency(w, labels, nOut + 1, classes));
}

export interface SpikeAgreement {
  samples: number;
  /** Fraction of probe samples whose winning neuron is matched to the reference's winner (both silent counts). */
  winnerAgreement: number;
  /** Pearson correlation of the spike counts of matched neurons over all probe samples. */
  countCorrelation: number;
  /** Mean |count difference| of matched neurons per sample and neuron. */
  meanAbsCountDifference: number;
}

/**
 * Agreement of output spike counts on the probe set (the same images and input spikes in both runs):
 * counts of the point's neuron p are compared with counts of its matched reference neuron.
 */
export function spikeAgreement(
  point: ArrayLike<number>, reference: ArrayLike<number>, toReference: Int32Array, nOut: number,
): SpikeAgreement {
  if (point.length !== reference.length || point.length % nOut !== 0) {
    throw new ValidationError('probe responses', `${point.length} and ${reference.length} counts`, `equal lengths, a multiple of nOut = ${nOut}`);
  }
  const n = point.length / nOut;
  const wp = winners(point, nOut);
  const wr = winners(reference, nOut);
  let agree = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  let abs = 0;
  for (let s = 0; s < n; s++) {
    const mapped = wp[s] === nOut ? nOut : toReference[wp[s]!]!;
    if (mapped === wr[s]) agree++;
    const o = s * nOut;
    for (let p = 0; p < nOut; p++) {
      const x = point[o + p]!;
      const y = reference[o + toReference[p]!]!;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
      abs += Math.abs(x - y);
    }
  }
  const m = n * nOut;
  const cov = sxy / m - (sx / m) * (sy / m);
  const vx = sxx / m - (sx / m) ** 2;
  const vy = syy / m - (sy / m) ** 2;
  return {
    samples: n,
    winnerAgreement: n > 0 ? agree / n : 0,
    countCorrelation: vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : 0,
    meanAbsCountDifference: m > 0 ? abs / m : 0,
  };
}

/** Mean and sample standard deviation (0 for one value). */
export function meanStd(values: readonly number[]): { mean: number; std: number; n: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}
