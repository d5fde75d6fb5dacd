import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, parseIdx, readIdx, writeIdx } from '../../src/data/idx.js';
import { loadIdxPair } from '../../src/data/idx-dataset.js';
import { loadDataset } from '../../src/data/load.js';
import { throwsValidation } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'deep-stdp-idx-'));
const opts = { name: 'idx', spec: 'idx:test', split: 'train' as const };

/** A hand-built IDX file: 3 images of 2x2, uint8. */
function handBuiltImages(): Uint8Array {
  return new Uint8Array([0, 0, 0x08, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255]);
}

test('parses a hand-built uint8 IDX file (header, big-endian dims, row-major data)', () => {
  const a = parseIdx(handBuiltImages(), 'hand-built');
  assert.is(a.type, 'uint8');
  assert.equal(a.dims, [3, 2, 2]);
  assert.equal([...a.data], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255]);
});

test('multi-byte types are big-endian and round-trip through encodeIdx', () => {
  const bytes = new Uint8Array([0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe]);
  const a = parseIdx(bytes, 'int16');
  assert.equal([...a.data], [0x0102, -2]);
  for (const data of [new Int32Array([1, -70000, 3]), new Float32Array([0.5, -1.25, 3]), new Float64Array([Math.PI]), new Int8Array([-3, 4])]) {
    const back = parseIdx(encodeIdx(data, [data.length]), 'round trip');
    assert.equal([...back.data], [...data]);
    assert.is(back.data.constructor, data.constructor);
  }
});

test('gzip-compressed IDX files are read transparently', () => {
  const path = join(dir, 'images.gz');
  writeFileSync(path, gzipSync(handBuiltImages()));
  assert.equal(readIdx(path).dims, [3, 2, 2]);
});

test('corrupt files: wrong magic, unknown type, truncated header, truncated data, trailing bytes', () => {
  const good = handBuiltImages();
  const wrongMagic = good.slice();
  wrongMagic[0] = 0x12;
  throwsValidation(() => parseIdx(wrongMagic, 'f'), /f: magic: got "12 00 08 03"/);
  const wrongType = good.slice();
  wrongType[2] = 0x07;
  throwsValidation(() => parseIdx(wrongType, 'f'), /type code/);
  throwsValidation(() => parseIdx(good.subarray(0, 10), 'f'), /header of 16 bytes.*truncated/);
  throwsValidation(() => parseIdx(good.subarray(0, good.length - 1), 'f'), /file size: got "27 bytes"; allowed: 28 bytes .*file truncated/);
  const longer = new Uint8Array(good.length + 3);
  longer.set(good);
  throwsValidation(() => parseIdx(longer, 'f'), /trailing bytes/);
  throwsValidation(() => parseIdx(new Uint8Array([0, 0]), 'f'), /4-byte header/);
  throwsValidation(() => parseIdx(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), 'f'), /gzip/);
});

test('a missing path names the path', () => {
  throwsValidation(() => readIdx(join(dir, 'nope'), 'mnist images'), /mnist images: got ".*nope"; allowed: an existing IDX file/);
  throwsValidation(() => readIdx(dir, 'x'), /a file \(not a directory\)/);
});

test('an image/label pair becomes a dataset; count mismatch and bad shapes are rejected', () => {
  const imgs = join(dir, 'imgs');
  const lbls = join(dir, 'lbls');
  const img = new Uint8Array(4 * 3 * 2);
  for (let i = 0; i < img.length; i++) img[i] = i;
  writeIdx(imgs, img, [4, 3, 2]);
  writeIdx(lbls, new Uint8Array([0, 2, 1, 2]), [4]);
  const ds = loadIdxPair(imgs, lbls, opts);
  assert.equal(ds.shape, { count: 4, height: 3, width: 2, channels: 1 });
  assert.equal(ds.classNames, ['0', '1', '2']);
  assert.equal([...ds.labels], [0, 2, 1, 2]);
  assert.is(ds.images[6], 6);

  writeIdx(lbls, new Uint8Array([0, 1, 1]), [3]);
  throwsValidation(() => loadIdxPair(imgs, lbls, opts), /labels: count: got 3; allowed: the image count 4/);
  writeIdx(lbls, new Uint8Array([0, 1, 1, 0]), [2, 2]);
  throwsValidation(() => loadIdxPair(imgs, lbls, opts), /labels: dimensions/);
  writeIdx(lbls, new Float32Array([0, 1, 1, 0]), [4]);
  throwsValidation(() => loadIdxPair(imgs, lbls, opts), /element type/);
  writeIdx(lbls, new Int16Array([0, -1, 1, 0]), [4]);
  throwsValidation(() => loadIdxPair(imgs, lbls, opts), /labels\[1\]: got -1/);
  writeIdx(imgs, img, [24]);
  writeIdx(lbls, new Uint8Array([0, 1, 1, 0]), [4]);
  throwsValidation(() => loadIdxPair(imgs, lbls, opts), /images: dimensions/);
  writeIdx(imgs, new Float32Array([0, 0.5, 2, 1]), [1, 2, 2]);
  writeIdx(lbls, new Uint8Array([0]), [1]);
  throwsValidation(() => loadIdxPair(imgs, lbls, opts), /\[0, 1\]/);
});

test('4-d IDX images carry channels; float images in [0, 1] stay f32', () => {
  const imgs = join(dir, 'rgb');
  const lbls = join(dir, 'rgb-labels');
  writeIdx(imgs, new Uint8Array(2 * 2 * 2 * 3).fill(7), [2, 2, 2, 3]);
  writeIdx(lbls, new Uint8Array([1, 0]), [2]);
  assert.equal(loadIdxPair(imgs, lbls, opts).shape, { count: 2, height: 2, width: 2, channels: 3 });
  writeIdx(imgs, new Float32Array([0, 0.25, 0.5, 1]), [1, 2, 2]);
  writeIdx(lbls, new Uint8Array([0]), [1]);
  assert.instance(loadIdxPair(imgs, lbls, opts).images, Float32Array);
});

test('idx: specs (folder with standard names, one pair, train and test pairs)', () => {
  const folder = join(dir, 'std');
  writeIdx(join(folder, 'train-images-idx3-ubyte'), new Uint8Array(3 * 4), [3, 2, 2]);
  writeIdx(join(folder, 'train-labels-idx1-ubyte'), new Uint8Array([0, 1, 0]), [3]);
  writeFileSync(join(folder, 't10k-images-idx3-ubyte.gz'), gzipSync(encodeIdx(new Uint8Array(2 * 4), [2, 2, 2])));
  writeIdx(join(folder, 't10k-labels-idx1-ubyte'), new Uint8Array([1, 1]), [2]);
  assert.is(loadDataset(`idx:${folder}`, 'train').shape.count, 3);
  assert.is(loadDataset(`idx:${folder}`, 'test').shape.count, 2);
  const tr = [join(folder, 'train-images-idx3-ubyte'), join(folder, 'train-labels-idx1-ubyte')];
  const te = [join(folder, 't10k-images-idx3-ubyte.gz'), join(folder, 't10k-labels-idx1-ubyte')];
  assert.is(loadDataset(`idx:${tr.join(',')}`, 'test').shape.count, 3);
  assert.is(loadDataset(`idx:${[...tr, ...te].join(',')}`, 'test').shape.count, 2);
  throwsValidation(() => loadDataset(`idx:${join(dir, 'missing-folder')}`, 'train'), /existing folder/);
  throwsValidation(() => loadDataset(`idx:${dir}`, 'train'), /train-images-idx3-ubyte/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
