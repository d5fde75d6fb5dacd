// Per-sample commit of a fixed-point store (weights.commit 'per-sample'). Such a store learns on f32
// working weights (the f32 path, unchanged) and keeps its levels in a separate u8 array; after each
// learning sample (after the normalisation) every cell of every changed column rounds its accumulated
// change to levels once, instead of rounding every single update:
//   g(q) = min(f32(q * delta), wMax)      grid value of level q: the working weight between samples
//   x    = (w - g(q)) * invDelta          requested change in levels; exactly 0 when the cell did not move
//   k    = roundLevels(x)                 the store's rounding (stochastic: stream ROUND_COMMIT, index i*nOut+j)
//   q'   = clamp(q + k, 0, qMax);  w = g(q')
// Counters and write statistics see committed cells only (the f32 working writes are not counted):
// weightWrites when the level changed, lostUpdates when x != 0 rounded to k = 0; the statistics block
// records every cell with x != 0 once, in the current (STDP) section.
import { cLostUpdates, cWeightWrites } from './counters';
import { roundLevels } from './quant';
import { gDevice, recordApplied, recordLost } from './write-stats';

/** Grid value of level q (f32). */
// @ts-ignore: decorator
@inline
export function gridValue(q: i32, delta: f32, wMax: f32): f32 {
  return min<f32>(<f32>q * delta, wMax);
}

/** Commits column j: f32 working weights at w, levels at levels (same padded stride), row nnz counts at nnz. */
export function commitColumn(
  w: usize, levels: usize, nnz: usize, j: i32, nIn: i32, nOut: i32, stride: i32, delta: f32, invDelta: f32, wMax: f32,
  qMax: i32, rounding: i32, key: u32,
): void {
  for (let i = 0; i < nIn; i++) {
    const cell = <usize>i * <usize>stride + <usize>j;
    const wp = w + (cell << 2);
    const qp = levels + cell;
    const q = <i32>load<u8>(qp);
    const grid = gridValue(q, delta, wMax);
    const wv = load<f32>(wp);
    if (wv == grid) continue;
    const x = (wv - grid) * invDelta;
    let nq = q;
    if (x != 0) {
      const k = roundLevels(x, rounding, key, <u32>i * <u32>nOut + <u32>j);
      if (k == 0) {
        cLostUpdates++;
        if (gDevice) recordLost();
      } else {
        nq = q + k;
        nq = nq < 0 ? 0 : nq > qMax ? qMax : nq;
        if (nq != q) {
          store<u8>(qp, <u8>nq);
          cWeightWrites++;
        }
        if (gDevice) recordApplied(nq - q, nq > q ? nq - q : q - nq, nq != q);
      }
    }
    const nw = gridValue(nq, delta, wMax);
    store<f32>(wp, nw);
    if ((wv != 0) != (nw != 0)) {
      const np = nnz + (<usize>i << 2);
      store<i32>(np, load<i32>(np) + (nw != 0 ? 1 : -1));
    }
  }
}
