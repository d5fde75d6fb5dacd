// Per-neuron normalisation of incoming weights (Diehl & Cook). Column j is scaled by
// f_j = min(columnSum / s_j, F32_MAX), where s_j is the column sum in ascending input order (columns
// summing to 0 are left alone). Only the columns listed as dirty are scaled: after a learning sample these
// are the columns that received an STDP update since the last normalisation (every other column already
// has the target sum up to f32 rounding); an explicit normalisation marks every column dirty first.
//   f32:   w' = min(w * f, wMax).
//   fixed: sum of levels (exact), s = f32(sum) * delta; the change x = q * f - q levels goes through the
//          weight writer (rounding mode, saturation, lost updates).
// Two strategies give identical results: one column at a time (few dirty columns), or, for f32 with many
// dirty columns, row-wise SIMD passes where clean columns get f = 1 (w * 1 == w: no change, no write).
// With a device / statistics block attached, every scaled cell with a non-zero change is recorded there.
import { cWeightWrites } from './counters';
import { writeLevels } from './quant';
import { binOf, gDevice, recordApplied, unitInv } from './write-stats';

const F32_MAX: f32 = 3.4028234663852886e38;

// @ts-ignore: decorator
@inline
function at4(p: usize, j: i32): usize {
  return p + (<usize>j << 2);
}

// @ts-ignore: decorator
@inline
function scaleFactor(s: f32, columnSum: f32): f32 {
  return s > 0 ? min<f32>(columnSum / s, F32_MAX) : 1;
}

/** Marks column j as changed since the last normalisation; returns the new list length. */
// @ts-ignore: decorator
@inline
export function markDirty(flag: usize, list: usize, count: i32, j: i32): i32 {
  if (!load<i32>(at4(flag, j))) {
    store<i32>(at4(flag, j), 1);
    store<i32>(at4(list, count++), j);
  }
  return count;
}

/** f32: normalises one column. */
export function normaliseColumnF32(w: usize, nnz: usize, j: i32, nIn: i32, stride: i32, columnSum: f32, wMax: f32): void {
  const rowBytes = <usize>stride << 2;
  const col = w + (<usize>j << 2);
  let s: f32 = 0;
  for (let i = 0; i < nIn; i++) s += load<f32>(col + <usize>i * rowBytes);
  const fj = scaleFactor(s, columnSum);
  let writes: i64 = 0;
  for (let i = 0; i < nIn; i++) {
    const p = col + <usize>i * rowBytes;
    const old = load<f32>(p);
    const scaled = old * fj;
    const nw = min<f32>(scaled, wMax);
    if (nw != old) {
      store<f32>(p, nw);
      writes++;
      if (nw == 0) store<i32>(at4(nnz, i), load<i32>(at4(nnz, i)) - 1);
    }
    if (gDevice && scaled != old) recordApplied(binOf((nw - old) * unitInv()), 0, nw != old);
  }
  cWeightWrites += writes;
}

/** f32, many dirty columns: column sums and scaling as row-wise passes (clean columns get f = 1). */
export function normaliseRowsF32(
  w: usize, nnz: usize, colSum: usize, flag: usize, nIn: i32, nOut: i32, stride: i32, columnSum: f32, wMax: f32,
): void {
  const rowBytes = <usize>stride << 2;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    // Column sums, 16 columns at a time in registers, ascending input order per lane.
    for (let o: usize = 0; o < rowBytes; o += 64) {
      let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
      let p = w + o;
      for (let i = 0; i < nIn; i++) {
        s0 = f32x4.add(s0, v128.load(p));
        s1 = f32x4.add(s1, v128.load(p, 16));
        s2 = f32x4.add(s2, v128.load(p, 32));
        s3 = f32x4.add(s3, v128.load(p, 48));
        p += rowBytes;
      }
      v128.store(colSum + o, s0);
      v128.store(colSum + o, s1, 16);
      v128.store(colSum + o, s2, 32);
      v128.store(colSum + o, s3, 48);
    }
    const one = f32x4.splat(1);
    const target = f32x4.splat(columnSum);
    const big = f32x4.splat(F32_MAX);
    const izero = i32x4.splat(0);
    for (let o: usize = 0; o < rowBytes; o += 16) {
      const s = v128.load(colSum + o);
      const fj = v128.bitselect(f32x4.min(f32x4.div(target, s), big), one, f32x4.gt(s, zero));
      const dirty = i32x4.ne(v128.load(flag + o), izero);
      v128.store(colSum + o, v128.bitselect(fj, one, dirty));
    }
    const wMaxV = f32x4.splat(wMax);
    let writes = i32x4.splat(0);
    for (let i = 0; i < nIn; i++) {
      const row = w + <usize>i * rowBytes;
      let nz = i32x4.splat(0);
      for (let o: usize = 0; o < rowBytes; o += 16) {
        const old = v128.load(row + o);
        const nw = f32x4.min(f32x4.mul(old, v128.load(colSum + o)), wMaxV);
        v128.store(row + o, nw);
        writes = i32x4.sub(writes, f32x4.ne(nw, old));
        nz = i32x4.sub(nz, f32x4.ne(nw, zero));
      }
      store<i32>(at4(nnz, i), i32x4.extract_lane(nz, 0) + i32x4.extract_lane(nz, 1) + i32x4.extract_lane(nz, 2) + i32x4.extract_lane(nz, 3));
    }
    cWeightWrites += <i64>(i32x4.extract_lane(writes, 0) + i32x4.extract_lane(writes, 1) + i32x4.extract_lane(writes, 2) + i32x4.extract_lane(writes, 3));
  } else {
    for (let j = 0; j < nOut; j++) {
      if (load<i32>(at4(flag, j))) normaliseColumnF32(w, nnz, j, nIn, stride, columnSum, wMax);
    }
  }
}

/** Fixed point: normalises one column. */
export function normaliseColumnLevels(
  w: usize, nnz: usize, j: i32, nIn: i32, nOut: i32, stride: i32, columnSum: f32, delta: f32,
  qMax: i32, rounding: i32, key: u32,
): void {
  let sum = 0;
  for (let i = 0; i < nIn; i++) sum += <i32>load<u8>(w + <usize>i * <usize>stride + <usize>j);
  const fj = scaleFactor(<f32>sum * delta, columnSum);
  for (let i = 0; i < nIn; i++) {
    const qp = w + <usize>i * <usize>stride + <usize>j;
    const q = <f32>load<u8>(qp);
    writeLevels(qp, q * fj - q, qMax, rounding, key, <u32>i * <u32>nOut + <u32>j, at4(nnz, i));
  }
}
