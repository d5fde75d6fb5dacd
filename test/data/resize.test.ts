import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resizeBilinear } from '../../src/data/resize.js';
import { Rng } from '../../src/data/random.js';

test('same size is a copy', () => {
  const src = new Uint8Array([1, 2, 3, 4]);
  const out = resizeBilinear(src, 2, 2, 1, 2, 2);
  assert.equal([...out], [1, 2, 3, 4]);
  assert.is.not(out, src);
});

test('2x enlargement of a 1x2 row equals the hand-computed triangle-filter values', () => {
  // Output centres 0.25, 0.75, 1.25, 1.75 in source pixel units; weights 1 - |distance|.
  assert.equal([...resizeBilinear(new Uint8Array([0, 255]), 1, 2, 1, 1, 4)], [0, 64, 191, 255]);
});

test('2x reduction is antialiased (triangle of radius 2 source pixels), hand-computed', () => {
  // out0 = (0*.75 + 100*.75 + 200*.25) / 1.75 = 71.4; out1 = (100*.25 + 200*.75 + 40*.75) / 1.75 = 117.1
  assert.equal([...resizeBilinear(new Uint8Array([0, 100, 200, 40]), 1, 4, 1, 1, 2)], [71, 117]);
});

test('constant images stay constant; channels stay separate; the mean is kept when shrinking noise', () => {
  const rgb = new Uint8Array(5 * 7 * 3);
  for (let i = 0; i < 35; i++) rgb.set([10, 120, 250], 3 * i);
  const out = resizeBilinear(rgb, 5, 7, 3, 11, 3);
  for (let i = 0; i < 33; i++) assert.equal([...out.subarray(3 * i, 3 * i + 3)], [10, 120, 250]);
  const rng = new Rng(2);
  const noise = new Uint8Array(64 * 64).map(() => rng.nextInt(256));
  const small = resizeBilinear(noise, 64, 64, 1, 16, 16);
  const mean = (a: Uint8Array): number => a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(Math.abs(mean(small) - mean(noise)) < 2);
  // Antialiasing averages ~16 source pixels per output pixel: the spread shrinks a lot.
  const sd = (a: Uint8Array): number => Math.sqrt(a.reduce((s, v) => s + (v - mean(a)) ** 2, 0) / a.length);
  assert.ok(sd(small) < sd(noise) / 3, `${sd(small)} vs ${sd(noise)}`);
});

test.run();
