import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  adjustedRandIndex,
  clusteringAccuracy,
  contingency,
  evaluateClustering,
  mutualInformation,
  nmi,
} from '../../src/cluster/metrics.js';
import { Rng } from '../../src/data/random.js';
import { throwsValidation } from '../data/helpers.js';

const close = (a: number, b: number, tol = 1e-12): boolean => Math.abs(a - b) <= tol;

test('Hungarian accuracy recovers a known permutation exactly, with and without label noise', () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 5; trial++) {
    const perm = rng.permutation(10);
    const truth = Array.from({ length: 2000 }, () => rng.nextInt(10));
    const predicted = truth.map((y) => perm[y]!);
    const clean = clusteringAccuracy(contingency(predicted, truth, 10, 10));
    assert.is(clean.method, 'hungarian');
    assert.is(clean.accuracy, 1);
    for (let y = 0; y < 10; y++) assert.is(clean.mapping[perm[y]!], y);
    // Move 15 % of points to a different random cluster: the best matching is still the permutation.
    let kept = 0;
    const noisy = predicted.map((p) => {
      if (rng.nextFloat() < 0.15) return (p + 1 + rng.nextInt(9)) % 10;
      kept++;
      return p;
    });
    assert.is(clusteringAccuracy(contingency(noisy, truth, 10, 10)).accuracy, kept / 2000);
  }
});

test('Hungarian vs majority on a hand-worked table', () => {
  // rows = clusters, columns = classes: [[3,2,0],[3,0,0],[0,0,4]]
  const pred = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2];
  const truth = [0, 0, 0, 1, 1, 0, 0, 0, 2, 2, 2, 2];
  const t = contingency(pred, truth, 3, 3);
  assert.equal([...t.table], [3, 2, 0, 3, 0, 0, 0, 0, 4]);
  const h = clusteringAccuracy(t, 'hungarian');
  assert.equal([...h.mapping], [1, 0, 2]); // 2 + 3 + 4 = 9 beats 3 + 0 + 4 = 7
  assert.is(h.accuracy, 9 / 12);
  const m = clusteringAccuracy(t, 'majority');
  assert.equal([...m.mapping], [0, 0, 2]);
  assert.is(m.accuracy, 10 / 12);
  // auto picks majority when k != number of classes (here 4 clusters, one empty -> mapped to -1).
  const over = clusteringAccuracy(contingency(pred, truth, 4, 3));
  assert.is(over.method, 'majority');
  assert.is(over.mapping[3], -1);
});

test('NMI (geometric, DeepCluster) and its arithmetic variant equal the hand-computed values', () => {
  // a = [0,0,0,1,1,1], b = [0,0,1,1,2,2]: H(a) = ln 2, H(b) = ln 3, I = (2/3) ln 2.
  const t = contingency([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]);
  assert.ok(close(mutualInformation(t), (2 / 3) * Math.LN2));
  assert.ok(close(nmi(t), ((2 / 3) * Math.LN2) / Math.sqrt(Math.LN2 * Math.log(3))));
  assert.ok(close(nmi(t), 0.529540578, 1e-9)); // (2/3) sqrt(ln 2 / ln 3)
  assert.ok(close(nmi(t, 'arithmetic'), 0.515803743, 1e-9)); // scikit-learn default normalisation
  assert.ok(close(nmi(t, 'arithmetic'), ((4 / 3) * Math.LN2) / Math.log(6)));
  assert.ok(close(nmi(t, 'max'), ((2 / 3) * Math.LN2) / Math.log(3)));
  assert.ok(close(nmi(t, 'min'), 2 / 3));
});

test('ARI equals hand-computed values', () => {
  // sum C(n_ij,2) = 2, sum C(a_i,2) = 6, sum C(b_j,2) = 3, C(6,2) = 15: (2 - 1.2) / (4.5 - 1.2)
  assert.ok(close(adjustedRandIndex(contingency([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])), 0.8 / 3.3));
  // (1 - 1/3) / (3/2 - 1/3) = 4/7
  assert.ok(close(adjustedRandIndex(contingency([0, 0, 1, 2], [0, 0, 1, 1])), 4 / 7));
  // Perfect anti-diagonal agreement: two clusters swapped is still a perfect partition match.
  assert.is(adjustedRandIndex(contingency([1, 1, 0, 0], [0, 0, 1, 1])), 1);
  // Independent halves: a = [0,0,1,1], b = [0,1,0,1] -> sum cells 0, expected 2*2/6: ARI = -0.5
  assert.ok(close(adjustedRandIndex(contingency([0, 0, 1, 1], [0, 1, 0, 1])), -0.5));
});

test('invariances and degenerate cases', () => {
  const rng = new Rng(2);
  const a = Array.from({ length: 300 }, () => rng.nextInt(5));
  const b = a.map((v) => (rng.nextFloat() < 0.3 ? rng.nextInt(4) : v % 4));
  const relabel = a.map((v) => (v + 2) % 5);
  const t = contingency(a, b);
  assert.ok(close(nmi(t), nmi(contingency(relabel, b))));
  assert.ok(close(nmi(t), nmi(contingency(b, a))));
  assert.ok(close(adjustedRandIndex(t), adjustedRandIndex(contingency(b, a))));
  assert.is(nmi(contingency([0, 0, 0], [1, 1, 1])), 1);
  assert.is(adjustedRandIndex(contingency([0, 0, 0], [1, 1, 1])), 1);
  assert.is(nmi(contingency([0, 0, 0, 0], [0, 1, 2, 3])), 0);
  assert.is(nmi(contingency([0, 0, 1, 1], [0, 1, 0, 1])), 0);
  throwsValidation(() => contingency([0, 1], [0]), /reference labels/);
  throwsValidation(() => contingency([0, 3], [0, 1], 3, 2), /predicted labels\[1\]: got 3/);
  throwsValidation(() => contingency([0, -1], [0, 1]), /predicted labels\[1\]: got -1/);
});

test('evaluateClustering: mapping, confusion, per-class accuracy, cluster sizes', () => {
  const pred = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2];
  const truth = [0, 0, 0, 1, 1, 0, 0, 0, 2, 2, 2, 2];
  const ev = evaluateClustering(pred, truth, 3, 3);
  assert.is(ev.accuracyMethod, 'hungarian');
  assert.equal(ev.mapping, [1, 0, 2]);
  assert.equal(ev.confusion, [
    [3, 3, 0],
    [0, 2, 0],
    [0, 0, 4],
  ]);
  assert.equal(ev.perClassAccuracy, [3 / 6, 1, 1]);
  assert.equal(ev.clusterSizes, [5, 3, 4]);
  assert.is(ev.nonEmptyClusters, 3);
  assert.is(ev.accuracy, 0.75);
});

test.run();
