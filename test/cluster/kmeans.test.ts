import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assignNearest, kmeans, KMEANS_SPLIT_EPS, splitEmptyClusters } from '../../src/cluster/kmeans.js';
import { adjustedRandIndex, clusteringAccuracy, contingency, nmi } from '../../src/cluster/metrics.js';
import type { FeatureMatrix } from '../../src/cluster/features.js';
import { Rng } from '../../src/data/random.js';
import { throwsValidation } from '../data/helpers.js';

/** k Gaussian blobs (sd 1) whose centres are ~20 sd apart. */
function blobs(n: number, d: number, k: number, seed: number): { f: FeatureMatrix; labels: number[] } {
  const rng = new Rng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.nextNormal() * 15));
  const data = new Float32Array(n * d);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = rng.nextInt(k);
    labels.push(c);
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c]![j]! + rng.nextNormal();
  }
  return { f: { data, rows: n, cols: d }, labels };
}

test('separates well-separated blobs (accuracy, NMI and ARI ~ 1) from every seed with greedy k-means++', () => {
  const { f, labels } = blobs(1500, 8, 6, 1);
  for (let seed = 1; seed <= 5; seed++) {
    const res = kmeans(f, { k: 6, seed });
    const t = contingency(res.assignments, labels, 6, 6);
    assert.ok(clusteringAccuracy(t).accuracy > 0.99, `seed ${seed}`);
    assert.ok(nmi(t) > 0.98, `seed ${seed}: nmi ${nmi(t)}`);
    assert.ok(adjustedRandIndex(t) > 0.98, `seed ${seed}`);
    assert.is(res.emptyClusters, 0);
    assert.is(res.objective.length, 21);
  }
  // faiss's random initialisation gives a valid clustering too (it may merge blobs: no accuracy claim).
  const random = kmeans(f, { k: 6, seed: 1, init: 'random' });
  assert.is(random.init, 'random');
  assert.ok(random.objective[20]! <= random.objective[0]!);
});

test('Lloyd iterations never increase the objective; assignments are nearest to the final centroids', () => {
  const { f } = blobs(800, 5, 4, 2);
  const res = kmeans(f, { k: 7, seed: 1, niter: 15 });
  assert.is(res.reseeded, 0); // no split in this case, so Lloyd's monotonicity applies to every step
  for (let i = 1; i < res.objective.length; i++) assert.ok(res.objective[i]! <= res.objective[i - 1]! * (1 + 1e-12));
  for (let i = 0; i < f.rows; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let c = 0; c < 7; c++) {
      let dist = 0;
      for (let j = 0; j < 5; j++) dist += (f.data[i * 5 + j]! - res.centroids[c * 5 + j]!) ** 2;
      if (dist < bestD - 1e-9) {
        bestD = dist;
        best = c;
      }
    }
    assert.is(res.assignments[i], best);
  }
  let total = 0;
  for (const s of res.clusterSizes) total += s;
  assert.is(total, 800);
});

test('same seed, same result; different seed may differ but stays valid', () => {
  const { f } = blobs(600, 4, 5, 3);
  const a = kmeans(f, { k: 9, seed: 12 });
  const b = kmeans(f, { k: 9, seed: 12 });
  assert.equal([...a.assignments], [...b.assignments]);
  assert.equal([...a.centroids], [...b.centroids]);
});

test('an empty cluster is reseeded by splitting a donor, and all k clusters end up non-empty', () => {
  // Two jittered groups; the third initial centroid sits far from every point, so it is empty after the first assignment.
  const rng = new Rng(5);
  const n = 200;
  const d = 4;
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = (i < n / 2 ? 10 : -10) + rng.nextNormal();
  const initialCentroids = new Float32Array([10, 10, 10, 10, -10, -10, -10, -10, 1000, 1000, 1000, 1000]);
  const res = kmeans({ data, rows: n, cols: d }, { k: 3, seed: 1, initialCentroids, niter: 5 });
  assert.ok(res.reseeded >= 1);
  assert.is(res.reseededPerIteration[0], 1);
  assert.is(res.emptyClusters, 0);
  assert.ok([...res.clusterSizes].every((s) => s > 0), `sizes ${[...res.clusterSizes]}`);
  assert.is(res.init, 'given');
});

test('splitEmptyClusters follows faiss: donor chosen with p = (size - 1)/(n - k), symmetric 1/1024 perturbation, count halved', () => {
  // sizes [0, 1, 9], n = 10, k = 3: cluster 1 has p = 0 (never), cluster 2 has p = 8/7 (always).
  const centroids = new Float64Array([0, 0, 0, 5, 6, 7, 1, 2, 3]);
  const sizes = new Float64Array([0, 1, 9]);
  const split = splitEmptyClusters(centroids, sizes, 10, 3, 3, new Rng(1));
  assert.is(split, 1);
  const e = KMEANS_SPLIT_EPS;
  assert.equal([...centroids.subarray(0, 3)], [1 * (1 + e), 2 * (1 - e), 3 * (1 + e)]);
  assert.equal([...centroids.subarray(6, 9)], [1 * (1 - e), 2 * (1 + e), 3 * (1 - e)]);
  assert.equal([...centroids.subarray(3, 6)], [5, 6, 7]);
  assert.equal([...sizes], [4.5, 1, 4.5]);
  // Donor frequencies follow (size - 1) / (n - k) in the cyclic scan: sizes [0, 3, 5], n = 8, k = 3.
  const rng = new Rng(2);
  let fromOne = 0;
  const trials = 4000;
  for (let t = 0; t < trials; t++) {
    const c = new Float64Array([0, 1, 2]);
    const s = new Float64Array([0, 3, 5]);
    splitEmptyClusters(c, s, 8, 3, 1, rng);
    if (s[1] === 1.5) fromOne++;
  }
  // P(donor 1) = sum over scan rounds: p1 = 2/5, p2 = 4/5 -> P = p1 / (1 - (1 - p1)(1 - p2)) = 0.4 / 0.88
  const expected = 0.4 / 0.88;
  const sd = Math.sqrt((expected * (1 - expected)) / trials);
  assert.ok(Math.abs(fromOne / trials - expected) < 4 * sd, `${fromOne / trials} vs ${expected}`);
});

test('assignNearest breaks ties toward the lower index and handles odd row counts and k % 4 != 0', () => {
  const f = { data: new Float32Array([0, 0, 2, 2, 5, 5]), rows: 3, cols: 2 };
  const centroids = new Float64Array([1, 1, 1, 1, 6, 6, 5, 5, 9, 9]); // centroids 0 and 1 coincide
  const out = new Int32Array(3);
  const obj = assignNearest(f, centroids, 5, out);
  assert.equal([...out], [0, 0, 3]);
  assert.is(obj, 2 + 2 + 0);
});

test('bad input', () => {
  const { f } = blobs(10, 2, 2, 1);
  throwsValidation(() => kmeans(f, { k: 11, seed: 1 }), /k \(number of clusters\): got 11; allowed: an integer in \[1, 10\]/);
  throwsValidation(() => kmeans(f, { k: 2, seed: 1, init: 'farthest' as 'random' }), /init/);
  throwsValidation(() => kmeans(f, { k: 2, seed: 1, initialCentroids: new Float32Array(3) }), /initialCentroids/);
  const nan = { ...f, data: f.data.slice() };
  nan.data[0] = Number.POSITIVE_INFINITY;
  throwsValidation(() => kmeans(nan, { k: 2, seed: 1 }), /features\[0\]\[0\]/);
});

test.run();
