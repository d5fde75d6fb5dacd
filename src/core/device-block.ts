/**
 * Validation of device / write-statistics blocks (layout: assembly/device-layout.ts) before a layer
 * copies one into its memory: the kernels trust the block's offsets, so they must lie inside it.
 */
import * as D from '../../assembly/device-layout.js';
import { ValidationError } from '../errors.js';
import type { ResolvedConfig } from './config.js';

/** Throws ValidationError unless `block` is a well-formed device / statistics block for layer `c`. */
export function checkDeviceBlock(block: unknown, c: ResolvedConfig): void {
  if (!(block instanceof Uint8Array) || block.length < D.DEV_HEADER_BYTES) {
    throw new ValidationError('device block', block, `a Uint8Array of at least ${D.DEV_HEADER_BYTES} bytes (assembly/device-layout.ts)`);
  }
  const dv = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const i32 = (off: number): number => dv.getInt32(off, true);
  const u32 = (off: number): number => dv.getUint32(off, true);
  const mode = i32(D.DEV_MODE);
  if (mode !== D.MODE_STATS && mode !== D.MODE_DEVICE) throw new ValidationError('device block mode', mode, `${D.MODE_STATS} or ${D.MODE_DEVICE}`);
  if (mode === D.MODE_DEVICE && c.weights.format !== 'f32') {
    throw new ValidationError('weights.format', c.weights.format, "'f32' (a device block programs f32 weights; fixed-point layers take statistics blocks)");
  }
  const half = i32(D.DEV_HIST_HALF);
  if (!(half >= 0 && half <= 1 << 16)) throw new ValidationError('device block histogram half', half, 'an integer in [0, 65536]');
  const statsEnd = u32(D.DEV_O_STATS) + D.PHASES * (D.ST_FIXED_SLOTS + 2 * half + 3) * 8;
  if (statsEnd > block.length || u32(D.DEV_O_STATS) % 8 !== 0) {
    throw new ValidationError('device block statistics', u32(D.DEV_O_STATS), `an 8-aligned offset whose section ends within ${block.length} bytes`);
  }
  if (mode !== D.MODE_DEVICE) return;
  const k = i32(D.DEV_INTERVALS);
  const classes = i32(D.DEV_CLASSES);
  if (!(k >= 1) || !(classes >= 1 && classes <= 256)) throw new ValidationError('device block tables', `${k} intervals, ${classes} classes`, '>= 1 interval and 1..256 classes');
  const within = (name: string, off: number, bytes: number): void => {
    if (off + bytes > block.length) throw new ValidationError(`device block ${name}`, off, `an offset whose ${bytes} bytes end within ${block.length} bytes`);
  };
  within('tables', u32(D.DEV_O_TABLES), classes * 4 * (k + 1) * 4);
  if (i32(D.DEV_C2C) !== 0) within('gaussian table', u32(D.DEV_O_GAUSS), D.GAUSS_TABLE_SIZE * 4);
  within('sqrt table', u32(D.DEV_O_SQRT), (D.MAX_PULSES + 1) * 4);
  if (classes > 1) {
    within('LTP classes', u32(D.DEV_O_LTP_CLASS), c.nIn * c.nOut);
    within('LTD classes', u32(D.DEV_O_LTD_CLASS), c.nIn * c.nOut);
  }
}

