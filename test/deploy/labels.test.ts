// Label mapping, accuracy and agreement; signed fixed-point weights.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../src/errors.js';
import { agreement, isIdentity, majorityMapping, mappedAccuracy } from '../../src/deploy/labels.js';
import { quantizeSigned, rowNonZeros } from '../../src/deploy/quantize.js';
import { readoutMembrane, readoutSpikes } from '../../src/deploy/readout.js';

test('majority mapping: clusters to classes, identity for a supervised head, unseen outputs', () => {
  // Outputs 0..4 (clusters) over 3 classes: output 0 -> class 2, 1 -> 0, 3 -> 1 (2 votes to 1), 2 and 4 never predicted.
  const predicted = [0, 0, 1, 3, 3, 3, 1];
  const labels = [2, 2, 0, 1, 1, 0, 0];
  const m = majorityMapping(predicted, labels, 5, 3);
  assert.equal(Array.from(m), [2, 0, 2, 1, -1]);
  assert.is(mappedAccuracy(predicted, labels, m), 6 / 7);
  assert.ok(isIdentity(majorityMapping([0, 1, 2, 1], [0, 1, 2, 1], 3, 3)));
  assert.is(agreement([1, 2, 3, 4], [1, 0, 3, 0]), 0.5);
});

test('read-outs: spike count with membrane tie-break; membrane = integrated input', () => {
  assert.is(readoutSpikes([3, 5, 5, 1], [0.9, 0.2, 0.4, 0.99]), 2);
  assert.is(readoutSpikes([0, 0, 0], [0.1, 0.1, -0.5]), 0);
  // count * vThresh + v: 3 + 0.9 = 3.9 beats 4 - 0.5 = 3.5.
  assert.is(readoutMembrane([3, 4], [0.9, -0.5], 1), 0);
  assert.is(readoutSpikes([3, 4], [0.9, -0.5]), 1);
});

test('signed fixed point: levels, scale, rounding half away from zero, saturation-free range', () => {
  const w = Float32Array.from([0.5, -1, 0.25, 0.124, -0.126, 0]);
  const q = quantizeSigned(w, 4); // qMax 7, delta 1/7
  assert.is(q.delta, Math.fround(1 / 7));
  assert.equal(Array.from(q.levels), [4, -7, 2, 1, -1, 0]); // 3.5 -> 4, 1.75 -> 2, 0.868 -> 1
  const q8 = quantizeSigned(w, 8);
  assert.ok(q8.levels.every((l) => l >= -127 && l <= 127));
  assert.is(q8.levels[1], -127);
  assert.throws(() => quantizeSigned(w, 1), (e: unknown) => e instanceof ValidationError);
  assert.throws(() => quantizeSigned(w, 9), (e: unknown) => e instanceof ValidationError);
  assert.equal(Array.from(rowNonZeros([1, 0, 2, 0, 0, 0], 2, 3)), [2, 0]);
});

test.run();
