// Twin of assembly/normalise.ts (the one-column-at-a-time strategy; the SIMD row-wise strategy gives the
// same results and is checked against this one by the parity tests).
import type { Mem } from './mem.js';
import type { CallCounters } from './counters.js';
import { writeLevels } from './quant.js';
import { binOf, gDevice, recordApplied, unitInv } from './write-stats.js';

const f = Math.fround;
const F32_MAX = 3.4028234663852886e38;

function scaleFactor(s: number, columnSum: number): number {
  return s > 0 ? Math.min(f(columnSum / s), F32_MAX) : 1;
}

export function markDirty(m: Mem, flag: number, list: number, count: number, j: number): number {
  if (!m.i32[(flag >>> 2) + j]) {
    m.i32[(flag >>> 2) + j] = 1;
    m.i32[(list >>> 2) + count++] = j;
  }
  return count;
}

export function normaliseColumnF32(
  m: Mem, c: CallCounters, w: number, nnz: number, j: number, nIn: number, stride: number, columnSum: number, wMax: number,
): void {
  const F = m.f32;
  const col = (w >>> 2) + j;
  let s = 0;
  for (let i = 0; i < nIn; i++) s = f(s + F[col + i * stride]);
  const fj = scaleFactor(s, columnSum);
  for (let i = 0; i < nIn; i++) {
    const p = col + i * stride;
    const old = F[p];
    const scaled = f(old * fj);
    const nw = Math.min(scaled, wMax);
    if (nw !== old) {
      F[p] = nw;
      c.weightWrites++;
      if (nw === 0) m.i32[(nnz >>> 2) + i]--;
    }
    if (gDevice && scaled !== old) recordApplied(m, binOf(f(f(nw - old) * unitInv())), 0, nw !== old);
  }
}

export function normaliseColumnLevels(
  m: Mem, c: CallCounters, w: number, nnz: number, j: number, nIn: number, nOut: number, stride: number, columnSum: number,
  delta: number, qMax: number, rounding: number, key: number,
): void {
  let sum = 0;
  for (let i = 0; i < nIn; i++) sum += m.u8[w + i * stride + j];
  const fj = scaleFactor(f(f(sum) * delta), columnSum);
  for (let i = 0; i < nIn; i++) {
    const qp = w + i * stride + j;
    const q = m.u8[qp];
    writeLevels(m, c, qp, f(f(q * fj) - q), qMax, rounding, key, (Math.imul(i, nOut) + j) >>> 0, nnz + i * 4);
  }
}
