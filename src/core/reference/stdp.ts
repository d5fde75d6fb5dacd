// Twin of assembly/stdp.ts: lazy exponential traces and the Diehl & Cook / pair rules.
import type { Mem } from './mem.js';
import type { CallCounters } from './counters.js';
import { writeF32, writeLevels } from './quant.js';
import { deviceWriteF32, deviceWriterOn } from './device.js';
import { FORMAT_F32, RULE_DC } from '../../../assembly/context.js';

const f = Math.fround;

export function decayBy(m: Mem, x: number, gap: number, table: number, len: number): number {
  if (x === 0) return 0;
  gap >>>= 0;
  const last = len - 1;
  const T = table >>> 2;
  while (gap > last) {
    x = f(x * m.f32[T + last]);
    gap -= last;
    if (x === 0) return 0;
  }
  return f(x * m.f32[T + gap]);
}

export function preTraceSpike(m: Mem, xPre: number, lastPre: number, i: number, t: number, table: number, len: number, reset: boolean): void {
  let x = 1;
  if (!reset) x = f(decayBy(m, m.f32[(xPre >>> 2) + i], (t - m.u32[(lastPre >>> 2) + i]) >>> 0, table, len) + 1);
  m.f32[(xPre >>> 2) + i] = x;
  m.u32[(lastPre >>> 2) + i] = t;
}

export function postTraceSpike(
  m: Mem, xPost: number, lastPost: number, active: number, activeFlag: number, count: number, j: number, t: number,
  table: number, len: number, reset: boolean,
): number {
  let x = 1;
  if (!reset) x = f(decayBy(m, m.f32[(xPost >>> 2) + j], (t - m.u32[(lastPost >>> 2) + j]) >>> 0, table, len) + 1);
  m.f32[(xPost >>> 2) + j] = x;
  m.u32[(lastPost >>> 2) + j] = t;
  if (!m.i32[(activeFlag >>> 2) + j]) {
    m.i32[(activeFlag >>> 2) + j] = 1;
    m.i32[(active >>> 2) + count++] = j;
  }
  return count;
}

export function depressionList(
  m: Mem, xPost: number, lastPost: number, active: number, activeFlag: number, countPtr: number, t: number, table: number,
  len: number, rate: number, dIdx: number, dVal: number,
): number {
  const I = m.i32;
  const A = active >>> 2;
  let n = I[countPtr >>> 2];
  let k = 0;
  let nd = 0;
  while (k < n) {
    const j = I[A + k];
    const x = decayBy(m, m.f32[(xPost >>> 2) + j], (t - m.u32[(lastPost >>> 2) + j]) >>> 0, table, len);
    if (x === 0) {
      m.f32[(xPost >>> 2) + j] = 0;
      I[(activeFlag >>> 2) + j] = 0;
      n--;
      I[A + k] = I[A + n];
      continue;
    }
    const d = f(rate * x);
    if (d !== 0) {
      I[(dIdx >>> 2) + nd] = j;
      m.f32[(dVal >>> 2) + nd] = d;
      nd++;
    }
    k++;
  }
  I[countPtr >>> 2] = n;
  return nd;
}

export function depressRow(
  m: Mem, c: CallCounters, w: number, nnzRow: number, i: number, nOut: number, stride: number, dIdx: number, dVal: number,
  nd: number, format: number, multiplicative: boolean, wMax: number, delta: number, invDelta: number, qMax: number,
  rounding: number, key: number,
): void {
  const base = i * stride;
  if (format === FORMAT_F32) {
    const row = w + base * 4;
    const device = deviceWriterOn(m);
    for (let k = 0; k < nd; k++) {
      const j = m.i32[(dIdx >>> 2) + k];
      const d = m.f32[(dVal >>> 2) + k];
      const wp = row + j * 4;
      const dw = multiplicative ? -f(d * m.f32[wp >>> 2]) : -d;
      if (device) deviceWriteF32(m, c, wp, dw, wMax, nnzRow, key, (Math.imul(i, nOut) + j) >>> 0);
      else writeF32(m, c, wp, dw, wMax, nnzRow);
    }
  } else {
    const row = w + base;
    const index0 = Math.imul(i, nOut);
    for (let k = 0; k < nd; k++) {
      const j = m.i32[(dIdx >>> 2) + k];
      const d = m.f32[(dVal >>> 2) + k];
      const qp = row + j;
      const dw = multiplicative ? -f(d * f(m.u8[qp] * delta)) : -d;
      writeLevels(m, c, qp, f(dw * invDelta), qMax, rounding, key, (index0 + j) >>> 0, nnzRow);
    }
  }
}

export function preTracesNow(m: Mem, xPre: number, lastPre: number, xNow: number, nIn: number, t: number, table: number, len: number): void {
  for (let i = 0; i < nIn; i++) {
    m.f32[(xNow >>> 2) + i] = decayBy(m, m.f32[(xPre >>> 2) + i], (t - m.u32[(lastPre >>> 2) + i]) >>> 0, table, len);
  }
}

export function weightPower(m: Mem, wv: number, wMax: number, invWMax: number, muTable: number, muN: number, muScale: number): number {
  const pos = f(f(f(wMax - wv) * invWMax) * muN);
  let k = Math.trunc(pos);
  if (k >= muN) k = muN - 1;
  if (k < 0) k = 0;
  const frac = f(pos - k);
  const t0 = m.f32[(muTable >>> 2) + k];
  const t1 = m.f32[(muTable >>> 2) + k + 1];
  return f(f(t0 + f(f(t1 - t0) * frac)) * muScale);
}

export function potentiateColumn(
  m: Mem, c: CallCounters, w: number, nnz: number, j: number, nIn: number, nOut: number, stride: number, xNow: number,
  rule: number, multiplicative: boolean, rate: number, xTar: number, muMode: number, muTable: number, muN: number,
  muScale: number, format: number, wMax: number, invWMax: number, delta: number, invDelta: number, qMax: number,
  rounding: number, key: number,
): void {
  const isF32 = format === FORMAT_F32;
  const device = isF32 && deviceWriterOn(m);
  for (let i = 0; i < nIn; i++) {
    const x = m.f32[(xNow >>> 2) + i];
    if (rule !== RULE_DC && x === 0) continue;
    const cell = i * stride + j;
    const wp = isF32 ? w + cell * 4 : w + cell;
    const wv = isF32 ? m.f32[wp >>> 2] : f(m.u8[wp] * delta);
    let dw: number;
    if (rule === RULE_DC) {
      dw = f(rate * f(x - xTar));
      if (muMode === 1) dw = f(dw * f(wMax - wv));
      else if (muMode === 2) dw = f(dw * weightPower(m, wv, wMax, invWMax, muTable, muN, muScale));
    } else {
      dw = f(rate * x);
      if (multiplicative) dw = f(dw * f(wMax - wv));
    }
    const nnzRow = nnz + i * 4;
    if (device) deviceWriteF32(m, c, wp, dw, wMax, nnzRow, key, (Math.imul(i, nOut) + j) >>> 0);
    else if (isF32) writeF32(m, c, wp, dw, wMax, nnzRow);
    else writeLevels(m, c, wp, f(dw * invDelta), qMax, rounding, key, (Math.imul(i, nOut) + j) >>> 0, nnzRow);
  }
}
