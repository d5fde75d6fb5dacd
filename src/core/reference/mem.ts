/**
 * Typed views over one layer's linear memory. The reference twin reads and writes the same byte layout
 * as the WebAssembly kernels (pointers are byte offsets), so the host code is identical for every backend.
 */
export interface Mem {
  buffer: ArrayBuffer;
  u8: Uint8Array;
  u16: Uint16Array;
  i32: Int32Array;
  u32: Uint32Array;
  f32: Float32Array;
  f64: Float64Array;
}

export function viewsOf(buffer: ArrayBuffer): Mem {
  return {
    buffer,
    u8: new Uint8Array(buffer),
    u16: new Uint16Array(buffer, 0, buffer.byteLength >>> 1),
    i32: new Int32Array(buffer, 0, buffer.byteLength >>> 2),
    u32: new Uint32Array(buffer, 0, buffer.byteLength >>> 2),
    f32: new Float32Array(buffer, 0, buffer.byteLength >>> 2),
    f64: new Float64Array(buffer, 0, buffer.byteLength >>> 3),
  };
}
