import { ValidationError, requireInteger } from '../errors.js';
import { Rng } from '../data/random.js';
import { validateFeatures, type FeatureMatrix } from './features.js';

/**
 * k-means as DeepCluster runs it through faiss (`faiss.Clustering`, niter = 20, no subsampling),
 * with greedy k-means++ initialisation (faiss itself starts from k random points: `init: "random"`):
 *
 *   for it in 1..niter:  assign every point to its nearest centroid (squared L2, ties to the lower
 *                        index); move each centroid to the mean of its points; reseed empty clusters
 *   finally:             assign every point to the final centroids (DeepCluster's index.search)
 *
 * Empty clusters are reseeded by faiss's `split_clusters` rule: scanning clusters cyclically from 0,
 * a donor cj is accepted with probability (size_cj - 1) / (n - k); its centroid is copied into the
 * empty slot and the two copies are pushed apart symmetrically - even dimensions x (1 + 1/1024) for
 * the new one and x (1 - 1/1024) for the donor, odd dimensions the other way round - and the donor's
 * count is split evenly between them. The number of reseeds is reported.
 */
export interface KMeansOptions {
  /** Number of clusters, 1 .. rows. */
  k: number;
  /** Seed of the initialisation and reseeding draws. */
  seed: number;
  /** Lloyd iterations. Default 20 (DeepCluster / faiss). */
  niter?: number;
  /** "kmeans++" (default) or "random" (k distinct points, faiss's initialisation). */
  init?: 'kmeans++' | 'random';
  /**
   * Candidates per k-means++ step; the one that lowers the sum of squared distances most is kept
   * (greedy k-means++, as scikit-learn). Default 2 + floor(ln k); 1 = the original k-means++.
   */
  kmeansPlusPlusTrials?: number;
  /** Start from these centroids (k x dims row-major) instead of `init`, e.g. to warm-start from an earlier run. */
  initialCentroids?: Float32Array | Float64Array;
  /** Called after each iteration. */
  onIteration?: (info: { iteration: number; objective: number; reseeded: number }) => void;
}

export const KMEANS_DEFAULT_NITER = 20;
/** faiss's relative perturbation of split centroids. */
export const KMEANS_SPLIT_EPS = 1 / 1024;

export interface KMeansResult {
  k: number;
  dims: number;
  /** Cluster of each point under the final centroids. */
  assignments: Int32Array;
  /** Final centroids, k x dims row-major. */
  centroids: Float32Array;
  /** Points per cluster in `assignments`. */
  clusterSizes: Int32Array;
  /** Clusters that are empty in `assignments` (possible, rare: reseeding happens inside the iterations). */
  emptyClusters: number;
  /** Total empty-cluster reseeds over all iterations. */
  reseeded: number;
  reseededPerIteration: number[];
  /** Sum of squared distances to the assigned centroid at each iteration's assignment step, then for the final assignment. */
  objective: number[];
  niter: number;
  init: 'kmeans++' | 'random' | 'given';
}

export function kmeans(features: FeatureMatrix, options: KMeansOptions): KMeansResult {
  validateFeatures('features', features);
  const { rows: n, cols: d } = features;
  const k = requireInteger('k (number of clusters)', options.k, 1, n);
  const niter = requireInteger('niter', options.niter ?? KMEANS_DEFAULT_NITER, 0, 100000);
  const init = options.init ?? 'kmeans++';
  if (init !== 'kmeans++' && init !== 'random') throw new ValidationError('init', init, '"kmeans++" or "random"');
  const rng = new Rng(options.seed);
  const x = features.data;

  let centroids: Float64Array;
  if (options.initialCentroids) {
    const given = options.initialCentroids;
    if (given.length !== k * d || !given.every((v) => Number.isFinite(v))) {
      throw new ValidationError('initialCentroids', given, `${k * d} finite values (k x dims = ${k} x ${d})`);
    }
    centroids = Float64Array.from(given);
  } else {
    const trials = requireInteger('kmeansPlusPlusTrials', options.kmeansPlusPlusTrials ?? 2 + Math.floor(Math.log(k)), 1, 1000);
    centroids = init === 'kmeans++' ? kmeansPlusPlus(features, k, rng, trials) : randomInit(features, k, rng);
  }
  const assignments = new Int32Array(n);
  const objective: number[] = [];
  const reseededPerIteration: number[] = [];
  const sums = new Float64Array(k * d);
  const sizes = new Float64Array(k);
  for (let it = 0; it < niter; it++) {
    objective.push(assignNearest(features, centroids, k, assignments));
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignments[i]!;
      sizes[c]! += 1;
      const xo = i * d;
      const so = c * d;
      for (let j = 0; j < d; j++) sums[so + j]! += x[xo + j]!;
    }
    for (let c = 0; c < k; c++) {
      const so = c * d;
      const inv = sizes[c]! > 0 ? 1 / sizes[c]! : 0;
      for (let j = 0; j < d; j++) centroids[so + j] = sums[so + j]! * inv;
    }
    const split = splitEmptyClusters(centroids, sizes, n, k, d, rng);
    reseededPerIteration.push(split);
    options.onIteration?.({ iteration: it, objective: objective[it]!, reseeded: split });
  }
  objective.push(assignNearest(features, centroids, k, assignments));
  const clusterSizes = new Int32Array(k);
  for (let i = 0; i < n; i++) clusterSizes[assignments[i]!]! += 1;
  return {
    k,
    dims: d,
    assignments,
    centroids: Float32Array.from(centroids),
    clusterSizes,
    emptyClusters: clusterSizes.reduce((a, s) => a + (s === 0 ? 1 : 0), 0),
    reseeded: reseededPerIteration.reduce((a, b) => a + b, 0),
    reseededPerIteration,
    objective,
    niter,
    init: options.initialCentroids ? 'given' : init,
  };
}

