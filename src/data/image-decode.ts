import { readFileSync } from 'node:fs';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ValidationError } from '../errors.js';

/** A decoded image: 8-bit RGBA, row-major. */
export interface RgbaImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** File extensions read by the image-folder loaders (case-insensitive). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png'];

/**
 * Decodes JPEG (jpeg-js) or PNG (pngjs) bytes, recognised by their signature rather than the
 * file name. Grayscale and palette images come out as RGBA too; 16-bit PNG is scaled to 8 bits.
 * `what` names the file in errors.
 */
export function decodeImage(bytes: Uint8Array, what: string): RgbaImage {
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const isPng = bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if (!isJpeg && !isPng) {
    throw new ValidationError('image file', what, 'a JPEG or PNG image (file signature not recognised)');
  }
  try {
    if (isJpeg) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
      return { width: img.width, height: img.height, rgba: img.data };
    }
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  } catch (err) {
    throw new ValidationError('image file', what, `a decodable ${isJpeg ? 'JPEG' : 'PNG'} image (decoder said: ${(err as Error).message})`);
  }
}

/** Reads and decodes an image file. */
export function readImageFile(path: string): RgbaImage {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new ValidationError('image file', path, 'a readable file');
  }
  return decodeImage(bytes, path);
}

/**
 * RGBA to `channels` = 3 (RGB) or 1 (luma, ITU-R BT.601 weights 0.299/0.587/0.114, as Pillow's "L"),
 * HWC uint8. Alpha is dropped.
 */
export function rgbaToChannels(img: RgbaImage, channels: 1 | 3): Uint8Array {
  const n = img.width * img.height;
  const out = new Uint8Array(n * channels);
  const src = img.rgba;
  if (channels === 3) {
    for (let i = 0; i < n; i++) {
      out[3 * i] = src[4 * i]!;
      out[3 * i + 1] = src[4 * i + 1]!;
      out[3 * i + 2] = src[4 * i + 2]!;
    }
  } else {
    for (let i = 0; i < n; i++) {
      out[i] = Math.round(0.299 * src[4 * i]! + 0.587 * src[4 * i + 1]! + 0.114 * src[4 * i + 2]!);
    }
  }
  return out;
}
