import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sampledLabelCounts, uniformLabelSampler } from '../../src/cluster/sampler.js';
import { Rng } from '../../src/data/random.js';
import { throwsValidation } from '../data/helpers.js';

// 1000 points over k = 6 clusters of very different sizes, one empty: sizes 700, 200, 60, 30, 10, 0.
const sizes = [700, 200, 60, 30, 10, 0];
const assignments: number[] = [];
sizes.forEach((s, c) => {
  for (let i = 0; i < s; i++) assignments.push(c);
});
new Rng(99).shuffle(assignments);

test('N indices, uniform over the non-empty clusters, never from an empty cluster', () => {
  const idx = uniformLabelSampler(assignments, 6, new Rng(1));
  assert.is(idx.length, 1000);
  const counts = sampledLabelCounts(idx, assignments, 6);
  // s = floor(1000 / 5) + 1 = 201 per cluster before truncating 1005 to 1000 (5 dropped at random).
  assert.is(counts[5], 0);
  for (let c = 0; c < 5; c++) assert.ok(counts[c]! <= 201 && counts[c]! >= 196, `cluster ${c}: ${counts[c]}`);
  for (const i of idx) assert.ok(i >= 0 && i < 1000);
});

test('clusters larger than s are drawn without replacement, smaller ones (<= s) with replacement', () => {
  const idx = uniformLabelSampler(assignments, 6, new Rng(2));
  const byCluster = new Map<number, number[]>();
  for (const i of idx) {
    const c = assignments[i]!;
    if (!byCluster.has(c)) byCluster.set(c, []);
    byCluster.get(c)!.push(i);
  }
  const big = byCluster.get(0)!; // 700 members > 201: distinct indices
  assert.is(new Set(big).size, big.length);
  const small = byCluster.get(4)!; // 10 members: ~200 draws with replacement cover all 10
  assert.is(new Set(small).size, 10);
  assert.ok(small.length > 150);
});

test('seeded: same seed same order; the order is shuffled, not grouped by cluster', () => {
  const a = uniformLabelSampler(assignments, 6, new Rng(3));
  const b = uniformLabelSampler(assignments, 6, new Rng(3));
  assert.equal([...a], [...b]);
  let changes = 0;
  for (let i = 1; i < a.length; i++) if (assignments[a[i]!] !== assignments[a[i - 1]!]) changes++;
  assert.ok(changes > 600, `${changes} label changes`);
});

test('other epoch lengths: truncated, or padded by repetition when N exceeds m * s', () => {
  assert.is(uniformLabelSampler(assignments, 6, new Rng(4), 50).length, 50);
  const long = uniformLabelSampler([0, 0, 1], 2, new Rng(5), 7); // s = 4: 8 drawn >= 7, no padding needed
  assert.is(long.length, 7);
  assert.equal([...sampledLabelCounts(long, [0, 0, 1], 2)].reduce((x, y) => x + y, 0), 7);
  throwsValidation(() => uniformLabelSampler([0, 2], 2, new Rng(1)), /assignments\[1\]: got 2/);
});

test.run();
