import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ValidationError } from '../errors.js';
import type { Dataset, Split } from './dataset.js';
import {
  decodeLabelledFiles,
  listImageFiles,
  listSubfolders,
  requireDirectory,
  selectClasses,
  type ImageFolderOptions,
  type LabelledFile,
} from './image-folder.js';

/** Default class subset size (the first classes in sorted WordNet-id order), as in the Deep-STDP paper's 10-class subset. */
export const TINY_IMAGENET_DEFAULT_CLASSES = 10;
/** Native image size of Tiny ImageNet. */
export const TINY_IMAGENET_SIZE = 64;

/**
 * Tiny ImageNet (Stanford CS231n) as downloaded and unpacked by the user:
 *   train/<wnid>/images/*.JPEG          500 images per class
 *   val/images/*.JPEG + val/val_annotations.txt   (file \t wnid \t bbox...), 50 per class
 *   words.txt (optional)                 wnid \t comma-separated names
 * The official test/ folder has no labels, so the `test` split is the labelled val/ set. A val/
 * folder reorganised into val/<wnid>/images/*.JPEG (or val/<wnid>/*.JPEG) is accepted too.
 * Classes: the first 10 train/ sub-folders in sorted order (all of them if fewer) unless `classes` says otherwise; class
 * names are the first name in words.txt (the wnid when words.txt is absent); `classIds` are the wnids.
 * Images are 64x64 RGB unless `imageSize` / `grayscale` ask for something else.
 */
export function loadTinyImagenet(root: string, split: Split, spec: string, options: ImageFolderOptions = {}): Dataset {
  requireDirectory('tiny-imagenet folder', root, 'train/<wnid>/images and val/ as unpacked from tiny-imagenet-200.zip');
  const trainDir = join(root, 'train');
  requireDirectory('tiny-imagenet folder', trainDir, 'a train/ folder with one sub-folder per WordNet id');
  const available = listSubfolders(trainDir);
  const wnids = selectClasses(available, options.classes ?? Math.min(TINY_IMAGENET_DEFAULT_CLASSES, available.length), `tiny-imagenet ${trainDir}`);
  const labelOf = new Map(wnids.map((w, i) => [w, i]));
  const files: LabelledFile[] = [];
  if (split === 'train') {
    wnids.forEach((wnid, label) => {
      const imagesDir = existsSync(join(trainDir, wnid, 'images')) ? join(trainDir, wnid, 'images') : join(trainDir, wnid);
      const list = listImageFiles(imagesDir);
      if (list.length === 0) throw new ValidationError('class folder', imagesDir, 'at least one JPEG image');
      for (const path of list) files.push({ path, label });
    });
  } else {
    const valDir = join(root, 'val');
    requireDirectory('tiny-imagenet folder', valDir, 'a val/ folder with images/ and val_annotations.txt');
    const annotations = join(valDir, 'val_annotations.txt');
    if (existsSync(annotations)) {
      const lines = readFileSync(annotations, 'utf8').split(/\r?\n/);
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        const [file, wnid] = line.split('\t');
        if (!file || !wnid) {
          throw new ValidationError(`${annotations} line ${i + 1}`, line, 'file name <TAB> wnid <TAB> ...');
        }
        const label = labelOf.get(wnid);
        if (label === undefined) return;
        const path = join(valDir, 'images', basename(file));
        if (!existsSync(path)) throw new ValidationError(`${annotations} line ${i + 1}`, path, 'an existing image in val/images');
        files.push({ path, label });
      });
    } else {
      wnids.forEach((wnid, label) => {
        const classDir = join(valDir, wnid);
        if (!existsSync(classDir)) {
          throw new ValidationError('tiny-imagenet val folder', valDir, `val_annotations.txt, or a sub-folder per class (missing ${wnid})`);
        }
        const imagesDir = existsSync(join(classDir, 'images')) ? join(classDir, 'images') : classDir;
        const list = listImageFiles(imagesDir);
        if (list.length === 0) throw new ValidationError('class folder', imagesDir, 'at least one JPEG image');
        for (const path of list) files.push({ path, label });
      });
    }
    const perClass = new Array<number>(wnids.length).fill(0);
    for (const f of files) perClass[f.label]! += 1;
    const missing = perClass.findIndex((n) => n === 0);
    if (missing >= 0) throw new ValidationError('tiny-imagenet val set', wnids[missing], 'a class with at least one validation image');
  }
  const names = readWords(join(root, 'words.txt'));
  const classNames = wnids.map((w) => names.get(w) ?? w);
  return decodeLabelledFiles(
    files,
    { name: 'tiny-imagenet', spec, split, classNames, classIds: wnids, source: root },
    { ...options, imageSize: options.imageSize ?? TINY_IMAGENET_SIZE },
  );
}

/** words.txt: wnid -> first listed name ("goldfish, Carassius auratus" -> "goldfish"). */
function readWords(path: string): Map<string, string> {
  const map = new Map<string, string>();
  if (!existsSync(path) || !statSync(path).isFile()) return map;
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const first = line.slice(tab + 1).split(',')[0]!.trim();
    if (first) map.set(line.slice(0, tab).trim(), first);
  }
  return map;
}
