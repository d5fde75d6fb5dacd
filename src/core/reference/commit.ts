// Twin of assembly/commit.ts: the per-sample commit of a fixed-point store's f32 working weights to levels.
import type { Mem } from './mem.js';
import type { CallCounters } from './counters.js';
import { roundLevels } from './quant.js';
import { gDevice, recordApplied, recordLost } from './write-stats.js';

const f = Math.fround;

/** Grid value of level q (f32). */
export function gridValue(q: number, delta: number, wMax: number): number {
  return Math.min(f(q * delta), wMax);
}

export function commitColumn(
  m: Mem, c: CallCounters, w: number, levels: number, nnz: number, j: number, nIn: number, nOut: number, stride: number,
  delta: number, invDelta: number, wMax: number, qMax: number, rounding: number, key: number,
): void {
  for (let i = 0; i < nIn; i++) {
    const cell = i * stride + j;
    const wp = (w >>> 2) + cell;
    const qp = levels + cell;
    const q = m.u8[qp];
    const grid = gridValue(q, delta, wMax);
    const wv = m.f32[wp];
    if (wv === grid) continue;
    const x = f(f(wv - grid) * invDelta);
    let nq = q;
    if (x !== 0) {
      const k = roundLevels(x, rounding, key, (Math.imul(i, nOut) + j) >>> 0);
      if (k === 0) {
        c.lostUpdates++;
        if (gDevice) recordLost(m);
      } else {
        nq = q + k;
        nq = nq < 0 ? 0 : nq > qMax ? qMax : nq;
        if (nq !== q) {
          m.u8[qp] = nq;
          c.weightWrites++;
        }
        if (gDevice) recordApplied(m, nq - q, Math.abs(nq - q), nq !== q);
      }
    }
    const nw = gridValue(nq, delta, wMax);
    m.f32[wp] = nw;
    if ((wv !== 0) !== (nw !== 0)) m.i32[(nnz >>> 2) + i] += nw !== 0 ? 1 : -1;
  }
}
