// On-chip STDP with exponential traces.
// Traces are kept lazily as (value at the last spike, step of the last spike): the current value is
// x * aN[gap], one multiplication by an entry of a host-built table of a^n (a = exp(-dt/tau)), so silent
// inputs and silent neurons cost nothing. Gaps beyond the table multiply by its last entry repeatedly.
// A spike sets the trace to 1 (reset mode) or adds 1 to the decayed value (additive mode).
// Rules (dw then goes through the weight writer, quant.ts):
//   Diehl & Cook  pre spike:  dw = -(etaPre * xPost)
//                 post spike: dw = (etaPost * (xPre - xTar)) * (wMax - w)^mu
//   pair          pre spike:  dw = -(aMinus * xPost)          multiplicative: -((aMinus * xPost) * w)
//                 post spike: dw = aPlus * xPre               multiplicative: (aPlus * xPre) * (wMax - w)
// (wMax - w)^mu: 1 for mu = 0, wMax - w for mu = 1, otherwise the host-built table of y^mu on [0, 1]
// (y = (wMax - w) / wMax) with linear interpolation, times wMax^mu.
import { writeF32, writeLevels } from './quant';
import { deviceWriteF32, deviceWriterOn } from './device';
import { cLostUpdates, cWeightWrites } from './counters';
import { FORMAT_F32, RULE_DC } from './context';

// @ts-ignore: decorator
@inline
function at4(p: usize, j: i32): usize {
  return p + (<usize>j << 2);
}

/** x decayed over `gap` steps with the table of a^n (len entries, len >= 2). */
// @ts-ignore: decorator
@inline
export function decayBy(x: f32, gap: u32, table: usize, len: i32): f32 {
  if (x == 0) return 0;
  const last = <u32>(len - 1);
  while (gap > last) {
    x = x * load<f32>(table + (<usize>last << 2));
    gap -= last;
    if (x == 0) return 0;
  }
  return x * load<f32>(table + (<usize>gap << 2));
}

/** Presynaptic trace of input i at a spike in global step t. */
export function preTraceSpike(xPre: usize, lastPre: usize, i: i32, t: u32, table: usize, len: i32, reset: bool): void {
  let x: f32 = 1;
  if (!reset) x = decayBy(load<f32>(at4(xPre, i)), t - load<u32>(at4(lastPre, i)), table, len) + 1;
  store<f32>(at4(xPre, i), x);
  store<u32>(at4(lastPre, i), t);
}

/** Postsynaptic trace of neuron j at a spike in global step t; keeps j in the active list. Returns the list length. */
export function postTraceSpike(
  xPost: usize, lastPost: usize, active: usize, activeFlag: usize, count: i32, j: i32, t: u32, table: usize, len: i32,
  reset: bool,
): i32 {
  let x: f32 = 1;
  if (!reset) x = decayBy(load<f32>(at4(xPost, j)), t - load<u32>(at4(lastPost, j)), table, len) + 1;
  store<f32>(at4(xPost, j), x);
  store<u32>(at4(lastPost, j), t);
  if (!load<i32>(at4(activeFlag, j))) {
    store<i32>(at4(activeFlag, j), 1);
    store<i32>(at4(active, count++), j);
  }
  return count;
}

/**
 * Depression factors of step t for the neurons whose post trace is non-zero: dIdx/dVal get (j, rate * xPost(t)).
 * Neurons whose trace has decayed to exactly 0 leave the active list (their stored trace is set to 0).
 * The new list length is stored at countPtr; returns the number of factors.
 */
export function depressionList(
  xPost: usize, lastPost: usize, active: usize, activeFlag: usize, countPtr: usize, t: u32, table: usize, len: i32,
  rate: f32, dIdx: usize, dVal: usize,
): i32 {
  let n = load<i32>(countPtr);
  let k = 0;
  let nd = 0;
  while (k < n) {
    const j = load<i32>(at4(active, k));
    const x = decayBy(load<f32>(at4(xPost, j)), t - load<u32>(at4(lastPost, j)), table, len);
    if (x == 0) {
      store<f32>(at4(xPost, j), 0);
      store<i32>(at4(activeFlag, j), 0);
      n--;
      store<i32>(at4(active, k), load<i32>(at4(active, n)));
      continue;
    }
    const d = rate * x;
    if (d != 0) {
      store<i32>(at4(dIdx, nd), j);
      store<f32>(at4(dVal, nd), d);
      nd++;
    }
    k++;
  }
  store<i32>(countPtr, n);
  return nd;
}

/** Pre-spike depression of row i over the listed neurons. */
export function depressRow(
  w: usize, nnzRow: usize, i: i32, nOut: i32, stride: i32, dIdx: usize, dVal: usize, nd: i32,
  format: i32, multiplicative: bool, wMax: f32, delta: f32, invDelta: f32, qMax: i32, rounding: i32, key: u32,
): void {
  const base = <usize>i * <usize>stride;
  if (format == FORMAT_F32) {
    const row = w + (base << 2);
    const device = deviceWriterOn();
    for (let k = 0; k < nd; k++) {
      const j = load<i32>(at4(dIdx, k));
      const d = load<f32>(at4(dVal, k));
      const wp = at4(row, j);
      const dw: f32 = multiplicative ? -(d * load<f32>(wp)) : -d;
      if (device) deviceWriteF32(wp, dw, wMax, nnzRow, key, <u32>i * <u32>nOut + <u32>j);
      else writeF32(wp, dw, wMax, nnzRow);
    }
  } else {
    const row = w + base;
    const index0 = <u32>i * <u32>nOut;
    for (let k = 0; k < nd; k++) {
      const j = load<i32>(at4(dIdx, k));
      const d = load<f32>(at4(dVal, k));
      const qp = row + <usize>j;
      const dw: f32 = multiplicative ? -(d * (<f32>load<u8>(qp) * delta)) : -d;
      writeLevels(qp, dw * invDelta, qMax, rounding, key, index0 + <u32>j, nnzRow);
    }
  }
}

