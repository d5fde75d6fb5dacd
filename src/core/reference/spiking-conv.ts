// Twin of assembly/spiking-conv.ts: event-driven convolution and average pooling of the deployment
// layers, same loops and the same f32 operation order.
import type { Mem } from './mem.js';
import {
  deployAddRow, deployClearCounts, deployCountEvents, deployNeuronStep, deployNeuronStepCh, deploySnapshot,
} from './spiking-dense.js';

const f = Math.fround;

let fanEvents = 0;

function fanOut(
  m: Mem, iy: number, ix: number, ci: number, x: number, analog: boolean, cIn: number, outH: number, outW: number,
  cOut: number, k: number, stride: number, padTop: number, padLeft: number, w: number, fixed: number, rowNnz: number,
  acc: number,
): number {
  const F = m.f32;
  let rows = 0;
  let nnz = 0;
  const rowBytes = fixed !== 0 && !analog ? cOut : cOut * 4;
  const ny0 = iy + padTop;
  const nx0 = ix + padLeft;
  let kyLo = 0;
  const kyHi = Math.min(k - 1, ny0);
  let kxLo = 0;
  const kxHi = Math.min(k - 1, nx0);
  if (stride === 1) {
    kyLo = Math.max(0, ny0 - outH + 1);
    kxLo = Math.max(0, nx0 - outW + 1);
  }
  for (let ky = kyLo; ky <= kyHi; ky++) {
    const ny = ny0 - ky;
    let oy = ny;
    if (stride !== 1) {
      if (ny % stride !== 0) continue;
      oy = ny / stride;
      if (oy >= outH) continue;
    }
    for (let kx = kxLo; kx <= kxHi; kx++) {
      const nx = nx0 - kx;
      let ox = nx;
      if (stride !== 1) {
        if (nx % stride !== 0) continue;
        ox = nx / stride;
        if (ox >= outW) continue;
      }
      const r = (ky * k + kx) * cIn + ci;
      const target = acc + (oy * outW + ox) * cOut * 4;
      const pt = target >>> 2;
      if (!analog) {
        deployAddRow(m, target, w + r * rowBytes, cOut, fixed);
      } else if (fixed !== 0) {
        const q = new Int8Array(m.buffer, w + r * cOut, cOut);
        for (let j = 0; j < cOut; j++) F[pt + j] = f(F[pt + j]! + f(x * q[j]!));
      } else {
        const pr = (w + r * rowBytes) >>> 2;
        for (let j = 0; j < cOut; j++) F[pt + j] = f(F[pt + j]! + f(x * F[pr + j]!));
      }
      nnz += m.i32[(rowNnz >>> 2) + r]!;
      rows++;
    }
  }
  fanEvents += nnz;
  return rows;
}

