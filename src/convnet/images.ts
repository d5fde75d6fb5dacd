import { ValidationError, requireInteger } from '../errors.js';

/**
 * A set of images as the ConvNet reads them: `count` images of [height, width, channels], stored
 * row-major (NHWC) in one array. Uint8 pixels are scaled by 1/255; Float32 values are used as given.
 */
export interface ImageSet {
  readonly pixels: Uint8Array | Float32Array;
  readonly count: number;
  /** [height, width, channels]. */
  readonly shape: readonly [number, number, number];
}

export function imageSize(images: ImageSet): number {
  return images.shape[0] * images.shape[1] * images.shape[2];
}

/** Checks an ImageSet at the API boundary (field names as given by `field`). */
export function validateImageSet(field: string, images: ImageSet): void {
  if (images === null || typeof images !== 'object') throw new ValidationError(field, images, 'an ImageSet {pixels, count, shape}');
  requireInteger(`${field}.count`, images.count, 0);
  const shape = images.shape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValidationError(`${field}.shape`, shape, '[height, width, channels] of positive integers');
  }
  if (!(images.pixels instanceof Uint8Array) && !(images.pixels instanceof Float32Array)) {
    throw new ValidationError(`${field}.pixels`, images.pixels, 'a Uint8Array or Float32Array');
  }
  const need = images.count * imageSize(images);
  if (images.pixels.length < need) {
    throw new ValidationError(`${field}.pixels`, images.pixels, `at least count*height*width*channels = ${need} values`);
  }
}

/** Copies images order[start..end) into `out` (as floats), returning the filled prefix. */
export function gatherImages(
  images: ImageSet, order: ArrayLike<number>, start: number, end: number, out: Float32Array,
): Float32Array {
  const size = imageSize(images);
  const src = images.pixels;
  const scale = src instanceof Uint8Array ? 1 / 255 : 1;
  for (let i = start; i < end; i++) {
    const from = order[i]! * size;
    const to = (i - start) * size;
    if (scale === 1) {
      out.set((src as Float32Array).subarray(from, from + size), to);
    } else {
      for (let j = 0; j < size; j++) out[to + j] = src[from + j]! * scale;
    }
  }
  return out.subarray(0, (end - start) * size);
}

/** The identity order 0..count-1. */
export function identityOrder(count: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order;
}
