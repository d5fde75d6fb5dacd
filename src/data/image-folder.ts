import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ValidationError, requireInteger } from '../errors.js';
import { validateDataset, type Dataset, type Split } from './dataset.js';
import { IMAGE_EXTENSIONS, readImageFile, rgbaToChannels } from './image-decode.js';
import { resizeBilinear } from './resize.js';

/** Options shared by the image-folder loaders. */
export interface ImageFolderOptions {
  /** Class subset: the first n class folders in sorted order, or explicit folder names. */
  classes?: number | string[];
  /** Output size [height, width] (a single number = square). Default: the first image's size. */
  imageSize?: number | [number, number];
  /** One luma channel instead of RGB. */
  grayscale?: boolean;
  /**
   * For a folder without train/ and test/ (or val/) sub-folders: fraction of each class's images,
   * spread evenly over its sorted file list, that form the test split. Default 0.2.
   */
  testFraction?: number;
  /** Called after each decoded image (for progress bars). */
  onProgress?: (done: number, total: number) => void;
}

/** One image to load and its class index. */
export interface LabelledFile {
  path: string;
  label: number;
}

/** Sorted names of the visible sub-folders of `dir`. */
export function listSubfolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || (e.isSymbolicLink() && statSync(join(dir, e.name)).isDirectory())))
    .map((e) => e.name)
    .sort();
}

/** Sorted paths of the JPEG/PNG files directly in `dir`. */
export function listImageFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && IMAGE_EXTENSIONS.includes(extname(name).toLowerCase()))
    .sort()
    .map((name) => join(dir, name));
}

export function requireDirectory(field: string, path: string, what: string): void {
  if (!existsSync(path)) throw new ValidationError(field, path, `an existing folder (${what})`);
  if (!statSync(path).isDirectory()) throw new ValidationError(field, path, `a folder (${what})`);
}

/** Picks the class subset from the available (sorted) class names. */
export function selectClasses(available: string[], classes: number | string[] | undefined, field: string): string[] {
  if (available.length === 0) throw new ValidationError(field, '0 class folders', 'at least one class sub-folder');
  if (classes === undefined) return available;
  if (typeof classes === 'number') {
    requireInteger(`${field}: classes`, classes, 1, available.length);
    return available.slice(0, classes);
  }
  if (classes.length === 0) throw new ValidationError(`${field}: classes`, classes, 'at least one class name');
  const seen = new Set<string>();
  for (const c of classes) {
    if (!available.includes(c)) {
      const list = available.length > 12 ? `${available.slice(0, 12).join(', ')}, ...` : available.join(', ');
      throw new ValidationError(`${field}: classes`, c, `one of the class folders (${list})`);
    }
    if (seen.has(c)) throw new ValidationError(`${field}: classes`, c, 'each class named once');
    seen.add(c);
  }
  return [...classes];
}

/** Parses the image size option to [height, width]. */
export function parseImageSize(size: number | [number, number]): [number, number] {
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  requireInteger('imageSize height', h, 1, 4096);
  requireInteger('imageSize width', w, 1, 4096);
  return [h, w];
}

/**
 * Decodes the listed files into one uint8 NHWC tensor, resizing each image to `size` when it
 * differs (default: the first image's size) and converting to 3 channels (or 1 with grayscale).
 */
export function decodeLabelledFiles(
  files: LabelledFile[],
  meta: { name: string; spec: string; split: Split; classNames: string[]; classIds?: string[]; source: string },
  options: ImageFolderOptions,
): Dataset {
  const channels = options.grayscale ? 1 : 3;
  let size: [number, number] | null = options.imageSize === undefined ? null : parseImageSize(options.imageSize);
  let images: Uint8Array | null = null;
  const labels = new Int32Array(files.length);
  files.forEach((file, k) => {
    const img = readImageFile(file.path);
    if (!size) size = [img.height, img.width];
    const [h, w] = size;
    if (!images) images = new Uint8Array(files.length * h * w * channels);
    const pixels = rgbaToChannels(img, channels);
    const fitted = img.height === h && img.width === w ? pixels : resizeBilinear(pixels, img.height, img.width, channels, h, w);
    images.set(fitted, k * h * w * channels);
    labels[k] = file.label;
    options.onProgress?.(k + 1, files.length);
  });
  const [height, width] = size ?? [1, 1];
  return validateDataset({
    name: meta.name,
    spec: meta.spec,
    split: meta.split,
    images: images ?? new Uint8Array(0),
    shape: { count: files.length, height, width, channels },
    labels,
    classNames: meta.classNames,
    ...(meta.classIds ? { classIds: meta.classIds } : {}),
    source: meta.source,
  });
}

/**
 * Any folder of class sub-folders of JPEG/PNG images. Two layouts:
 * - `root/train/<class>/*` and `root/test/<class>/*` (or `root/val/<class>/*`): the split folders are used as given;
 * - `root/<class>/*`: each class's sorted file list is split deterministically, image i going to
 *   test when floor((i + 1) * f) > floor(i * f) for the test fraction f (so the test images are spread
 *   evenly through the list and make up round(n * f) of a class of n).
 * Class names are the folder names (sorted; a subset with `classes`).
 */
export function loadImageFolder(root: string, split: Split, spec: string, options: ImageFolderOptions = {}): Dataset {
  requireDirectory('dataset folder', root, 'class sub-folders of JPEG/PNG images');
  const trainDir = join(root, 'train');
  const testDir = [join(root, 'test'), join(root, 'val')].find((d) => existsSync(d) && statSync(d).isDirectory());
  const hasSplitFolders = existsSync(trainDir) && statSync(trainDir).isDirectory();
  let files: LabelledFile[];
  let classNames: string[];
  if (hasSplitFolders) {
    if (!testDir) throw new ValidationError('dataset folder', root, 'a test/ or val/ folder next to train/');
    classNames = selectClasses(listSubfolders(trainDir), options.classes, `dataset folder ${root}/train`);
    const dir = split === 'train' ? trainDir : testDir;
    files = [];
    classNames.forEach((name, label) => {
      const classDir = join(dir, name);
      requireDirectory(`dataset folder ${dir}`, classDir, `a folder for class ${JSON.stringify(name)}`);
      const list = listImageFiles(classDir);
      if (list.length === 0) throw new ValidationError('class folder', classDir, 'at least one JPEG or PNG image');
      for (const path of list) files.push({ path, label });
    });
  } else {
    const f = options.testFraction ?? 0.2;
    if (!(typeof f === 'number' && f > 0 && f < 1)) throw new ValidationError('testFraction', f, 'a number in (0, 1)');
    classNames = selectClasses(listSubfolders(root), options.classes, `dataset folder ${root}`);
    files = [];
    classNames.forEach((name, label) => {
      const classDir = join(root, name);
      const list = listImageFiles(classDir);
      if (list.length === 0) throw new ValidationError('class folder', classDir, 'at least one JPEG or PNG image');
      list.forEach((path, i) => {
        const isTest = Math.floor((i + 1) * f) > Math.floor(i * f);
        if (isTest === (split === 'test')) files.push({ path, label });
      });
    });
    if (files.length === 0) {
      throw new ValidationError('dataset folder', root, `enough images per class for a non-empty ${split} split with testFraction ${f}`);
    }
  }
  return decodeLabelledFiles(files, { name: 'folder', spec, split, classNames, source: root }, options);
}
