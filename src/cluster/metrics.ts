import { munkres } from 'munkres';
import { ValidationError } from '../errors.js';

/**
 * Clustering quality against reference labels (true classes, or another clustering).
 * Conventions: cluster ids 0..k-1 (predicted), class ids 0..c-1 (reference); natural logarithms.
 */

/** Contingency table: `table[cluster * classes + cls]` = points of `cls` assigned to `cluster`. */
export interface Contingency {
  clusters: number;
  classes: number;
  table: Int32Array;
  total: number;
}

export function contingency(
  predicted: ArrayLike<number>,
  reference: ArrayLike<number>,
  clusters?: number,
  classes?: number,
): Contingency {
  const n = predicted.length;
  if (reference.length !== n) {
    throw new ValidationError('reference labels', `${reference.length} labels`, `${n}, one per predicted label`);
  }
  const k = clusters ?? maxLabel(predicted, 'predicted labels') + 1;
  const c = classes ?? maxLabel(reference, 'reference labels') + 1;
  const table = new Int32Array(k * c);
  for (let i = 0; i < n; i++) {
    const p = predicted[i]!;
    const r = reference[i]!;
    if (!Number.isInteger(p) || p < 0 || p >= k) throw new ValidationError(`predicted labels[${i}]`, p, `an integer in [0, ${k - 1}]`);
    if (!Number.isInteger(r) || r < 0 || r >= c) throw new ValidationError(`reference labels[${i}]`, r, `an integer in [0, ${c - 1}]`);
    table[p * c + r]! += 1;
  }
  return { clusters: k, classes: c, table, total: n };
}

function maxLabel(labels: ArrayLike<number>, field: string): number {
  let m = 0;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (!Number.isInteger(v) || v < 0) throw new ValidationError(`${field}[${i}]`, v, 'an integer >= 0');
    if (v > m) m = v;
  }
  return m;
}

export type AccuracyMethod = 'hungarian' | 'majority';

export interface ClusterAccuracy {
  accuracy: number;
  method: AccuracyMethod;
  /** Class given to each cluster (-1: cluster left unmatched by the one-to-one matching). */
  mapping: Int32Array;
  /** Points counted as correct. */
  correct: number;
}

/**
 * Clustering accuracy: the fraction of points whose cluster maps to their class.
 * - `hungarian`: the one-to-one cluster-to-class map maximising the matches (Kuhn-Munkres on the
 *   contingency table, package `munkres`); with k != c, min(k, c) pairs are matched and the rest score 0.
 * - `majority`: each cluster maps to the class most of its points carry (ties to the lower class id);
 *   several clusters may share a class. Empty clusters map to -1.
 * `auto` (default) uses hungarian when k equals the number of classes and majority otherwise.
 */
export function clusteringAccuracy(table: Contingency, method: AccuracyMethod | 'auto' = 'auto'): ClusterAccuracy {
  const m: AccuracyMethod = method === 'auto' ? (table.clusters === table.classes ? 'hungarian' : 'majority') : method;
  const { clusters: k, classes: c, table: t, total } = table;
  const mapping = new Int32Array(k).fill(-1);
  let correct = 0;
  if (m === 'majority') {
    for (let p = 0; p < k; p++) {
      let best = -1;
      let bestCount = 0;
      for (let r = 0; r < c; r++) {
        if (t[p * c + r]! > bestCount) {
          bestCount = t[p * c + r]!;
          best = r;
        }
      }
      mapping[p] = best;
      correct += bestCount;
    }
  } else {
    let max = 0;
    for (let i = 0; i < t.length; i++) if (t[i]! > max) max = t[i]!;
    // munkres minimises: cost = max - count turns the maximum matching into a minimum-cost one.
    const cost: number[][] = [];
    for (let p = 0; p < k; p++) {
      const row: number[] = [];
      for (let r = 0; r < c; r++) row.push(max - t[p * c + r]!);
      cost.push(row);
    }
    for (const [p, r] of munkres(cost)) {
      mapping[p] = r;
      correct += t[p * c + r]!;
    }
  }
  return { accuracy: total > 0 ? correct / total : 0, method: m, mapping, correct };
}

/** Entropy (nats) of a distribution given by counts summing to `total`. */
function entropy(counts: ArrayLike<number>, total: number): number {
  let h = 0;
  for (let i = 0; i < counts.length; i++) {
    const v = counts[i]!;
    if (v > 0) h -= (v / total) * Math.log(v / total);
  }
  return h;
}

function marginals(table: Contingency): { rows: Float64Array; cols: Float64Array } {
  const { clusters: k, classes: c, table: t } = table;
  const rows = new Float64Array(k);
  const cols = new Float64Array(c);
  for (let p = 0; p < k; p++) {
    for (let r = 0; r < c; r++) {
      rows[p]! += t[p * c + r]!;
      cols[r]! += t[p * c + r]!;
    }
  }
  return { rows, cols };
}

/** Mutual information I(A;B) in nats. */
export function mutualInformation(table: Contingency): number {
  const { clusters: k, classes: c, table: t, total: n } = table;
  if (n === 0) return 0;
  const { rows, cols } = marginals(table);
  let mi = 0;
  for (let p = 0; p < k; p++) {
    for (let r = 0; r < c; r++) {
      const v = t[p * c + r]!;
      if (v > 0) mi += (v / n) * Math.log((v * n) / (rows[p]! * cols[r]!));
    }
  }
  return Math.max(0, mi);
}

export type NmiNormalization = 'geometric' | 'arithmetic' | 'max' | 'min';

