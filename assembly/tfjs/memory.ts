// The module imports its memory and has no data segments or start function: it writes only where
// the host points it. The host either shares TensorFlow.js's wasm heap (tensors are read and
// written in place) or gives the module a memory of its own and copies tensors in and out; see
// src/convnet/wasm-kernels.ts. Pointers passed to kernels are byte addresses.

/** First byte the host may use when the module has a memory of its own. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/**
 * Spreads `rows` rows of `cols` floats (packed) into rows of `colsPadded` floats, zero-filling the
 * extra columns. `dst` must not overlap `src`.
 */
export function padRows(src: usize, dst: usize, rows: i32, cols: i32, colsPadded: i32): void {
  const srcRow = <usize>cols << 2;
  const dstRow = <usize>colsPadded << 2;
  const extra = dstRow - srcRow;
  for (let r = 0; r < rows; r++) {
    const d = dst + <usize>r * dstRow;
    memory.copy(d, src + <usize>r * srcRow, srcRow);
    memory.fill(d + srcRow, 0, extra);
  }
}

/** Inverse of padRows: keeps the first `cols` of every `colsPadded`-wide row of src, packed into dst. */
export function unpadRows(src: usize, dst: usize, rows: i32, cols: i32, colsPadded: i32): void {
  const srcRow = <usize>colsPadded << 2;
  const dstRow = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    memory.copy(dst + <usize>r * dstRow, src + <usize>r * srcRow, dstRow);
  }
}
