// Twin of assembly/quant.ts: the weight writer (bounds, rounding, lost updates, writes, nnz).
import type { Mem } from './mem.js';
import type { CallCounters } from './counters.js';
import { hashAt, uniform24 } from './rng.js';
import { ROUND_NEAREST, ROUND_STOCHASTIC } from '../../../assembly/context.js';
import { binOf, gDevice, recordApplied, recordLost, unitInv } from './write-stats.js';

const f = Math.fround;

function bumpNnz(m: Mem, nnz: number, was: boolean, now: boolean): void {
  if (was !== now) m.i32[nnz >>> 2] += now ? 1 : -1;
}

export function writeF32(m: Mem, c: CallCounters, wp: number, dw: number, wMax: number, nnz: number): void {
  if (dw === 0) return;
  const w = m.f32[wp >>> 2];
  const s = f(w + dw);
  if (s === w) {
    c.lostUpdates++;
    if (gDevice) recordLost(m);
    return;
  }
  const nw = Math.min(Math.max(s, 0), wMax);
  if (nw !== w) {
    m.f32[wp >>> 2] = nw;
    c.weightWrites++;
    bumpNnz(m, nnz, w !== 0, nw !== 0);
  }
  if (gDevice) recordApplied(m, binOf(f(f(nw - w) * unitInv())), 0, nw !== w);
}

export function roundLevels(x: number, rounding: number, key: number, index: number): number {
  x = Math.min(Math.max(x, -512), 512);
  if (rounding === ROUND_NEAREST) {
    const t = Math.trunc(x);
    const r = x - t;
    let k = t;
    if (r >= 0.5) k++;
    else if (r <= -0.5) k--;
    return k;
  }
  if (rounding === ROUND_STOCHASTIC) {
    const fl = Math.floor(x);
    let k = fl;
    if (uniform24(hashAt(key, index)) < x - fl) k++;
    return k;
  }
  return Math.trunc(x);
}

export function writeLevels(
  m: Mem, c: CallCounters, qp: number, x: number, qMax: number, rounding: number, key: number, index: number, nnz: number,
): void {
  if (x === 0) return;
  const k = roundLevels(x, rounding, key, index >>> 0);
  if (k === 0) {
    c.lostUpdates++;
    if (gDevice) recordLost(m);
    return;
  }
  const q = m.u8[qp];
  let nq = q + k;
  nq = nq < 0 ? 0 : nq > qMax ? qMax : nq;
  if (nq !== q) {
    m.u8[qp] = nq;
    c.weightWrites++;
    bumpNnz(m, nnz, q !== 0, nq !== 0);
  }
  if (gDevice) recordApplied(m, nq - q, Math.abs(nq - q), nq !== q);
}
