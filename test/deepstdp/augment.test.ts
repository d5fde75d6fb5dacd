import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { augmentImages } from '../../src/deepstdp/augment.js';
import { Rng } from '../../src/data/random.js';

const image = (h: number, w: number, c: number) => ({
  pixels: Uint8Array.from({ length: h * w * c }, (_, i) => (i % 251) + 1),
  count: 1,
  shape: [h, w, c] as [number, number, number],
});

test('no shift and no flip returns the images unchanged (same object)', () => {
  const im = image(4, 4, 1);
  assert.is(augmentImages(im, { shift: 0, flip: false }, new Rng(1)), im);
});

test('a shift moves pixels by at most `shift` in each axis and fills the border with zeros', () => {
  const im = { pixels: new Uint8Array(25), count: 1, shape: [5, 5, 1] as [number, number, number] };
  im.pixels[2 * 5 + 2] = 200; // one bright pixel in the centre
  for (let seed = 1; seed <= 20; seed++) {
    const out = augmentImages(im, { shift: 1, flip: false }, new Rng(seed));
    const lit = [...out.pixels.entries()].filter(([, v]) => v > 0);
    assert.is(lit.length, 1);
    const [idx, v] = lit[0]!;
    assert.is(v, 200);
    assert.ok(Math.abs(Math.floor(idx / 5) - 2) <= 1 && Math.abs((idx % 5) - 2) <= 1, `seed ${seed}: pixel at ${idx}`);
  }
});

test('flips mirror rows (channels stay together) and are drawn about half the time', () => {
  const im = image(2, 3, 3);
  let flipped = 0;
  const rng = new Rng(3);
  for (let t = 0; t < 200; t++) {
    const out = augmentImages(im, { shift: 0, flip: true }, rng);
    const same = out.pixels.every((v, i) => v === im.pixels[i]);
    if (!same) {
      flipped++;
      for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) for (let ch = 0; ch < 3; ch++) {
        assert.is(out.pixels[(y * 3 + x) * 3 + ch], im.pixels[(y * 3 + (2 - x)) * 3 + ch]);
      }
    }
  }
  assert.ok(flipped > 70 && flipped < 130, `${flipped} of 200 flipped`);
});

test.run();
