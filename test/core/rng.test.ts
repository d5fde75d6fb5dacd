// Counter-based RNG. Gold: lowbias32 (Wellons) known-answer values computed with an independent
// Python implementation; uniform draws pass a chi-square test.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hash, hashAt, lowbias32, stepKey, uniform24 } from '../../src/core/reference/rng.js';

test('lowbias32 and hash match independent known-answer values', () => {
  assert.equal([0, 1, 2, 0xdeadbeef, 0xffffffff].map(lowbias32), [0, 1753845952, 3507691905, 3861431939, 1734902346]);
  assert.is(hashAt(stepKey(1, 1, 0), 0), 3112853886);
  assert.is(hash(123456789, 6, 4000000000, 77), 499273326);
});

test('uniform24 is in [0, 1), exact in f32, and uniform (chi-square, 64 bins)', () => {
  const bins = new Array(64).fill(0);
  const n = 200000;
  const key = stepKey(42, 3, 17);
  for (let i = 0; i < n; i++) {
    const u = uniform24(hashAt(key, i));
    assert.ok(u >= 0 && u < 1 && Math.fround(u) === u);
    bins[Math.floor(u * 64)]++;
  }
  const e = n / 64;
  const chi2 = bins.reduce((s, o) => s + ((o - e) * (o - e)) / e, 0);
  // 63 degrees of freedom: P(chi2 > 110) ~ 1e-4
  assert.ok(chi2 < 110, `chi2 = ${chi2}`);
});

test('different seeds, streams, steps and indices give different draws', () => {
  const seen = new Set<number>();
  for (const [s, st, t, i] of [[1, 1, 0, 0], [2, 1, 0, 0], [1, 2, 0, 0], [1, 1, 1, 0], [1, 1, 0, 1]]) seen.add(hash(s, st, t, i));
  assert.is(seen.size, 5);
});

test.run();
