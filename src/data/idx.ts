import { existsSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ValidationError } from '../errors.js';
import { writeFileAtomic } from '../report/atomic.js';

/**
 * The IDX file format of MNIST (LeCun et al.): a 4-byte magic `0x00 0x00 <type> <ndims>`, then
 * `ndims` big-endian uint32 dimension sizes, then the values in row-major order, big-endian.
 * Files compressed with gzip (the form in which MNIST and Fashion-MNIST are distributed, `*.gz`)
 * are recognised by their gzip header and decompressed.
 */

/** IDX element type codes. */
export const IDX_TYPES = {
  0x08: 'uint8',
  0x09: 'int8',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
} as const;
export type IdxTypeName = (typeof IDX_TYPES)[keyof typeof IDX_TYPES];
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

const BYTES: Record<IdxTypeName, number> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

export interface IdxArray {
  type: IdxTypeName;
  dims: number[];
  data: IdxData;
}

/**
 * Parses IDX bytes. `what` names the file in error messages. Throws ValidationError on a wrong
 * magic, an unknown type, or a byte length that does not equal header + product(dims) * size
 * (truncated or trailing bytes).
 */
export function parseIdx(bytes: Uint8Array, what: string): IdxArray {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new ValidationError(what, `gzip data (${(err as Error).message})`, 'a readable gzip-compressed IDX file');
    }
  }
  if (bytes.length < 4) {
    throw new ValidationError(what, `${bytes.length} bytes`, 'an IDX file (at least a 4-byte header)');
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ValidationError(`${what}: magic`, magic, 'an IDX header "00 00 <type> <ndims>"');
  }
  const typeCode = bytes[2]!;
  const type = (IDX_TYPES as Record<number, IdxTypeName | undefined>)[typeCode];
  if (!type) {
    throw new ValidationError(`${what}: type code`, `0x${typeCode.toString(16)}`, '0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e');
  }
  const ndims = bytes[3]!;
  if (ndims < 1) throw new ValidationError(`${what}: number of dimensions`, ndims, 'at least 1');
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new ValidationError(what, `${bytes.length} bytes`, `a header of ${headerBytes} bytes for ${ndims} dimensions (file truncated)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < ndims; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    dims.push(size);
    count *= size;
  }
  const size = BYTES[type];
  const expected = headerBytes + count * size;
  if (bytes.length !== expected) {
    throw new ValidationError(
      `${what}: file size`,
      `${bytes.length} bytes`,
      `${expected} bytes for ${type} data of shape [${dims.join(', ')}] (${bytes.length < expected ? 'file truncated' : 'trailing bytes'})`,
    );
  }
  const body = bytes.subarray(headerBytes);
  let data: IdxData;
  switch (type) {
    // Copies into plain typed arrays: `bytes` may be a Node Buffer, whose slice() is a view, not a copy.
    case 'uint8':
      data = new Uint8Array(body);
      break;
    case 'int8':
      data = new Int8Array(new Uint8Array(body).buffer);
      break;
    default: {
      const out =
        type === 'int16' ? new Int16Array(count) : type === 'int32' ? new Int32Array(count) : type === 'float32' ? new Float32Array(count) : new Float64Array(count);
      const bodyView = new DataView(body.buffer, body.byteOffset, body.byteLength);
      for (let i = 0; i < count; i++) {
        const o = i * size;
        out[i] =
          type === 'int16'
            ? bodyView.getInt16(o, false)
            : type === 'int32'
              ? bodyView.getInt32(o, false)
              : type === 'float32'
                ? bodyView.getFloat32(o, false)
                : bodyView.getFloat64(o, false);
      }
      data = out;
    }
  }
  return { type, dims, data };
}

/** Reads an IDX file (optionally gzip-compressed); `field` names the option that gave the path. */
export function readIdx(path: string, field = 'idx file'): IdxArray {
  if (!existsSync(path)) throw new ValidationError(field, path, 'an existing IDX file');
  if (!statSync(path).isFile()) throw new ValidationError(field, path, 'a file (not a directory)');
  return parseIdx(readFileSync(path), `${field} ${JSON.stringify(path)}`);
}

/** Encodes an array as IDX bytes (uncompressed). */
export function encodeIdx(data: IdxData, dims: readonly number[]): Uint8Array {
  const type = idxTypeOf(data);
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new ValidationError('idx dims', dims, `dimensions whose product equals the data length ${data.length}`);
  }
  if (dims.length < 1 || dims.length > 255) throw new ValidationError('idx dims', dims, '1 to 255 dimensions');
  const size = BYTES[type];
  const headerBytes = 4 + 4 * dims.length;
  const out = new Uint8Array(headerBytes + count * size);
  const view = new DataView(out.buffer);
  const code = Number(Object.entries(IDX_TYPES).find(([, name]) => name === type)![0]);
  out[2] = code;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  if (type === 'uint8' || type === 'int8') {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), headerBytes);
  } else {
    for (let i = 0; i < count; i++) {
      const o = headerBytes + i * size;
      const v = data[i]!;
      if (type === 'int16') view.setInt16(o, v, false);
      else if (type === 'int32') view.setInt32(o, v, false);
      else if (type === 'float32') view.setFloat32(o, v, false);
      else view.setFloat64(o, v, false);
    }
  }
  return out;
}

/** Writes an IDX file atomically. */
export function writeIdx(path: string, data: IdxData, dims: readonly number[]): void {
  writeFileAtomic(path, encodeIdx(data, dims));
}

function idxTypeOf(data: IdxData): IdxTypeName {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}
