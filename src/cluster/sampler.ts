import { ValidationError, requireInteger } from '../errors.js';
import { Rng } from '../data/random.js';

/**
 * DeepCluster's `UnifLabelSampler`: the image indices for one training epoch, drawn uniformly over
 * pseudo-labels so that large clusters do not dominate (the guard against a trivial clustering):
 *
 *   m = number of non-empty clusters, s = floor(N / m) + 1
 *   for each non-empty cluster: s of its indices, with replacement only when the cluster has
 *                               <= s members (numpy `choice(..., replace=len <= s)` in their code)
 *   shuffle the concatenation; keep the first N (pad by repeating from the start if short)
 *
 * N is the number of samples per epoch (DeepCluster: reassign x dataset size, default the number
 * of assignments). With m * s >= N the padding branch only runs when N exceeds m * s, i.e. never
 * for N = dataset size; it is kept for other N.
 */
export function uniformLabelSampler(
  assignments: ArrayLike<number>,
  k: number,
  rng: Rng,
  samplesPerEpoch: number = assignments.length,
): Int32Array {
  requireInteger('k', k, 1);
  const N = requireInteger('samplesPerEpoch', samplesPerEpoch, 1);
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < assignments.length; i++) {
    const a = assignments[i]!;
    if (!Number.isInteger(a) || a < 0 || a >= k) throw new ValidationError(`assignments[${i}]`, a, `an integer in [0, ${k - 1}]`);
    members[a]!.push(i);
  }
  const nonEmpty = members.filter((m) => m.length > 0);
  if (nonEmpty.length === 0) throw new ValidationError('assignments', assignments, 'at least one assigned sample');
  const perCluster = Math.floor(N / nonEmpty.length) + 1;
  const drawn = new Int32Array(nonEmpty.length * perCluster);
  let o = 0;
  for (const list of nonEmpty) {
    if (list.length <= perCluster) {
      for (let t = 0; t < perCluster; t++) drawn[o++] = list[rng.nextInt(list.length)]!;
    } else {
      const pick = rng.sampleWithoutReplacement(list.length, perCluster);
      for (let t = 0; t < perCluster; t++) drawn[o++] = list[pick[t]!]!;
    }
  }
  rng.shuffle(drawn);
  if (drawn.length >= N) return drawn.slice(0, N);
  const out = new Int32Array(N);
  for (let i = 0; i < N; i++) out[i] = drawn[i % drawn.length]!;
  return out;
}

/** Number of times each pseudo-label occurs in a list of sampled indices (a check on uniformity). */
export function sampledLabelCounts(indices: ArrayLike<number>, assignments: ArrayLike<number>, k: number): Int32Array {
  const counts = new Int32Array(k);
  for (let i = 0; i < indices.length; i++) counts[assignments[indices[i]!]!]! += 1;
  return counts;
}
