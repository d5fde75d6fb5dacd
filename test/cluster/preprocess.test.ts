import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  applyPreprocess,
  explainedVarianceRatio,
  fitPreprocess,
  fitPreprocessTransform,
  meanAndCovariance,
  preprocessTransformFromJson,
  projectWhitened,
} from '../../src/cluster/preprocess.js';
import type { FeatureMatrix } from '../../src/cluster/features.js';
import { Rng } from '../../src/data/random.js';
import { throwsValidation } from '../data/helpers.js';

/** n samples of x = A z + offset with z standard normal: strongly correlated, anisotropic features. */
function correlated(n: number, D: number, seed: number): FeatureMatrix {
  const rng = new Rng(seed);
  const A = Array.from({ length: D * D }, () => rng.nextNormal());
  const scale = Array.from({ length: D }, (_, j) => 3 / (1 + j)); // decaying spectrum
  const data = new Float32Array(n * D);
  const z = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < D; j++) z[j] = rng.nextNormal() * scale[j]!;
    for (let a = 0; a < D; a++) {
      let s = 5 + a; // non-zero mean
      for (let j = 0; j < D; j++) s += A[a * D + j]! * z[j]!;
      data[i * D + a] = s;
    }
  }
  return { data, rows: n, cols: D };
}

function covarianceOf(f: FeatureMatrix): { mean: number[]; cov: number[][] } {
  const { data, rows: n, cols: d } = f;
  const mean = new Array(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j]! / n;
  const cov = Array.from({ length: d }, () => new Array(d).fill(0));
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a]![b] += ((data[i * d + a]! - mean[a]) * (data[i * d + b]! - mean[b])) / n;
  }
  return { mean, cov };
}

test('blocked covariance equals the textbook two-pass computation (odd dimension exercises the padding)', () => {
  const f = correlated(1300, 7, 1);
  const { mean, cov } = meanAndCovariance(f);
  const ref = covarianceOf(f);
  for (let a = 0; a < 7; a++) {
    assert.ok(Math.abs(mean[a]! - ref.mean[a]) < 1e-9);
    for (let b = 0; b < 7; b++) assert.ok(Math.abs(cov[a * 7 + b]! - ref.cov[a]![b]!) < 1e-8 * (1 + Math.abs(ref.cov[a]![b]!)));
  }
});

test('whitened output (before L2) has zero mean and identity covariance', () => {
  const f = correlated(4000, 16, 2);
  const t = fitPreprocessTransform(f, { dims: 10 });
  const y = projectWhitened(t, f);
  const { mean, cov } = covarianceOf(y);
  for (let a = 0; a < 10; a++) {
    assert.ok(Math.abs(mean[a]) < 1e-4, `mean[${a}] = ${mean[a]}`);
    for (let b = 0; b < 10; b++) {
      // Components are well above epsilon (1e-5 of the largest), so lambda / (lambda + eps) ~ 1.
      const expected = a === b ? 1 : 0;
      assert.ok(Math.abs(cov[a]![b]! - expected) < 2e-3, `cov[${a}][${b}] = ${cov[a]![b]}`);
    }
  }
  // Eigenvalues come out decreasing, components orthonormal.
  for (let j = 1; j < 10; j++) assert.ok(t.eigenvalues[j]! <= t.eigenvalues[j - 1]!);
  for (let a = 0; a < 10; a++) {
    for (let b = 0; b < 10; b++) {
      let dot = 0;
      for (let k = 0; k < 16; k++) dot += t.components[a * 16 + k]! * t.components[b * 16 + k]!;
      assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-9);
    }
  }
  assert.ok(explainedVarianceRatio(t) > 0.9 && explainedVarianceRatio(t) <= 1 + 1e-12);
});

test('eigenPower 0 is plain PCA: projected variances equal the eigenvalues', () => {
  const f = correlated(2000, 8, 3);
  const t = fitPreprocessTransform(f, { dims: 4, eigenPower: 0, l2Normalize: false });
  const { cov } = covarianceOf(applyPreprocess(t, f));
  for (let j = 0; j < 4; j++) assert.ok(Math.abs(cov[j]![j]! / t.eigenvalues[j]! - 1) < 1e-4);
});

test('fitPreprocess L2-normalises rows; the JSON transform reproduces the output; signs are deterministic', () => {
  const f = correlated(500, 12, 4);
  const { transform, features } = fitPreprocess(f, { dims: 6 });
  assert.equal([features.rows, features.cols], [500, 6]);
  for (let i = 0; i < 500; i++) {
    let s = 0;
    for (let j = 0; j < 6; j++) s += features.data[i * 6 + j]! ** 2;
    assert.ok(Math.abs(s - 1) < 1e-5);
  }
  const restored = preprocessTransformFromJson(JSON.parse(JSON.stringify(transform)));
  const again = applyPreprocess(restored, f);
  assert.equal([...again.data], [...features.data]);
  const refit = fitPreprocess(f, { dims: 6 });
  assert.equal([...refit.features.data], [...features.data]);
});

test('dead (constant) features are not blown up by whitening', () => {
  const base = correlated(1000, 4, 5);
  const D = 6;
  const data = new Float32Array(1000 * D);
  for (let i = 0; i < 1000; i++) {
    for (let j = 0; j < 4; j++) data[i * D + j] = base.data[i * 4 + j]!;
    data[i * D + 4] = 0; // dead ReLU unit
    data[i * D + 5] = 2.5; // constant unit
  }
  const f = { data, rows: 1000, cols: D };
  const t = fitPreprocessTransform(f, { dims: 6 });
  const y = projectWhitened(t, f);
  for (let i = 0; i < 1000; i++) {
    assert.ok(Math.abs(y.data[i * 6 + 4]!) < 1e-2 && Math.abs(y.data[i * 6 + 5]!) < 1e-2);
  }
  const allZero = fitPreprocess({ data: new Float32Array(30), rows: 10, cols: 3 }, { dims: 2 });
  assert.ok(allZero.features.data.every((v) => v === 0));
});

test('bad input is rejected', () => {
  const f = correlated(50, 5, 6);
  throwsValidation(() => fitPreprocess(f, { dims: 6 }), /dims \(PCA output dimension\): got 6; allowed: an integer in \[1, 5\]/);
  throwsValidation(() => fitPreprocess({ data: new Float32Array(5), rows: 1, cols: 5 }, { dims: 2 }), /rows/);
  const nan = { ...f, data: f.data.slice() };
  nan.data[7] = Number.NaN;
  throwsValidation(() => fitPreprocess(nan, { dims: 2 }), /features\[1\]\[2\]: got NaN/);
  const t = fitPreprocessTransform(f, { dims: 2 });
  throwsValidation(() => applyPreprocess(t, { data: new Float32Array(8), rows: 2, cols: 4 }), /features.cols/);
  throwsValidation(() => preprocessTransformFromJson({ ...t, mean: [1, 2] }), /transform.mean/);
  throwsValidation(() => preprocessTransformFromJson({ format: 'x' }), /preprocess transform/);
});

test.run();
