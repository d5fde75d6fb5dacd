// Fidelity metrics on hand-built cases: permuted prototypes match with cosine 1; spike counts of
// matched neurons agree; winners and NMI of the winning neuron.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cosineMatrix, matchPrototypes, meanStd, spikeAgreement, winnerNmi, winners } from '../../src/fidelity/metrics.js';

const nIn = 5;
const nOut = 4;
// Column j of `ref` is a distinct pattern.
const ref = new Float32Array(nIn * nOut);
for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) ref[i * nOut + j] = (i + 1) * (j === i % nOut ? 3 : 1) + j;
const perm = [2, 0, 3, 1]; // point neuron p holds reference neuron perm[p]
const point = new Float32Array(nIn * nOut);
for (let i = 0; i < nIn; i++) for (let p = 0; p < nOut; p++) point[i * nOut + p] = 2 * ref[i * nOut + perm[p]!]!;

test('cosine matrix: scaled copies have cosine 1, zero columns 0', () => {
  const cos = cosineMatrix(point, ref, nIn, nOut);
  for (let p = 0; p < nOut; p++) assert.ok(Math.abs(cos[p * nOut + perm[p]!]! - 1) < 1e-12);
  const zero = new Float32Array(nIn * nOut);
  assert.ok(cosineMatrix(zero, ref, nIn, nOut).every((x) => x === 0));
});

test('Hungarian matching recovers the permutation of neurons', () => {
  const m = matchPrototypes(point, ref, nIn, nOut);
  assert.equal(Array.from(m.toReference), perm);
  assert.ok(Math.abs(m.meanCosine - 1) < 1e-12);
});

test('spike agreement of matched neurons on the probe set', () => {
  const samples = 3;
  const refCounts = Uint32Array.from([5, 0, 1, 0, 0, 0, 0, 7, 0, 0, 0, 0]);
  const pointCounts = new Uint32Array(samples * nOut);
  for (let s = 0; s < samples; s++) for (let p = 0; p < nOut; p++) pointCounts[s * nOut + p] = refCounts[s * nOut + perm[p]!]!;
  const a = spikeAgreement(pointCounts, refCounts, Int32Array.from(perm), nOut);
  assert.is(a.winnerAgreement, 1, 'sample 2 is silent in both');
  assert.ok(Math.abs(a.countCorrelation - 1) < 1e-12);
  assert.is(a.meanAbsCountDifference, 0);
  const shifted = Uint32Array.from(pointCounts);
  shifted[0 * nOut + 1] = 0; // sample 0 loses its winner in the point run
  shifted[0 * nOut + 0] = 4;
  const b = spikeAgreement(shifted, refCounts, Int32Array.from(perm), nOut);
  assert.ok(Math.abs(b.winnerAgreement - 2 / 3) < 1e-12);
  assert.ok(Math.abs(b.meanAbsCountDifference - 8 / 12) < 1e-12);
});

test('winners (ties to the lower index, silent = nOut) and NMI of the winner against labels', () => {
  assert.equal(Array.from(winners([0, 2, 2, 1, 0, 0, 0, 0], 4)), [1, 4]);
  // Two classes, perfectly separated by the winner: NMI 1; winners independent of labels: NMI 0.
  assert.ok(Math.abs(winnerNmi([3, 0, 3, 0, 0, 2, 0, 2], [0, 0, 1, 1], 2, 2) - 1) < 1e-12);
  assert.ok(Math.abs(winnerNmi([3, 0, 3, 0, 0, 2, 0, 2], [0, 1, 0, 1], 2, 2) - 0) < 1e-12);
  assert.equal(meanStd([1, 3]), { mean: 2, std: Math.SQRT2, n: 2 });
});

test.run();
