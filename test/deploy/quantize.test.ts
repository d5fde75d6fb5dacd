// Signed fixed-point deployment weights (src/deploy/quantize.ts): hand-worked levels and deltas with
// one scale per layer and per output channel, clipping at a percentile of |w|, saturation, stats.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../src/errors.js';
import { quantizeOptions, quantizeSigned } from '../../src/deploy/quantize.js';

/**
 * A 1x1 conv, 5 input channels -> 2 output channels, HWIO (index = ci * 2 + co), 3 bits (qMax 3).
 *   channel 0: 3, -1.5, 0.5, -0.49, 0    (|w| sorted 0, 0.49, 0.5, 1.5, 3)
 *   channel 1: 12, -2, 1.9, 0, 3         (|w| sorted 0, 1.9, 2, 3, 12)
 */
const CONV = Float32Array.from([3, 12, -1.5, -2, 0.5, 1.9, -0.49, 0, 0, 3]);

test('one scale per layer: delta = max|w| / qMax, half away from zero (unchanged)', () => {
  const q = quantizeSigned(CONV, 3);
  // delta 12 / 3 = 4: 3/4 -> 1, -1.5/4 -> 0, 0.5/4 -> 0, -0.49/4 -> 0; 12 -> 3, -2/4 = -0.5 -> -1, 1.9/4 -> 0, 3/4 -> 1.
  assert.equal(Array.from(q.levels), [1, 3, 0, -1, 0, 0, 0, 0, 0, 1]);
  assert.is(q.delta, 4);
  assert.equal(Array.from(q.deltas), [4]);
  assert.is(q.scale, 'layer');
  assert.is(q.clip, 100);
  // -1.5, 0.5, -0.49, 1.9 became 0; nothing is clipped.
  assert.equal(q.stats, { scales: 1, clippedFraction: 0, roundedToZeroFraction: 4 / 10 });
  // The explicit options give the same thing.
  assert.equal(quantizeSigned(CONV, 3, { scale: 'layer', clip: 100, channels: 2 }), q);
});

test('one scale per output channel (conv, HWIO: channel fastest)', () => {
  const q = quantizeSigned(CONV, 3, { scale: 'channel', channels: 2 });
  // channel 0: delta 3 / 3 = 1: 3, -1.5 -> -2 (half away from zero), 0.5 -> 1, -0.49 -> 0, 0.
  // channel 1: delta 12 / 3 = 4: 3, -0.5 -> -1, 0.475 -> 0, 0, 0.75 -> 1.
  assert.equal(Array.from(q.levels), [3, 3, -2, -1, 1, 0, 0, 0, 0, 1]);
  assert.equal(Array.from(q.deltas), [1, 4]);
  assert.equal(q.stats, { scales: 2, clippedFraction: 0, roundedToZeroFraction: 2 / 10 });
});

test('per-channel clipping at a percentile of |w| saturates the outliers at +-qMax', () => {
  // 75th percentile of 5 values = the 4th smallest (position 4 * 0.75 = 3): channel 0 range 1.5
  // (delta 0.5), channel 1 range 3 (delta 1).
  const q = quantizeSigned(CONV, 3, { scale: 'channel', clip: 75, channels: 2 });
  // channel 0: 3 / 0.5 = 6 -> 3 (saturated), -3, 1, -0.98 -> -1, 0.
  // channel 1: 12 -> 3 (saturated), -2, 1.9 -> 2, 0, 3.
  assert.equal(Array.from(q.levels), [3, 3, -3, -2, 1, 2, -1, 0, 0, 3]);
  assert.equal(Array.from(q.deltas), [0.5, 1]);
  // |w| > range: 3 in channel 0 and 12 in channel 1.
  assert.equal(q.stats, { scales: 2, clippedFraction: 2 / 10, roundedToZeroFraction: 0 });
  // Interpolation between order statistics: the 87.5th percentile of channel 0 is 1.5 + (3 - 1.5) * 0.5 = 2.25.
  const r = quantizeSigned(CONV, 3, { scale: 'channel', clip: 87.5, channels: 2 });
  assert.equal(Array.from(r.deltas), [Math.fround(0.75), Math.fround((3 + 9 * 0.5) / 3)]);
  // 3 / 0.75 = 4 -> 3 (saturated), -1.5 / 0.75 = -2, 0.5 / 0.75 -> 1, -0.49 / 0.75 = -0.65 -> -1.
  assert.equal([r.levels[0], r.levels[2], r.levels[4], r.levels[6]], [3, -2, 1, -1]);
});

test('one scale per output channel (dense, [nIn][nOut]); an all-zero channel gets delta 1', () => {
  // 4 bits (qMax 7), nIn 2 x nOut 3: rows [0.3, -8, 0], [-0.1, 2, 0].
  const w = Float32Array.from([0.3, -8, 0, -0.1, 2, 0]);
  const q = quantizeSigned(w, 4, { scale: 'channel', channels: 3 });
  // channel 0: delta 0.3 / 7: 7, -0.1 / (0.3 / 7) = -2.33 -> -2; channel 1: delta 8 / 7: -7, 1.75 -> 2.
  assert.equal(Array.from(q.levels), [7, -7, 0, -2, 2, 0]);
  assert.equal(Array.from(q.deltas), [Math.fround(0.3 / 7), Math.fround(8 / 7), 1]);
  assert.is(q.delta, Math.fround(8 / 7));
  assert.equal(q.stats, { scales: 3, clippedFraction: 0, roundedToZeroFraction: 0 });
  // One scale per layer: delta 8 / 7 takes channel 0 to 0.26 -> 0 and -0.09 -> 0.
  const l = quantizeSigned(w, 4);
  assert.equal(Array.from(l.levels), [0, -7, 0, 0, 2, 0]);
  assert.is(l.stats.roundedToZeroFraction, 2 / 6);
});

test('bad quantization options are named with the value and what is allowed', () => {
  const bad: [() => unknown, RegExp][] = [
    [() => quantizeSigned(CONV, 3, { scale: 'per-row' as never, channels: 2 }), /weightScale: got "per-row"; allowed: one of "layer", "channel"/],
    [() => quantizeSigned(CONV, 3, { clip: 0 }), /weightClip: got 0; allowed: a percentile of \|w\| in \(50, 100\]/],
    [() => quantizeSigned(CONV, 3, { clip: 50 }), /weightClip: got 50/],
    [() => quantizeSigned(CONV, 3, { clip: 101 }), /weightClip: got 101/],
    [() => quantizeSigned(CONV, 3, { scale: 'channel', channels: 3 }), /channels: got 3; allowed: a divisor/],
    [() => quantizeSigned(CONV, 1), /weightBits/],
    [() => quantizeOptions(0, { scale: 'channel' }), /weightScale: got "channel"; allowed: 'layer' with f32 weights/],
    [() => quantizeOptions(0, { clip: 99.9 }), /weightClip: got 99.9; allowed: 100 with f32 weights/],
  ];
  for (const [f, pattern] of bad) {
    assert.throws(f, (e: unknown) => e instanceof ValidationError && pattern.test(e.message), String(pattern));
  }
  assert.equal(quantizeOptions(0), { scale: 'layer', clip: 100 });
  assert.equal(quantizeOptions(5, { scale: 'channel', clip: 99.9 }), { scale: 'channel', clip: 99.9 });
});

test.run();
