import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ValidationError } from '../errors.js';
import { takeFirst, takeStratified, type Dataset, type Split, SPLITS } from './dataset.js';
import { loadFashionMnist } from './fashion-mnist.js';
import { loadIdxPair } from './idx-dataset.js';
import { loadImageFolder, type ImageFolderOptions } from './image-folder.js';
import { IDX_STANDARD_NAMES, loadMnist } from './mnist.js';
import { makeSynthetic, parseSyntheticParams, SYNTHETIC_KINDS, type SyntheticKind } from './synthetic.js';
import { loadTinyImagenet } from './tiny-imagenet.js';

/** One line per accepted `--dataset` form, for CLI help and error messages. */
export const DATASET_SPEC_HELP = [
  'mnist                       MNIST (embedded, 60,000 train / 10,000 test)',
  'fashion-mnist               Fashion-MNIST (embedded, 60,000 / 10,000, fixed split)',
  'idx:<folder>                IDX files with the standard MNIST names in <folder>',
  'idx:<images>,<labels>       one IDX pair, used for both splits',
  'idx:<trainImg>,<trainLbl>,<testImg>,<testLbl>',
  'folder:<path>               class sub-folders of JPEG/PNG images',
  'tiny-imagenet:<path>        unpacked Tiny ImageNet (train/, val/, words.txt)',
  'synthetic-prototypes[:k=v,...]  noisy blob prototypes (classes, size, channels, train, test, noise, shift, seed)',
  'synthetic-bars[:k=v,...]    noisy horizontal/vertical bars (same parameters)',
];

export interface LoadDatasetOptions extends ImageFolderOptions {
  /** Keep only this many images: the first n, or a class-stratified sample when `subsetSeed` is set. */
  limit?: number;
  /** Seed for a stratified random `limit` subset (default: first n images). */
  subsetSeed?: number;
  /** Seed for synthetic datasets when the spec does not give one. */
  seed?: number;
  /** Fashion-MNIST decoded-copy cache folder (null disables it). */
  cacheDir?: string | null;
}

/** A parsed `--dataset` spec. */
export type DatasetSpec =
  | { kind: 'mnist' }
  | { kind: 'fashion-mnist' }
  | { kind: 'idx-folder'; dir: string }
  | { kind: 'idx'; train: { images: string; labels: string }; test: { images: string; labels: string } | null }
  | { kind: 'folder'; path: string }
  | { kind: 'tiny-imagenet'; path: string }
  | { kind: 'synthetic'; synthetic: SyntheticKind; params: string };

export function parseDatasetSpec(spec: string): DatasetSpec {
  if (typeof spec !== 'string' || spec.trim() === '') throw invalidSpec(spec);
  const colon = spec.indexOf(':');
  const head = (colon < 0 ? spec : spec.slice(0, colon)).trim().toLowerCase();
  const rest = colon < 0 ? '' : spec.slice(colon + 1);
  switch (head) {
    case 'mnist':
    case 'fashion-mnist':
      if (rest !== '') throw invalidSpec(spec);
      return { kind: head };
    case 'idx': {
      const parts = rest.split(',').map((s) => s.trim());
      if (parts.length === 1 && parts[0]) return { kind: 'idx-folder', dir: parts[0] };
      if (parts.every((s) => s !== '') && parts.length === 2) {
        return { kind: 'idx', train: { images: parts[0]!, labels: parts[1]! }, test: null };
      }
      if (parts.every((s) => s !== '') && parts.length === 4) {
        return { kind: 'idx', train: { images: parts[0]!, labels: parts[1]! }, test: { images: parts[2]!, labels: parts[3]! } };
      }
      throw invalidSpec(spec);
    }
    case 'folder':
    case 'tiny-imagenet':
      if (rest.trim() === '') throw invalidSpec(spec);
      return { kind: head, path: rest.trim() };
    default: {
      const synthetic = SYNTHETIC_KINDS.find((k) => head === `synthetic-${k}`);
      if (synthetic) return { kind: 'synthetic', synthetic, params: rest };
      throw invalidSpec(spec);
    }
  }
}

function invalidSpec(spec: unknown): ValidationError {
  return new ValidationError('dataset', spec, DATASET_SPEC_HELP.map((l) => l.split(/\s{2,}/)[0]).join(' | '));
}

/**
 * Loads one split of the dataset named by a `--dataset` spec (see DATASET_SPEC_HELP and
 * docs/data.md). Synchronous: the files are read and decoded before it returns.
 */
export function loadDataset(spec: string, split: Split, options: LoadDatasetOptions = {}): Dataset {
  if (!SPLITS.includes(split)) throw new ValidationError('split', split, '"train" or "test"');
  const parsed = parseDatasetSpec(spec);
  let ds: Dataset;
  switch (parsed.kind) {
    case 'mnist':
      ds = loadMnist(split, spec);
      break;
    case 'fashion-mnist':
      ds = loadFashionMnist(split, { spec, ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}) });
      break;
    case 'idx-folder': {
      const dir = resolve(parsed.dir);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new ValidationError('dataset idx folder', parsed.dir, 'an existing folder holding train-/t10k- IDX files');
      }
      const names = IDX_STANDARD_NAMES[split];
      ds = loadIdxPair(findIdx(dir, names.images), findIdx(dir, names.labels), { name: 'idx', spec, split });
      break;
    }
    case 'idx': {
      const pair = split === 'test' && parsed.test ? parsed.test : parsed.train;
      ds = loadIdxPair(resolve(pair.images), resolve(pair.labels), { name: 'idx', spec, split });
      break;
    }
    case 'folder':
      ds = loadImageFolder(resolve(parsed.path), split, spec, options);
      break;
    case 'tiny-imagenet':
      ds = loadTinyImagenet(resolve(parsed.path), split, spec, options);
      break;
    case 'synthetic': {
      const params = parseSyntheticParams(parsed.params);
      if (params.seed === undefined && options.seed !== undefined) params.seed = options.seed;
      ds = makeSynthetic(parsed.synthetic, split, params, spec);
      break;
    }
  }
  if (options.limit !== undefined) {
    ds = options.subsetSeed === undefined ? takeFirst(ds, options.limit) : takeStratified(ds, options.limit, options.subsetSeed);
  }
  return ds;
}

/** The standard IDX name in `dir`, plain or with .gz. */
function findIdx(dir: string, name: string): string {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new ValidationError('dataset idx folder', dir, `a folder containing ${name} (or ${name}.gz)`);
}
