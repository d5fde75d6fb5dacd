import { ValidationError, requireInteger } from '../errors.js';
import { Rng } from './random.js';

export type Split = 'train' | 'test';
export const SPLITS: readonly Split[] = ['train', 'test'];

/** Image tensor shape, NHWC. */
export interface ImageShape {
  count: number;
  height: number;
  width: number;
  channels: number;
}

/**
 * The one dataset type every command uses: plain data (no methods), so it can be sliced, copied and
 * sent to worker threads as is.
 *
 * - `images`: NHWC, row-major, `count * height * width * channels` values. `Uint8Array` holds raw
 *   pixel intensities 0..255; `Float32Array` holds intensities already scaled to [0, 1].
 * - `labels`: class index per image, 0 .. classNames.length - 1.
 */
export interface Dataset {
  /** Short name, e.g. "mnist", "fashion-mnist", "tiny-imagenet", "synthetic-bars". */
  name: string;
  /** The `--dataset` spec this was loaded from (recorded in results). */
  spec: string;
  split: Split;
  images: Uint8Array | Float32Array;
  shape: ImageShape;
  labels: Uint8Array | Int32Array;
  classNames: string[];
  /** Stable class identifiers where they differ from the display names (e.g. WordNet ids of Tiny ImageNet). */
  classIds?: string[];
  /** Where the data came from (paths or package), for provenance. */
  source: string;
  /**
   * Index of each image in the full split it was loaded from; present after taking a subset so
   * that results can be traced back to the original images.
   */
  sourceIndices?: Int32Array;
}

/** Values per image (height * width * channels). */
export function pixelsPerImage(ds: Pick<Dataset, 'shape'>): number {
  return ds.shape.height * ds.shape.width * ds.shape.channels;
}

/**
 * Checks the internal consistency of a dataset (array lengths, label range, class names); loaders
 * call it before returning, and commands may call it on datasets built by hand.
 */
export function validateDataset(ds: Dataset): Dataset {
  const { count, height, width, channels } = ds.shape;
  requireInteger(`${ds.name}.shape.count`, count, 0);
  requireInteger(`${ds.name}.shape.height`, height, 1);
  requireInteger(`${ds.name}.shape.width`, width, 1);
  requireInteger(`${ds.name}.shape.channels`, channels, 1);
  if (ds.images.length !== count * height * width * channels) {
    throw new ValidationError(
      `${ds.name}.images`,
      ds.images,
      `${count * height * width * channels} values (count x height x width x channels = ${count}x${height}x${width}x${channels})`,
    );
  }
  if (ds.labels.length !== count) {
    throw new ValidationError(`${ds.name}.labels`, ds.labels, `${count} labels, one per image`);
  }
  if (ds.classNames.length < 1) throw new ValidationError(`${ds.name}.classNames`, ds.classNames, 'at least one class');
  const nClasses = ds.classNames.length;
  for (let i = 0; i < count; i++) {
    const y = ds.labels[i]!;
    if (y < 0 || y >= nClasses) {
      throw new ValidationError(`${ds.name}.labels[${i}]`, y, `a class index in [0, ${nClasses - 1}]`);
    }
  }
  if (ds.classIds && ds.classIds.length !== nClasses) {
    throw new ValidationError(`${ds.name}.classIds`, ds.classIds, `${nClasses} ids, one per class name`);
  }
  if (ds.sourceIndices && ds.sourceIndices.length !== count) {
    throw new ValidationError(`${ds.name}.sourceIndices`, ds.sourceIndices, `${count} indices, one per image`);
  }
  return ds;
}

/** Image `i` as a view (no copy) into `ds.images`, `height * width * channels` values, HWC order. */
export function imageView(ds: Dataset, i: number): Uint8Array | Float32Array {
  requireInteger('image index', i, 0, ds.shape.count - 1);
  const p = pixelsPerImage(ds);
  return ds.images.subarray(i * p, (i + 1) * p);
}

/**
 * All images as f32 in [0, 1] (u8 / 255). A dataset already holding f32 returns its own array
 * (no copy): callers must not modify it in place.
 */
