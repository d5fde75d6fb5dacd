// Memory layout is owned by the host: it places every buffer itself above heapBase() and grows
// memory as needed (runtime stub, no allocator). Pointers passed to kernels are byte addresses.

/** First free byte after the module's static data, 16-byte aligned. */
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

/** Inverse of padRows, in place: keeps the first `cols` of every `colsPadded`-wide row. */
export function compactRows(buf: usize, rows: i32, cols: i32, colsPadded: i32): void {
  const srcRow = <usize>colsPadded << 2;
  const dstRow = <usize>cols << 2;
  // Row r moves to a lower address than it occupies, so ascending order never overwrites unread data.
  for (let r = 1; r < rows; r++) {
    memory.copy(buf + <usize>r * dstRow, buf + <usize>r * srcRow, dstRow);
  }
}
