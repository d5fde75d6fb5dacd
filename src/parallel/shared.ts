/** A copy of `array`'s bytes in shared memory, so every worker reads the same buffer without a copy each. */
export function toShared(array: ArrayBufferView): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(array.byteLength);
  new Uint8Array(sab).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return sab;
}
