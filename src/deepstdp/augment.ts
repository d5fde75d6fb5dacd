import type { ImageSet } from '../convnet/images.js';
import { Rng } from '../data/random.js';

/** Training-time augmentation of the loop (DeepCluster crops and flips, scaled to small images). */
export interface AugmentOptions {
  /** Largest random translation in pixels (uniform in [-shift, shift] per axis; the border fills with 0). */
  shift: number;
  /** Random horizontal flip with probability 1/2 (natural images; not for digits). */
  flip: boolean;
}

/**
 * A randomly translated (and flipped) copy of every image, drawn with `rng`: the ConvNet sees a
 * different version of each image in every epoch, so it cannot fit its pseudo-labels by memorising
 * pixels (DeepCluster's reason for crops and flips). Feature extraction uses the unaugmented images.
 */
export function augmentImages(images: ImageSet, options: AugmentOptions, rng: Rng): ImageSet {
  const { shift, flip } = options;
  if (shift === 0 && !flip) return images;
  const [h, w, c] = images.shape;
  const size = h * w * c;
  const src = images.pixels;
  const out = src instanceof Uint8Array ? new Uint8Array(images.count * size) : new Float32Array(images.count * size);
  for (let s = 0; s < images.count; s++) {
    const dy = shift > 0 ? rng.nextInt(2 * shift + 1) - shift : 0;
    const dx = shift > 0 ? rng.nextInt(2 * shift + 1) - shift : 0;
    const mirror = flip && rng.nextInt(2) === 1;
    const base = s * size;
    for (let y = 0; y < h; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= h) continue;
      for (let x = 0; x < w; x++) {
        let sx = x - dx;
        if (sx < 0 || sx >= w) continue;
        if (mirror) sx = w - 1 - sx;
        const from = base + (sy * w + sx) * c;
        const to = base + (y * w + x) * c;
        for (let ch = 0; ch < c; ch++) out[to + ch] = src[from + ch]!;
      }
    }
  }
  return { pixels: out, count: images.count, shape: images.shape };
}
