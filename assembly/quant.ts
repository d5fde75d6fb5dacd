// The weight writer: every change to a stored weight goes through here, so bounds, rounding, lost
// updates, weight writes and the per-row count of non-zero weights (nnz) are handled in one place.
//   f32:   w' = min(max(w + dw, 0), wMax); lost when dw != 0 and w + dw == w.
//   fixed: x = dw / delta in levels (x = dw * invDelta), clamped to [-512, 512];
//          k = nearest (half away from zero) | floor(x) + (u < x - floor(x)) (stochastic) | trunc(x);
//          q' = min(max(q + k, 0), qMax); lost when x != 0 and k == 0.
// weightWrites counts cells whose stored value changed. With a device / statistics block attached
// (write-stats.ts) every update with a non-zero request is also recorded there: lost, saturated (rounded
// to a change that the bounds cancelled) or written, its pulses (fixed point: |level change|) and the
// applied change in histogram bins (fixed point: levels).
import { cLostUpdates, cWeightWrites } from './counters';
import { hashAt, uniform24 } from './rng';
import { ROUND_NEAREST, ROUND_STOCHASTIC } from './context';
import { binOf, gDevice, recordApplied, recordLost, unitInv } from './write-stats';

// @ts-ignore: decorator
@inline
function bumpNnz(nnz: usize, was: bool, now: bool): void {
  if (was != now) store<i32>(nnz, load<i32>(nnz) + (now ? 1 : -1));
}

/** Applies dw to the f32 weight at wp (row count of non-zero weights at nnz). */
// @ts-ignore: decorator
@inline
export function writeF32(wp: usize, dw: f32, wMax: f32, nnz: usize): void {
  if (dw == 0) return;
  const w = load<f32>(wp);
  const s = w + dw;
  if (s == w) {
    cLostUpdates++;
    if (gDevice) recordLost();
    return;
  }
  const nw = min<f32>(max<f32>(s, 0), wMax);
  if (nw != w) {
    store<f32>(wp, nw);
    cWeightWrites++;
    bumpNnz(nnz, w != 0, nw != 0);
  }
  if (gDevice) recordApplied(binOf((nw - w) * unitInv()), 0, nw != w);
}

/** Rounds x (levels) to an integer step with the layer's rounding mode. */
// @ts-ignore: decorator
@inline
export function roundLevels(x: f32, rounding: i32, key: u32, index: u32): i32 {
  x = min<f32>(max<f32>(x, -512), 512);
  if (rounding == ROUND_NEAREST) {
    const t = trunc<f32>(x);
    const r = x - t;
    let k = <i32>t;
    if (r >= 0.5) k++;
    else if (r <= -0.5) k--;
    return k;
  }
  if (rounding == ROUND_STOCHASTIC) {
    const f = floor<f32>(x);
    let k = <i32>f;
    if (uniform24(hashAt(key, index)) < x - f) k++;
    return k;
  }
  return <i32>trunc<f32>(x);
}

/** Applies a change of x levels to the fixed-point weight at qp. */
// @ts-ignore: decorator
@inline
export function writeLevels(qp: usize, x: f32, qMax: i32, rounding: i32, key: u32, index: u32, nnz: usize): void {
  if (x == 0) return;
  const k = roundLevels(x, rounding, key, index);
  if (k == 0) {
    cLostUpdates++;
    if (gDevice) recordLost();
    return;
  }
  const q = <i32>load<u8>(qp);
  let nq = q + k;
  nq = nq < 0 ? 0 : nq > qMax ? qMax : nq;
  if (nq != q) {
    store<u8>(qp, <u8>nq);
    cWeightWrites++;
    bumpNnz(nnz, q != 0, nq != 0);
  }
  if (gDevice) recordApplied(nq - q, nq > q ? nq - q : q - nq, nq != q);
}
