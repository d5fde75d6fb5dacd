import { ValidationError } from '../errors.js';
import { validateDataset, type Dataset, type Split } from './dataset.js';
import { readIdx, type IdxArray } from './idx.js';

export interface IdxPairOptions {
  name: string;
  spec: string;
  split: Split;
  /** Class names; default "0", "1", ... up to the largest label. */
  classNames?: string[];
}

/**
 * A dataset from an IDX image file ([count, height, width] or [count, height, width, channels];
 * uint8 0..255, or float32/float64 in [0, 1]) and an IDX label file ([count], integer type,
 * values >= 0).
 */
export function loadIdxPair(imagesPath: string, labelsPath: string, options: IdxPairOptions): Dataset {
  const images = readIdx(imagesPath, `${options.name} images`);
  const labels = readIdx(labelsPath, `${options.name} labels`);
  return idxArraysToDataset(images, labels, options, `${imagesPath} + ${labelsPath}`);
}

export function idxArraysToDataset(images: IdxArray, labels: IdxArray, options: IdxPairOptions, source: string): Dataset {
  const what = `${options.name} images`;
  if (images.dims.length !== 3 && images.dims.length !== 4) {
    throw new ValidationError(`${what}: dimensions`, `[${images.dims.join(', ')}]`, '[count, height, width] or [count, height, width, channels]');
  }
  const [count, height, width, channels = 1] = images.dims as [number, number, number, number?];
  let pixels: Uint8Array | Float32Array;
  if (images.type === 'uint8') {
    pixels = images.data as Uint8Array;
  } else if (images.type === 'float32' || images.type === 'float64') {
    pixels = images.data instanceof Float32Array ? images.data : Float32Array.from(images.data);
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i]!;
      if (!(v >= 0 && v <= 1)) throw new ValidationError(`${what}[${i}]`, v, 'float pixel values in [0, 1]');
    }
  } else {
    throw new ValidationError(`${what}: element type`, images.type, 'uint8 (0..255), float32 or float64 (0..1)');
  }
  if (labels.dims.length !== 1) {
    throw new ValidationError(`${options.name} labels: dimensions`, `[${labels.dims.join(', ')}]`, 'one dimension [count]');
  }
  if (labels.type === 'float32' || labels.type === 'float64') {
    throw new ValidationError(`${options.name} labels: element type`, labels.type, 'an integer type (uint8, int8, int16, int32)');
  }
  if (labels.dims[0] !== count) {
    throw new ValidationError(
      `${options.name} labels: count`,
      labels.dims[0],
      `the image count ${count} (images and labels must pair up one to one)`,
    );
  }
  let maxLabel = 0;
  for (let i = 0; i < count; i++) {
    const y = labels.data[i]!;
    if (y < 0) throw new ValidationError(`${options.name} labels[${i}]`, y, 'a class index >= 0');
    if (y > maxLabel) maxLabel = y;
  }
  const classNames = options.classNames ?? Array.from({ length: maxLabel + 1 }, (_, c) => String(c));
  const labelArray = labels.data instanceof Uint8Array ? labels.data : Int32Array.from(labels.data);
  return validateDataset({
    name: options.name,
    spec: options.spec,
    split: options.split,
    images: pixels,
    shape: { count, height, width, channels },
    labels: labelArray,
    classNames,
    source,
  });
}
