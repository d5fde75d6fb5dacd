// Analog synaptic device writer (NeuroSim's "real device" update) for f32 weights. The stored f32 weight
// w in [0, wMax] is the device's normalised conductance u = w / wMax = (G - Gmin) / (Gmax - Gmin).
// A requested change dw becomes programming pulses and moves the device along its update curve:
//   n  = round(dw * Pmax / wMax)      with the layer's rounding (nearest | stochastic | truncate) and
//                                     the same RNG key as the fixed-point writer; n == 0 is a lost update
//   p  = curve^-1(u)                  pulse position in [0, 1] on the LTP curve (n > 0) or LTD curve (n < 0)
//   p' = p + n / Pmax
//   u' = curve(p')                    (1 for p' >= 1, 0 for p' <= 0)
//   u' += z * sigma * sqrt(|n|)       cycle-to-cycle noise (if on), z standard normal from the counter RNG
//   w' = clamp(u', 0, 1) * wMax
// curve(p) = (1 - exp(-p/a)) / (1 - exp(-1/a)) is NeuroSim's G(P) = B (1 - exp(-P/A)) + Gmin normalised
// (p = P / Pmax, a = A / Pmax, a < 0 for a negative non-linearity). No kernel evaluates exp or log: the
// host tabulates curve and curve^-1 on K intervals (f64, rounded to f32) and the kernel interpolates
// linearly, so every backend computes the same bits. Device-to-device variation gives every synapse
// its own LTP and LTD class (a set of curve tables). Statistics go to assembly/write-stats.ts.
import * as D from './device-layout';
import { roundLevels } from './quant';
import { hashAt, lowbias32 } from './rng';
import { cLostUpdates, cWeightWrites } from './counters';
import { binOf, gDevice, recordApplied, recordLost, unitInv } from './write-stats';

const F32_MAX: f32 = 3.4028234663852886e38;

/** True when the current call's block asks for the device writer. */
// @ts-ignore: decorator
@inline
export function deviceWriterOn(): bool {
  return gDevice != 0 && load<i32>(gDevice + D.DEV_MODE) == D.MODE_DEVICE;
}

/** Linear interpolation in a table of K + 1 values on [0, 1]; x in [0, 1]. */
// @ts-ignore: decorator
@inline
function interpolate(table: usize, x: f32, kf: f32, k: i32): f32 {
  const pos = x * kf;
  let i = <i32>pos;
  if (i >= k) i = k - 1;
  const frac = pos - <f32>i;
  const a = load<f32>(table + (<usize>i << 2));
  const b = load<f32>(table + (<usize>(i + 1) << 2));
  return a + (b - a) * frac;
}

/** Programs the device at wp with the requested change dw (synapse `index`, rounding key `key`). */
export function deviceWriteF32(wp: usize, dw: f32, wMax: f32, nnz: usize, key: u32, index: u32): void {
  if (dw == 0) return;
  const dev = gDevice;
  const n = roundLevels(dw * load<f32>(dev + D.DEV_INV_STEP), load<i32>(dev + D.DEV_ROUNDING), key, index);
  if (n == 0) {
    cLostUpdates++;
    recordLost();
    return;
  }
  const w = load<f32>(wp);
  const k = load<i32>(dev + D.DEV_INTERVALS);
  const kf = load<f32>(dev + D.DEV_K_F32);
  let cls = 0;
  if (load<i32>(dev + D.DEV_CLASSES) > 1) {
    const classes = dev + <usize>load<u32>(dev + (n > 0 ? D.DEV_O_LTP_CLASS : D.DEV_O_LTD_CLASS));
    cls = <i32>load<u8>(classes + <usize>index);
  }
  const tableBytes = <usize>(k + 1) << 2;
  const forward = dev + <usize>load<u32>(dev + D.DEV_O_TABLES) + <usize>(cls * 4 + (n > 0 ? 0 : 2)) * tableBytes;
  const inverse = forward + tableBytes;
  const u = min<f32>(max<f32>(w * load<f32>(dev + D.DEV_INV_W_MAX), 0), 1);
  const p = interpolate(inverse, u, kf, k) + <f32>n * load<f32>(dev + D.DEV_PULSE_STEP);
  let u2: f32 = p >= 1 ? 1 : p <= 0 ? 0 : interpolate(forward, p, kf, k);
  const pulses = n < 0 ? -n : n;
  if (load<i32>(dev + D.DEV_C2C) != 0) {
    const h = hashAt(lowbias32(key ^ <u32>D.C2C_SALT), index);
    const z = load<f32>(dev + <usize>load<u32>(dev + D.DEV_O_GAUSS) + (<usize>(h >>> (32 - D.GAUSS_TABLE_BITS)) << 2));
    const root = load<f32>(dev + <usize>load<u32>(dev + D.DEV_O_SQRT) + (<usize>pulses << 2));
    u2 = u2 + z * load<f32>(dev + D.DEV_SIGMA_W) * root;
  }
  const w2 = min<f32>(max<f32>(u2, 0), 1) * wMax;
  const changed = w2 != w;
  if (changed) {
    store<f32>(wp, w2);
    cWeightWrites++;
    if ((w != 0) != (w2 != 0)) store<i32>(nnz, load<i32>(nnz) + (w2 != 0 ? 1 : -1));
  }
  recordApplied(binOf((w2 - w) * unitInv()), pulses, changed);
}

/**
 * Normalisation of column j on a device: f_j = min(columnSum / s_j, F32_MAX) from the column sum s_j in
 * ascending input order (as for f32 weights), then every cell is programmed with dw = w * f_j - w.
 */
export function normaliseColumnDevice(
  w: usize, nnz: usize, j: i32, nIn: i32, nOut: i32, stride: i32, columnSum: f32, wMax: f32, key: u32,
): void {
  const rowBytes = <usize>stride << 2;
  const col = w + (<usize>j << 2);
  let s: f32 = 0;
  for (let i = 0; i < nIn; i++) s += load<f32>(col + <usize>i * rowBytes);
  const fj: f32 = s > 0 ? min<f32>(columnSum / s, F32_MAX) : 1;
  for (let i = 0; i < nIn; i++) {
    const p = col + <usize>i * rowBytes;
    const old = load<f32>(p);
    deviceWriteF32(p, old * fj - old, wMax, nnz + (<usize>i << 2), key, <u32>i * <u32>nOut + <u32>j);
  }
}