/**
 * faiss `split_clusters`: reseeds every empty cluster from a donor (see the module comment).
 * `sizes` are the (fractional after splits) counts and are updated; returns the number of reseeds.
 */
export function splitEmptyClusters(centroids: Float64Array, sizes: Float64Array, n: number, k: number, d: number, rng: Rng): number {
  let nsplit = 0;
  for (let ci = 0; ci < k; ci++) {
    if (sizes[ci] !== 0) continue;
    let cj = 0;
    for (;;) {
      // n === k gives p = +Infinity for a cluster holding 2+ points (always accepted) and NaN otherwise (never).
      const p = (sizes[cj]! - 1) / (n - k);
      if (rng.nextFloat() < p) break;
      cj = (cj + 1) % k;
    }
    const oi = ci * d;
    const oj = cj * d;
    for (let j = 0; j < d; j++) {
      const v = centroids[oj + j]!;
      if (j % 2 === 0) {
        centroids[oi + j] = v * (1 + KMEANS_SPLIT_EPS);
        centroids[oj + j] = v * (1 - KMEANS_SPLIT_EPS);
      } else {
        centroids[oi + j] = v * (1 - KMEANS_SPLIT_EPS);
        centroids[oj + j] = v * (1 + KMEANS_SPLIT_EPS);
      }
    }
    sizes[ci] = sizes[cj]! / 2;
    sizes[cj]! -= sizes[ci]!;
    nsplit++;
  }
  return nsplit;
}

/**
 * Assigns each row to its nearest centroid (squared Euclidean distance, ties to the lower index),
 * writing `assignments`; returns the sum of squared distances. Uses ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2,
 * computed for two rows against four centroids per pass (eight dot products share their loads).
 */