/** Scatters the depression factors into a full vector (zeros elsewhere) for depressRowDenseF32. */
export function depressionVector(dVec: usize, stride: i32, dIdx: usize, dVal: usize, nd: i32): void {
  memory.fill(dVec, 0, <usize>stride << 2);
  for (let k = 0; k < nd; k++) store<f32>(at4(dVec, load<i32>(at4(dIdx, k))), load<f32>(at4(dVal, k)));
}

/**
 * Pre-spike depression of an f32 row over every neuron at once (SIMD build, many listed neurons): lanes
 * with a zero factor are left unchanged, so the result equals depressRow over the listed neurons.
 */
export function depressRowDenseF32(row: usize, nnzRow: usize, stride: i32, dVec: usize, multiplicative: bool, wMax: f32): void {
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    const wMaxV = f32x4.splat(wMax);
    let writes = i32x4.splat(0);
    let lost = i32x4.splat(0);
    let nzDelta = i32x4.splat(0);
    const bytes = <usize>stride << 2;
    for (let o: usize = 0; o < bytes; o += 16) {
      const w = v128.load(row + o);
      const d = v128.load(dVec + o);
      const x = multiplicative ? f32x4.mul(d, w) : d;
      const s = f32x4.sub(w, x);
      const nw = f32x4.min(f32x4.max(s, zero), wMaxV);
      v128.store(row + o, nw);
      writes = i32x4.sub(writes, f32x4.ne(nw, w));
      lost = i32x4.sub(lost, v128.and(f32x4.ne(x, zero), f32x4.eq(s, w)));
      nzDelta = i32x4.add(i32x4.sub(nzDelta, f32x4.ne(nw, zero)), f32x4.ne(w, zero));
    }
    cWeightWrites += <i64>(i32x4.extract_lane(writes, 0) + i32x4.extract_lane(writes, 1) + i32x4.extract_lane(writes, 2) + i32x4.extract_lane(writes, 3));
    cLostUpdates += <i64>(i32x4.extract_lane(lost, 0) + i32x4.extract_lane(lost, 1) + i32x4.extract_lane(lost, 2) + i32x4.extract_lane(lost, 3));
    store<i32>(nnzRow, load<i32>(nnzRow) + i32x4.extract_lane(nzDelta, 0) + i32x4.extract_lane(nzDelta, 1) + i32x4.extract_lane(nzDelta, 2) + i32x4.extract_lane(nzDelta, 3));
  }
}

/** Current presynaptic traces of every input at global step t (for the post-spike updates of this step). */
export function preTracesNow(xPre: usize, lastPre: usize, xNow: usize, nIn: i32, t: u32, table: usize, len: i32): void {
  for (let i = 0; i < nIn; i++) {
    store<f32>(at4(xNow, i), decayBy(load<f32>(at4(xPre, i)), t - load<u32>(at4(lastPre, i)), table, len));
  }
}

/** (wMax - w)^mu for mu not in {0, 1}: table of y^mu on [0, 1] with linear interpolation, times wMax^mu. */
// @ts-ignore: decorator
@inline
export function weightPower(wv: f32, wMax: f32, invWMax: f32, muTable: usize, muN: i32, muScale: f32): f32 {
  const pos = ((wMax - wv) * invWMax) * <f32>muN;
  let k = <i32>pos;
  if (k >= muN) k = muN - 1;
  if (k < 0) k = 0;
  const frac = pos - <f32>k;
  const t0 = load<f32>(at4(muTable, k));
  const t1 = load<f32>(at4(muTable, k + 1));
  return (t0 + (t1 - t0) * frac) * muScale;
}

/** Post-spike potentiation of column j over every input. */
export function potentiateColumn(
  w: usize, nnz: usize, j: i32, nIn: i32, nOut: i32, stride: i32, xNow: usize,
  rule: i32, multiplicative: bool, rate: f32, xTar: f32, muMode: i32, muTable: usize, muN: i32, muScale: f32,
  format: i32, wMax: f32, invWMax: f32, delta: f32, invDelta: f32, qMax: i32, rounding: i32, key: u32,
): void {
  const isF32 = format == FORMAT_F32;
  const device = isF32 && deviceWriterOn();
  for (let i = 0; i < nIn; i++) {
    const x = load<f32>(at4(xNow, i));
    if (rule != RULE_DC && x == 0) continue;
    const cell = <usize>i * <usize>stride + <usize>j;
    const wp = isF32 ? w + (cell << 2) : w + cell;
    const wv: f32 = isF32 ? load<f32>(wp) : <f32>load<u8>(wp) * delta;
    let dw: f32;
    if (rule == RULE_DC) {
      dw = rate * (x - xTar);
      if (muMode == 1) dw = dw * (wMax - wv);
      else if (muMode == 2) dw = dw * weightPower(wv, wMax, invWMax, muTable, muN, muScale);
    } else {
      dw = rate * x;
      if (multiplicative) dw = dw * (wMax - wv);
    }
    const nnzRow = at4(nnz, i);
    if (device) deviceWriteF32(wp, dw, wMax, nnzRow, key, <u32>i * <u32>nOut + <u32>j);
    else if (isF32) writeF32(wp, dw, wMax, nnzRow);
    else writeLevels(wp, dw * invDelta, qMax, rounding, key, <u32>i * <u32>nOut + <u32>j, nnzRow);
  }
}
