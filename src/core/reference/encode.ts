// Twin of assembly/encode.ts: Poisson (O(spikes) via bucket lists), regular and explicit inputs.
import type { Mem } from './mem.js';
import { hashAt, stepKey } from './rng.js';
import { E_TABLE_BITS, STREAM_POISSON, STREAM_POISSON_FIRST } from '../../../assembly/context.js';

const f = Math.fround;

function push(m: Mem, head: number, next: number, step: number, i: number): void {
  m.i32[(next >>> 2) + i] = m.i32[(head >>> 2) + step];
  m.i32[(head >>> 2) + step] = i;
}

export function clearBuckets(m: Mem, head: number, steps: number): void {
  m.i32.fill(-1, head >>> 2, (head >>> 2) + steps);
}

export function poissonStart(
  m: Mem, head: number, next: number, invLog: number, eTable: number, nIn: number, steps: number, seed: number, globalStep: number,
): void {
  const key = stepKey(seed, STREAM_POISSON_FIRST, globalStep);
  const limit = f(steps);
  for (let i = 0; i < nIn; i++) {
    const inv = m.f32[(invLog >>> 2) + i];
    if (inv < 0) continue;
    const e = m.f32[(eTable >>> 2) + (hashAt(key, i) >>> (32 - E_TABLE_BITS))];
    const x = f(e * inv);
    if (x < limit) push(m, head, next, Math.trunc(x), i);
  }
}

export function regularStart(m: Mem, head: number, next: number, pIn: number, count: number, nIn: number, steps: number): void {
  for (let i = 0; i < nIn; i++) {
    m.i32[(count >>> 2) + i] = 0;
    const p = m.f32[(pIn >>> 2) + i];
    if (p <= 0) continue;
    const t = Math.ceil(1.0 / p) - 1.0;
    if (t < steps) push(m, head, next, t, i);
  }
}

export function popPoisson(
  m: Mem, head: number, next: number, list: number, invLog: number, eTable: number, t: number, steps: number, seed: number,
  globalStep: number,
): number {
  const L = list >>> 2;
  let n = 0;
  let i = m.i32[(head >>> 2) + t];
  while (i >= 0) {
    m.i32[L + n++] = i;
    i = m.i32[(next >>> 2) + i];
  }
  if (n === 0) return 0;
  const key = stepKey(seed, STREAM_POISSON, globalStep);
  const limit = f(steps - t - 1);
  for (let k = 0; k < n; k++) {
    const inp = m.i32[L + k];
    const e = m.f32[(eTable >>> 2) + (hashAt(key, inp) >>> (32 - E_TABLE_BITS))];
    const x = f(e * m.f32[(invLog >>> 2) + inp]);
    if (x < limit) push(m, head, next, t + 1 + Math.trunc(x), inp);
  }
  return n;
}

export function popRegular(m: Mem, head: number, next: number, list: number, pIn: number, count: number, t: number, steps: number): number {
  const L = list >>> 2;
  let n = 0;
  let i = m.i32[(head >>> 2) + t];
  while (i >= 0) {
    m.i32[L + n++] = i;
    i = m.i32[(next >>> 2) + i];
  }
  for (let k = 0; k < n; k++) {
    const inp = m.i32[L + k];
    const c = m.i32[(count >>> 2) + inp] + 1;
    m.i32[(count >>> 2) + inp] = c;
    const nt = Math.ceil((c + 1) / m.f32[(pIn >>> 2) + inp]) - 1.0;
    if (nt < steps) push(m, head, next, nt, inp);
  }
  return n;
}

export function sortInputs(m: Mem, list: number, n: number): void {
  const L = list >>> 2;
  m.i32.subarray(L, L + n).sort();
}
