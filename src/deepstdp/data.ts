import { ValidationError } from '../errors.js';
import { getArchitecture } from '../convnet/architectures.js';
import type { ImageSet } from '../convnet/images.js';
import { loadDataset, parseDatasetSpec, type LoadDatasetOptions } from '../data/load.js';
import { summarizeDataset, type Dataset, type DatasetSummary } from '../data/dataset.js';
import type { ResolvedTrainOptions } from './options.js';
import type { AugmentOptions } from './augment.js';

/** The images and labels one run trains and evaluates on (plain data: it crosses to worker threads). */
export interface TrainData {
  train: { pixels: Uint8Array | Float32Array; labels: Int32Array; shape: [number, number, number] };
  test: { pixels: Uint8Array | Float32Array; labels: Int32Array; shape: [number, number, number] };
  classNames: string[];
  summaries: { train: DatasetSummary; test: DatasetSummary };
}

export function imageSetOf(part: TrainData['train']): ImageSet {
  return { pixels: part.pixels, count: part.labels.length, shape: part.shape };
}

/** Augmentation of the training images: --shift (default 2 px up to 32 px inputs, else 4) and --flip (default: colour images). */
export function augmentOptions(o: Pick<ResolvedTrainOptions, 'shift' | 'flip'>, shape: readonly [number, number, number]): AugmentOptions {
  return {
    shift: o.shift ?? (Math.max(shape[0], shape[1]) <= 32 ? 2 : 4),
    flip: o.flip ?? shape[2] === 3,
  };
}

/** Architecture for `arch` = 'auto': the small reference net up to 32 px, the 64 px VGG above. */
export function resolveArch(arch: string, shape: readonly [number, number, number]): string {
  if (arch !== 'auto') return arch;
  return Math.max(shape[0], shape[1]) <= 32 ? 'reference' : 'vgg-64';
}

/**
 * Loads the training and held-out subsets: `train` images drawn class-stratified from the train
 * split and `test` from the test split (seed dataSeed). Folder datasets (Tiny ImageNet, class
 * folders) are decoded at --image-size, or the explicit architecture's native size, or their own.
 */
export function loadTrainData(o: ResolvedTrainOptions, onProgress?: (split: string, done: number, total: number) => void): TrainData {
  const kind = parseDatasetSpec(o.dataset).kind;
  const folder = kind === 'folder' || kind === 'tiny-imagenet';
  const common: LoadDatasetOptions = {};
  if (folder) {
    if (o.classes !== undefined) common.classes = o.classes;
    if (o.imageSize !== undefined) common.imageSize = o.imageSize;
    else if (o.arch !== 'auto') {
      const native = getArchitecture(o.arch).nativeInputShape;
      common.imageSize = [native[0], native[1]];
      if (native[2] === 1) common.grayscale = true;
    }
  }
  const load = (split: 'train' | 'test', limit: number): Dataset => {
    const opts: LoadDatasetOptions = { ...common, limit, subsetSeed: o.dataSeed, seed: o.dataSeed };
    if (onProgress) opts.onProgress = (done, total) => onProgress(split, done, total);
    return loadDataset(o.dataset, split, opts);
  };
  const train = load('train', o.train);
  const test = load('test', o.test);
  if (train.shape.count < 2) throw new ValidationError('--train', train.shape.count, 'a dataset with at least 2 training images');
  const shapeOf = (d: Dataset): [number, number, number] => [d.shape.height, d.shape.width, d.shape.channels];
  if (shapeOf(train).join('x') !== shapeOf(test).join('x')) {
    throw new ValidationError('--dataset', o.dataset, `train and test images of one size (got ${shapeOf(train).join('x')} and ${shapeOf(test).join('x')})`);
  }
  return {
    train: { pixels: train.images, labels: Int32Array.from(train.labels), shape: shapeOf(train) },
    test: { pixels: test.images, labels: Int32Array.from(test.labels), shape: shapeOf(test) },
    classNames: train.classNames,
    summaries: { train: summarizeDataset(train), test: summarizeDataset(test) },
  };
}
