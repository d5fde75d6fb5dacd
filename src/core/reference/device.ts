// Twin of assembly/device.ts: the analog device writer for f32 weights (semantics in that file).
import type { Mem } from './mem.js';
import type { CallCounters } from './counters.js';
import * as D from '../../../assembly/device-layout.js';
import { roundLevels } from './quant.js';
import { hashAt, lowbias32 } from './rng.js';
import { binOf, gDevice, recordApplied, recordLost, unitInv } from './write-stats.js';

const f = Math.fround;
const F32_MAX = 3.4028234663852886e38;

export function deviceWriterOn(m: Mem): boolean {
  return gDevice !== 0 && m.i32[(gDevice + D.DEV_MODE) >>> 2] === D.MODE_DEVICE;
}

function interpolate(m: Mem, table: number, x: number, kf: number, k: number): number {
  const pos = f(x * kf);
  let i = Math.trunc(pos);
  if (i >= k) i = k - 1;
  const frac = f(pos - i);
  const a = m.f32[(table >>> 2) + i];
  const b = m.f32[(table >>> 2) + i + 1];
  return f(a + f(f(b - a) * frac));
}

export function deviceWriteF32(
  m: Mem, c: CallCounters, wp: number, dw: number, wMax: number, nnz: number, key: number, index: number,
): void {
  if (dw === 0) return;
  const dev = gDevice;
  const n = roundLevels(f(dw * m.f32[(dev + D.DEV_INV_STEP) >>> 2]), m.i32[(dev + D.DEV_ROUNDING) >>> 2], key, index >>> 0);
  if (n === 0) {
    c.lostUpdates++;
    recordLost(m);
    return;
  }
  const w = m.f32[wp >>> 2];
  const k = m.i32[(dev + D.DEV_INTERVALS) >>> 2];
  const kf = m.f32[(dev + D.DEV_K_F32) >>> 2];
  let cls = 0;
  if (m.i32[(dev + D.DEV_CLASSES) >>> 2] > 1) {
    const classes = dev + m.u32[(dev + (n > 0 ? D.DEV_O_LTP_CLASS : D.DEV_O_LTD_CLASS)) >>> 2];
    cls = m.u8[classes + (index >>> 0)];
  }
  const tableBytes = (k + 1) * 4;
  const forward = dev + m.u32[(dev + D.DEV_O_TABLES) >>> 2] + (cls * 4 + (n > 0 ? 0 : 2)) * tableBytes;
  const inverse = forward + tableBytes;
  const u = Math.min(Math.max(f(w * m.f32[(dev + D.DEV_INV_W_MAX) >>> 2]), 0), 1);
  const p = f(interpolate(m, inverse, u, kf, k) + f(n * m.f32[(dev + D.DEV_PULSE_STEP) >>> 2]));
  let u2 = p >= 1 ? 1 : p <= 0 ? 0 : interpolate(m, forward, p, kf, k);
  const pulses = n < 0 ? -n : n;
  if (m.i32[(dev + D.DEV_C2C) >>> 2] !== 0) {
    const h = hashAt(lowbias32((key ^ D.C2C_SALT) >>> 0), index >>> 0);
    const z = m.f32[((dev + m.u32[(dev + D.DEV_O_GAUSS) >>> 2]) >>> 2) + (h >>> (32 - D.GAUSS_TABLE_BITS))];
    const root = m.f32[((dev + m.u32[(dev + D.DEV_O_SQRT) >>> 2]) >>> 2) + pulses];
    u2 = f(u2 + f(f(z * m.f32[(dev + D.DEV_SIGMA_W) >>> 2]) * root));
  }
  const w2 = f(Math.min(Math.max(u2, 0), 1) * wMax);
  const changed = w2 !== w;
  if (changed) {
    m.f32[wp >>> 2] = w2;
    c.weightWrites++;
    if ((w !== 0) !== (w2 !== 0)) m.i32[nnz >>> 2] += w2 !== 0 ? 1 : -1;
  }
  recordApplied(m, binOf(f(f(w2 - w) * unitInv())), pulses, changed);
}

export function normaliseColumnDevice(
  m: Mem, c: CallCounters, w: number, nnz: number, j: number, nIn: number, nOut: number, stride: number,
  columnSum: number, wMax: number, key: number,
): void {
  const col = (w >>> 2) + j;
  let s = 0;
  for (let i = 0; i < nIn; i++) s = f(s + m.f32[col + i * stride]);
  const fj = s > 0 ? Math.min(f(columnSum / s), F32_MAX) : 1;
  for (let i = 0; i < nIn; i++) {
    const p = (col + i * stride) << 2;
    const old = m.f32[p >>> 2];
    deviceWriteF32(m, c, p, f(f(old * fj) - old), wMax, nnz + i * 4, key, (Math.imul(i, nOut) + j) >>> 0);
  }
}