/**
 * Normalised mutual information. Default `geometric`: I(A;B) / sqrt(H(A) H(B)), DeepCluster's
 * definition (Caron et al. 2018, Eq. 3). `arithmetic` divides by (H(A) + H(B)) / 2 (scikit-learn's
 * default). Degenerate cases as in scikit-learn: both labelings a single cluster -> 1; otherwise an
 * entropy of 0 (nothing to share) -> 0.
 */
export function nmi(table: Contingency, normalization: NmiNormalization = 'geometric'): number {
  const { rows, cols } = marginals(table);
  const n = table.total;
  const usedRows = rows.filter((v) => v > 0).length;
  const usedCols = cols.filter((v) => v > 0).length;
  if (n === 0 || (usedRows <= 1 && usedCols <= 1)) return 1;
  const ha = entropy(rows, n);
  const hb = entropy(cols, n);
  const mi = mutualInformation(table);
  const norm =
    normalization === 'geometric'
      ? Math.sqrt(ha * hb)
      : normalization === 'arithmetic'
        ? (ha + hb) / 2
        : normalization === 'max'
          ? Math.max(ha, hb)
          : Math.min(ha, hb);
  if (norm <= 0 || mi <= 0) return 0;
  return Math.min(1, mi / norm);
}

/**
 * Adjusted Rand index (Hubert & Arabie 1985):
 *   ARI = (sum_ij C(n_ij, 2) - E) / ((sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2 - E),
 *   E = sum_i C(a_i, 2) * sum_j C(b_j, 2) / C(n, 2).
 * 1 for identical partitions, about 0 for independent ones, can be negative. When the denominator
 * is 0 (both partitions trivial in the same way) it returns 1, as scikit-learn does.
 */
export function adjustedRandIndex(table: Contingency): number {
  const comb2 = (v: number): number => (v * (v - 1)) / 2;
  const { rows, cols } = marginals(table);
  let sumCells = 0;
  for (let i = 0; i < table.table.length; i++) sumCells += comb2(table.table[i]!);
  let sumRows = 0;
  for (const v of rows) sumRows += comb2(v);
  let sumCols = 0;
  for (const v of cols) sumCols += comb2(v);
  const totalPairs = comb2(table.total);
  if (totalPairs === 0) return 1;
  const expected = (sumRows * sumCols) / totalPairs;
  const maxIndex = (sumRows + sumCols) / 2;
  if (maxIndex === expected) return 1;
  return (sumCells - expected) / (maxIndex - expected);
}

/** Points per cluster. */
export function clusterSizes(assignments: ArrayLike<number>, k: number): Int32Array {
  const sizes = new Int32Array(k);
  for (let i = 0; i < assignments.length; i++) {
    const a = assignments[i]!;
    if (!Number.isInteger(a) || a < 0 || a >= k) throw new ValidationError(`assignments[${i}]`, a, `an integer in [0, ${k - 1}]`);
    sizes[a]! += 1;
  }
  return sizes;
}

/**
 * Class-by-class confusion matrix after mapping clusters to classes:
 * `matrix[trueClass * classes + predictedClass]`; points in unmapped clusters are counted in `unmapped[trueClass]`.
 */
export function mappedConfusion(table: Contingency, mapping: Int32Array): { classes: number; matrix: Int32Array; unmapped: Int32Array } {
  const { clusters: k, classes: c, table: t } = table;
  const matrix = new Int32Array(c * c);
  const unmapped = new Int32Array(c);
  for (let p = 0; p < k; p++) {
    const to = mapping[p]!;
    for (let r = 0; r < c; r++) {
      const v = t[p * c + r]!;
      if (to < 0) unmapped[r]! += v;
      else matrix[r * c + to]! += v;
    }
  }
  return { classes: c, matrix, unmapped };
}

/** Everything the training loop reports about one clustering against the true labels. */
export interface ClusteringEvaluation {
  accuracy: number;
  accuracyMethod: AccuracyMethod;
  nmi: number;
  ari: number;
  /** Cluster -> class map used for `accuracy`. */
  mapping: number[];
  clusterSizes: number[];
  nonEmptyClusters: number;
  /** Class-by-class confusion after mapping (true class rows, predicted class columns). */
  confusion: number[][];
  /** Per true class: fraction of its points whose cluster maps to it. */
  perClassAccuracy: number[];
}

export function evaluateClustering(
  assignments: ArrayLike<number>,
  labels: ArrayLike<number>,
  k: number,
  classes: number,
  method: AccuracyMethod | 'auto' = 'auto',
): ClusteringEvaluation {
  const table = contingency(assignments, labels, k, classes);
  const acc = clusteringAccuracy(table, method);
  const conf = mappedConfusion(table, acc.mapping);
  const sizes = clusterSizes(assignments, k);
  const confusion: number[][] = [];
  const perClassAccuracy: number[] = [];
  for (let r = 0; r < classes; r++) {
    const row = Array.from(conf.matrix.subarray(r * classes, (r + 1) * classes));
    confusion.push(row);
    const total = row.reduce((a, b) => a + b, 0) + conf.unmapped[r]!;
    perClassAccuracy.push(total > 0 ? row[r]! / total : 0);
  }
  return {
    accuracy: acc.accuracy,
    accuracyMethod: acc.method,
    nmi: nmi(table),
    ari: adjustedRandIndex(table),
    mapping: Array.from(acc.mapping),
    clusterSizes: Array.from(sizes),
    nonEmptyClusters: sizes.reduce((a, s) => a + (s > 0 ? 1 : 0), 0),
    confusion,
    perClassAccuracy,
  };
}
