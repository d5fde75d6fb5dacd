import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, deriveSeed } from '../../src/data/random.js';
import { throwsValidation } from './helpers.js';

test('xoshiro128** matches the reference algorithm from state [1, 2, 3, 4]', () => {
  // Worked by hand from Blackman & Vigna's next(): result = rotl(s1 * 5, 7) * 9, then the state update.
  const rng = Rng.fromState([1, 2, 3, 4]);
  assert.is(rng.nextUint32(), 11520);
  assert.is(rng.nextUint32(), 0);
  assert.is(rng.nextUint32(), 5927040);
});

test('same seed, same stream; different seeds, different streams', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const xa = Array.from({ length: 20 }, () => a.nextUint32());
  const xb = Array.from({ length: 20 }, () => b.nextUint32());
  const xc = Array.from({ length: 20 }, () => c.nextUint32());
  assert.equal(xa, xb);
  assert.not.equal(xa, xc);
});

test('the state stays four unsigned 32-bit words after many draws', () => {
  const rng = new Rng(11);
  for (let i = 0; i < 1000; i++) rng.nextUint32();
  for (const word of rng.getState()) assert.ok(Number.isInteger(word) && word >= 0 && word <= 0xffffffff, String(word));
});

test('state round-trips through JSON and continues the same stream', () => {
  const a = new Rng(7);
  for (let i = 0; i < 5; i++) a.nextFloat();
  const b = Rng.fromState(JSON.parse(JSON.stringify(a.getState())));
  for (let i = 0; i < 10; i++) assert.is(b.nextUint32(), a.nextUint32());
  throwsValidation(() => Rng.fromState([0, 0, 0, 0]));
  throwsValidation(() => Rng.fromState([1, 2, 3]));
});

test('nextFloat is in [0, 1) with mean 1/2 and variance 1/12 within 4 sigma', () => {
  const rng = new Rng(1);
  const n = 100000;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.nextFloat();
    assert.ok(u >= 0 && u < 1);
    sum += u;
    sumSq += u * u;
  }
  const mean = sum / n;
  assert.ok(Math.abs(mean - 0.5) < 4 * Math.sqrt(1 / 12 / n), `mean ${mean}`);
  assert.ok(Math.abs(sumSq / n - mean * mean - 1 / 12) < 0.002);
});

test('nextInt is unbiased over a non-power-of-two range (chi-square, 6 bins)', () => {
  const rng = new Rng(3);
  const counts = new Array(6).fill(0);
  const n = 60000;
  for (let i = 0; i < n; i++) counts[rng.nextInt(6)] += 1;
  const expected = n / 6;
  const chi2 = counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
  assert.ok(chi2 < 20.5, `chi2 ${chi2}`); // p = 0.001 for 5 degrees of freedom
  throwsValidation(() => rng.nextInt(0));
});

test('nextNormal has mean 0 and variance 1 within tolerance', () => {
  const rng = new Rng(5);
  const n = 50000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const z = rng.nextNormal();
    s += z;
    s2 += z * z;
  }
  assert.ok(Math.abs(s / n) < 4 / Math.sqrt(n));
  assert.ok(Math.abs(s2 / n - 1) < 0.03);
});

test('permutation and sampleWithoutReplacement give distinct valid indices', () => {
  const rng = new Rng(9);
  const p = rng.permutation(100);
  assert.equal([...p].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
  const s = rng.sampleWithoutReplacement(50, 20);
  assert.is(new Set(s).size, 20);
  assert.ok([...s].every((v) => v >= 0 && v < 50));
  throwsValidation(() => rng.sampleWithoutReplacement(5, 6));
});

test('deriveSeed is stable and separates streams', () => {
  assert.is(deriveSeed(1, 'kmeans', 3), deriveSeed(1, 'kmeans', 3));
  assert.is.not(deriveSeed(1, 'kmeans', 3), deriveSeed(1, 'kmeans', 4));
  assert.is.not(deriveSeed(1, 'kmeans'), deriveSeed(2, 'kmeans'));
  assert.is.not(deriveSeed(1, 'ab', 'c'), deriveSeed(1, 'a', 'bc'));
  throwsValidation(() => new Rng(1.5));
});

test.run();