export function deployConv(
  m: Mem, inPtr: number, inIdx: number, analogIn: number, h: number, w: number, cIn: number, outH: number,
  outW: number, cOut: number, k: number, stride: number, padTop: number, padLeft: number, weights: number,
  fixed: number, delta: number, rowNnz: number, bias: number, cur: number, v: number, acc: number, vThresh: number,
  steps: number, densePerStep: number, outPtr: number, outIdx: number, snapSteps: number, nSnap: number,
  cntOut: number, vOut: number, deltas = 0,
): void {
  delta = f(delta);
  vThresh = f(vThresh);
  deployClearCounts();
  const F = m.f32;
  const I = m.i32;
  const n = outH * outW * cOut;
  const perChannel = fixed !== 0 && deltas !== 0;
  const nIn = h * w * cIn;
  fanEvents = 0;
  let analogInputs = 0;
  let analogRows = 0;
  if (analogIn !== 0) {
    for (let i = 0; i < nIn; i++) {
      const x = F[(analogIn >>> 2) + i]!;
      if (x === 0) continue;
      const pos = Math.trunc(i / cIn);
      analogRows += fanOut(m, Math.trunc(pos / w), pos % w, i % cIn, x, true, cIn, outH, outW, cOut, k, stride, padTop,
        padLeft, weights, fixed, rowNnz, acc);
      analogInputs++;
    }
    for (let j = 0; j < n; j++) {
      const a = F[(acc >>> 2) + j]!;
      F[(acc >>> 2) + j] = 0;
      const d = perChannel ? F[(deltas >>> 2) + (j % cOut)]! : delta;
      F[(cur >>> 2) + j] = f((fixed !== 0 ? f(a * d) : a) + F[(bias >>> 2) + j]!);
    }
  } else {
    m.u8.copyWithin(cur, bias, bias + n * 4);
  }
  const analogEvents = fanEvents;
  let count = 0;
  let s = 0;
  for (let t = 0; t < steps; t++) {
    if (analogIn !== 0) {
      deployCountEvents(analogInputs, analogEvents, analogRows);
    } else {
      const a = I[(inPtr >>> 2) + t]!;
      const b = I[(inPtr >>> 2) + t + 1]!;
      fanEvents = 0;
      let rows = 0;
      for (let e = a; e < b; e++) {
        const i = I[(inIdx >>> 2) + e]!;
        const pos = Math.trunc(i / cIn);
        rows += fanOut(m, Math.trunc(pos / w), pos % w, i % cIn, 1, false, cIn, outH, outW, cOut, k, stride, padTop,
          padLeft, weights, fixed, rowNnz, acc);
      }
      deployCountEvents(b - a, fanEvents, rows);
    }
    I[(outPtr >>> 2) + t] = count;
    count = perChannel && analogIn === 0
      ? deployNeuronStepCh(m, v, acc, cur, n, cOut, deltas, vThresh, outIdx, count)
      : deployNeuronStep(m, v, acc, cur, n, analogIn !== 0 ? 0 : fixed, delta, vThresh, outIdx, count);
    s = deploySnapshot(m, t, s, snapSteps, nSnap, cntOut, vOut, v, n, densePerStep);
  }
  I[(outPtr >>> 2) + steps] = count;
}

export function deployAvgPool(
  m: Mem, inPtr: number, inIdx: number, h: number, w: number, c: number, outH: number, outW: number, size: number,
  stride: number, weight: number, cur: number, v: number, acc: number, vThresh: number, steps: number,
  densePerStep: number, outPtr: number, outIdx: number, snapSteps: number, nSnap: number, cntOut: number, vOut: number,
): void {
  weight = f(weight);
  vThresh = f(vThresh);
  deployClearCounts();
  const F = m.f32;
  const I = m.i32;
  const n = outH * outW * c;
  let count = 0;
  let s = 0;
  for (let t = 0; t < steps; t++) {
    const a = I[(inPtr >>> 2) + t]!;
    const b = I[(inPtr >>> 2) + t + 1]!;
    let events = 0;
    for (let e = a; e < b; e++) {
      const i = I[(inIdx >>> 2) + e]!;
      const ch = i % c;
      const pos = Math.trunc(i / c);
      const iy = Math.trunc(pos / w);
      const ix = pos % w;
      for (let oy = Math.trunc(iy / stride); oy >= 0 && oy * stride + size > iy; oy--) {
        if (oy >= outH) continue;
        for (let ox = Math.trunc(ix / stride); ox >= 0 && ox * stride + size > ix; ox--) {
          if (ox >= outW) continue;
          const p = (acc >>> 2) + (oy * outW + ox) * c + ch;
          F[p] = f(F[p]! + weight);
          events++;
        }
      }
    }
    deployCountEvents(b - a, events, events);
    I[(outPtr >>> 2) + t] = count;
    count = deployNeuronStep(m, v, acc, cur, n, 0, 1, vThresh, outIdx, count);
    s = deploySnapshot(m, t, s, snapSteps, nSnap, cntOut, vOut, v, n, densePerStep);
  }
  I[(outPtr >>> 2) + steps] = count;
}