export function imagesAsFloat01(ds: Dataset): Float32Array {
  if (ds.images instanceof Float32Array) return ds.images;
  const out = new Float32Array(ds.images.length);
  const src = ds.images;
  for (let i = 0; i < src.length; i++) out[i] = src[i]! / 255;
  return out;
}

/** The same dataset with f32 images in [0, 1]. */
export function toFloat01(ds: Dataset): Dataset {
  return { ...ds, images: imagesAsFloat01(ds) };
}

/** A new dataset holding the given images (copied), in the given order. */
export function takeIndices(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const p = pixelsPerImage(ds);
  const n = indices.length;
  const images = ds.images instanceof Float32Array ? new Float32Array(n * p) : new Uint8Array(n * p);
  const labels = ds.labels instanceof Int32Array ? new Int32Array(n) : new Uint8Array(n);
  const sourceIndices = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= ds.shape.count) {
      throw new ValidationError(`indices[${k}]`, i, `an image index in [0, ${ds.shape.count - 1}]`);
    }
    images.set(ds.images.subarray(i * p, (i + 1) * p), k * p);
    labels[k] = ds.labels[i]!;
    sourceIndices[k] = ds.sourceIndices ? ds.sourceIndices[i]! : i;
  }
  return { ...ds, images, labels, shape: { ...ds.shape, count: n }, sourceIndices };
}

/** The first `n` images (all of them when n >= count). */
export function takeFirst(ds: Dataset, n: number): Dataset {
  requireInteger('subset size', n, 0);
  const m = Math.min(n, ds.shape.count);
  const idx = new Int32Array(m);
  for (let i = 0; i < m; i++) idx[i] = i;
  return takeIndices(ds, idx);
}

/**
 * `n` images drawn without replacement with per-class counts proportional to the class frequencies
 * (largest-remainder rounding, ties to the lower class index), seeded. Images keep their original
 * relative order, so the subset does not depend on how it will be shuffled later.
 */
export function takeStratified(ds: Dataset, n: number, seed: number): Dataset {
  requireInteger('subset size', n, 0);
  const total = ds.shape.count;
  if (n >= total) return takeFirst(ds, total);
  const nClasses = ds.classNames.length;
  const byClass: number[][] = Array.from({ length: nClasses }, () => []);
  for (let i = 0; i < total; i++) byClass[ds.labels[i]!]!.push(i);
  const quota = byClass.map((members) => (members.length * n) / total);
  const take = quota.map(Math.floor);
  let left = n - take.reduce((a, b) => a + b, 0);
  const order = quota
    .map((q, c) => ({ c, frac: q - Math.floor(q) }))
    .sort((a, b) => b.frac - a.frac || a.c - b.c);
  for (const { c } of order) {
    if (left === 0) break;
    if (take[c]! < byClass[c]!.length) {
      take[c]! += 1;
      left -= 1;
    }
  }
  const rng = new Rng(seed);
  const chosen: number[] = [];
  for (let c = 0; c < nClasses; c++) {
    const members = byClass[c]!;
    const pick = rng.sampleWithoutReplacement(members.length, take[c]!);
    for (const j of pick) chosen.push(members[j]!);
  }
  chosen.sort((a, b) => a - b);
  return takeIndices(ds, chosen);
}

/** Number of images per class. */
export function labelHistogram(ds: Pick<Dataset, 'labels' | 'classNames'>): number[] {
  const hist = new Array<number>(ds.classNames.length).fill(0);
  for (let i = 0; i < ds.labels.length; i++) hist[ds.labels[i]!]! += 1;
  return hist;
}

/** JSON-friendly description for result files. */
export interface DatasetSummary {
  name: string;
  spec: string;
  split: Split;
  count: number;
  height: number;
  width: number;
  channels: number;
  classNames: string[];
  classIds?: string[];
  classCounts: number[];
  source: string;
}

export function summarizeDataset(ds: Dataset): DatasetSummary {
  return {
    name: ds.name,
    spec: ds.spec,
    split: ds.split,
    ...ds.shape,
    classNames: ds.classNames,
    ...(ds.classIds ? { classIds: ds.classIds } : {}),
    classCounts: labelHistogram(ds),
    source: ds.source,
  };
}