export function assignNearest(features: FeatureMatrix, centroids: Float64Array | Float32Array, k: number, assignments: Int32Array): number {
  const { data: x, rows: n, cols: d } = features;
  const C = centroids instanceof Float64Array ? centroids : Float64Array.from(centroids);
  const cnorm = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += C[c * d + j]! * C[c * d + j]!;
    cnorm[c] = s;
  }
  const ra = new Float64Array(d);
  const rb = new Float64Array(d);
  let objective = 0;
  for (let i = 0; i < n; i += 2) {
    const pair = i + 1 < n;
    const oa = i * d;
    const ob = pair ? oa + d : oa; // an odd last row is scored twice against itself
    let na = 0;
    let nb = 0;
    for (let j = 0; j < d; j++) {
      const a = x[oa + j]!;
      const b = x[ob + j]!;
      ra[j] = a;
      rb[j] = b;
      na += a * a;
      nb += b * b;
    }
    let bestA = 0;
    let bestB = 0;
    let scoreA = Infinity;
    let scoreB = Infinity;
    let c = 0;
    for (; c + 3 < k; c += 4) {
      const o0 = c * d;
      const o1 = o0 + d;
      const o2 = o1 + d;
      const o3 = o2 + d;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let j = 0; j < d; j++) {
        const xa = ra[j]!;
        const xb = rb[j]!;
        const c0 = C[o0 + j]!;
        const c1 = C[o1 + j]!;
        const c2 = C[o2 + j]!;
        const c3 = C[o3 + j]!;
        a0 += c0 * xa;
        a1 += c1 * xa;
        a2 += c2 * xa;
        a3 += c3 * xa;
        b0 += c0 * xb;
        b1 += c1 * xb;
        b2 += c2 * xb;
        b3 += c3 * xb;
      }
      let q = cnorm[c]! - 2 * a0;
      if (q < scoreA) { scoreA = q; bestA = c; }
      q = cnorm[c + 1]! - 2 * a1;
      if (q < scoreA) { scoreA = q; bestA = c + 1; }
      q = cnorm[c + 2]! - 2 * a2;
      if (q < scoreA) { scoreA = q; bestA = c + 2; }
      q = cnorm[c + 3]! - 2 * a3;
      if (q < scoreA) { scoreA = q; bestA = c + 3; }
      q = cnorm[c]! - 2 * b0;
      if (q < scoreB) { scoreB = q; bestB = c; }
      q = cnorm[c + 1]! - 2 * b1;
      if (q < scoreB) { scoreB = q; bestB = c + 1; }
      q = cnorm[c + 2]! - 2 * b2;
      if (q < scoreB) { scoreB = q; bestB = c + 2; }
      q = cnorm[c + 3]! - 2 * b3;
      if (q < scoreB) { scoreB = q; bestB = c + 3; }
    }
    for (; c < k; c++) {
      const o = c * d;
      let sa = 0;
      let sb = 0;
      for (let j = 0; j < d; j++) {
        sa += C[o + j]! * ra[j]!;
        sb += C[o + j]! * rb[j]!;
      }
      let q = cnorm[c]! - 2 * sa;
      if (q < scoreA) { scoreA = q; bestA = c; }
      q = cnorm[c]! - 2 * sb;
      if (q < scoreB) { scoreB = q; bestB = c; }
    }
    assignments[i] = bestA;
    objective += Math.max(0, na + scoreA);
    if (pair) {
      assignments[i + 1] = bestB;
      objective += Math.max(0, nb + scoreB);
    }
  }
  return objective;
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007; the variant scikit-learn uses): the first centre is a
 * uniform draw; each next centre is the best of `trials` candidates drawn with probability proportional
 * to D(x)^2 (distance to the nearest centre so far), "best" meaning the smallest resulting sum of D^2.
 * trials = 1 is the original algorithm.
 */
function kmeansPlusPlus(features: FeatureMatrix, k: number, rng: Rng, trials: number): Float64Array {
  const { data: x, rows: n, cols: d } = features;
  const centroids = new Float64Array(k * d);
  const minD2 = new Float64Array(n);
  const candD2 = Array.from({ length: trials }, () => new Float64Array(n));
  const distancesTo = (p: number, out: Float64Array): number => {
    const po = p * d;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const o = i * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const diff = x[o + j]! - x[po + j]!;
        s += diff * diff;
      }
      out[i] = s;
      sum += s;
    }
    return sum;
  };
  const first = rng.nextInt(n);
  let total = distancesTo(first, minD2);
  centroids.set(x.subarray(first * d, (first + 1) * d), 0);
  for (let c = 1; c < k; c++) {
    let best = -1;
    let bestTotal = Infinity;
    let bestSlot = 0;
    for (let t = 0; t < trials; t++) {
      const cand = total > 0 ? sampleByWeight(minD2, total, rng) : rng.nextInt(n); // all points on centres: duplicates unavoidable
      const dist = candD2[t]!;
      distancesTo(cand, dist);
      let newTotal = 0;
      for (let i = 0; i < n; i++) {
        if (dist[i]! > minD2[i]!) dist[i] = minD2[i]!;
        newTotal += dist[i]!;
      }
      if (newTotal < bestTotal) {
        bestTotal = newTotal;
        best = cand;
        bestSlot = t;
      }
    }
    minD2.set(candD2[bestSlot]!);
    total = bestTotal;
    centroids.set(x.subarray(best * d, (best + 1) * d), c * d);
  }
  return centroids;
}

/** An index drawn with probability weights[i] / total (weights >= 0, total > 0). */
function sampleByWeight(weights: Float64Array, total: number, rng: Rng): number {
  let r = rng.nextFloat() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0 && weights[i]! > 0) return i;
  }
  // Rounding left r >= 0 after the last point: take the last point with positive weight.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
  return 0;
}

/** k distinct points chosen uniformly (faiss's default initialisation). */
function randomInit(features: FeatureMatrix, k: number, rng: Rng): Float64Array {
  const { data: x, rows: n, cols: d } = features;
  const pick = rng.sampleWithoutReplacement(n, k);
  const centroids = new Float64Array(k * d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) centroids[c * d + j] = x[pick[c]! * d + j]!;
  return centroids;
}
