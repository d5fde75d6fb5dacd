// Twin of assembly/crossbar.ts (the scalar branches, same order of f32 operations).
import type { Mem } from './mem.js';

const f = Math.fround;

export function addRowF32(m: Mem, inp: number, row: number, n: number): void {
  const a = inp >>> 2;
  const r = row >>> 2;
  const x = m.f32;
  for (let j = 0; j < n; j++) x[a + j] = f(x[a + j] + x[r + j]);
}

export function addRowLevels16(m: Mem, acc16: number, row: number, n: number): void {
  const a = acc16 >>> 1;
  for (let j = 0; j < n; j++) m.u16[a + j] = m.u16[a + j] + m.u8[row + j];
}

export function flushLevels16(m: Mem, acc16: number, acc32: number, n: number): void {
  const a = acc16 >>> 1;
  const b = acc32 >>> 2;
  for (let j = 0; j < n; j++) {
    m.i32[b + j] = m.i32[b + j] + m.u16[a + j];
    m.u16[a + j] = 0;
  }
}

export function levels16ToInput(m: Mem, acc16: number, inp: number, delta: number, n: number): void {
  const a = acc16 >>> 1;
  const b = inp >>> 2;
  for (let j = 0; j < n; j++) {
    m.f32[b + j] = f(f(m.u16[a + j]) * delta);
    m.u16[a + j] = 0;
  }
}

export function levels32ToInput(m: Mem, acc32: number, inp: number, delta: number, n: number): void {
  const a = acc32 >>> 2;
  const b = inp >>> 2;
  for (let j = 0; j < n; j++) {
    m.f32[b + j] = f(f(m.i32[a + j]) * delta);
    m.i32[a + j] = 0;
  }
}

export function denseStepF32(m: Mem, inp: number, w: number, flags: number, nIn: number, n: number, stride: number): void {
  const b = inp >>> 2;
  const x = m.f32;
  for (let i = 0; i < nIn; i++) {
    const s = m.u8[flags + i];
    const r = (w >>> 2) + i * stride;
    for (let j = 0; j < n; j++) x[b + j] = f(x[b + j] + f(s * x[r + j]));
  }
}

export function denseStepLevels(m: Mem, acc32: number, w: number, flags: number, nIn: number, n: number, stride: number): void {
  const b = acc32 >>> 2;
  for (let i = 0; i < nIn; i++) {
    const s = m.u8[flags + i];
    const r = w + i * stride;
    for (let j = 0; j < n; j++) m.i32[b + j] = (m.i32[b + j] + s * m.u8[r + j]) | 0;
  }
}
