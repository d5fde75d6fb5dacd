// Twin of assembly/spiking-dense.ts: the deployment layers' neuron update, counter snapshots, dense
// layer and input encoder over the same memory layout, in plain TypeScript (same f32 operation order).
import type { Mem } from './mem.js';
import { hashAt, lowbias32, stepKey, uniform24 } from './rng.js';

const f = Math.fround;

export const SNAP_INPUT_SPIKES = 0;
export const SNAP_SYNAPTIC_EVENTS = 1;
export const SNAP_DENSE_OPS = 2;
export const SNAP_NEURON_UPDATES = 3;
export const SNAP_OUTPUT_SPIKES = 4;
export const SNAP_STEPS_RUN = 5;
export const SNAP_ROW_ACTIVATIONS = 6;
export const SNAP_COUNT = 7;

export const STREAM_DEPLOY_INPUT = 16;

let nInputSpikes = 0;
let nSynapticEvents = 0;
let nRowActivations = 0;
let nOutputSpikes = 0;

export function deployClearCounts(): void {
  nInputSpikes = 0;
  nSynapticEvents = 0;
  nRowActivations = 0;
  nOutputSpikes = 0;
}

export function deployCountEvents(inputSpikes: number, synapticEvents: number, rowActivations: number): void {
  nInputSpikes += inputSpikes;
  nSynapticEvents += synapticEvents;
  nRowActivations += rowActivations;
}

export function deploySnapshot(
  m: Mem, t: number, s: number, snapSteps: number, nSnap: number, cntOut: number, vOut: number, v: number, n: number,
  densePerStep: number,
): number {
  if (s >= nSnap || m.i32[(snapSteps >>> 2) + s] !== t + 1) return s;
  const steps = t + 1;
  const p = (cntOut >>> 3) + s * SNAP_COUNT;
  m.f64[p + SNAP_INPUT_SPIKES] = nInputSpikes;
  m.f64[p + SNAP_SYNAPTIC_EVENTS] = nSynapticEvents;
  m.f64[p + SNAP_DENSE_OPS] = densePerStep * steps;
  m.f64[p + SNAP_NEURON_UPDATES] = n * steps;
  m.f64[p + SNAP_OUTPUT_SPIKES] = nOutputSpikes;
  m.f64[p + SNAP_STEPS_RUN] = steps;
  m.f64[p + SNAP_ROW_ACTIVATIONS] = nRowActivations;
  if (vOut !== 0) m.u8.copyWithin(vOut + s * n * 4, v, v + n * 4);
  return s + 1;
}

/** v[j] += x + cur[j], then the threshold with reset by subtraction; a spike appends j at outIdx[count]. Returns the new count. */
function fireOne(m: Mem, pv: number, pc: number, po: number, j: number, x: number, vThresh: number, count: number): number {
  const F = m.f32;
  let vv = f(f(F[pv + j]! + x) + F[pc + j]!);
  if (vv >= vThresh) {
    vv = f(vv - vThresh);
    m.i32[po + count++] = j;
  }
  F[pv + j] = vv;
  return count;
}

export function deployNeuronStep(
  m: Mem, v: number, acc: number, cur: number, n: number, fixed: number, delta: number, vThresh: number,
  outIdx: number, count: number,
): number {
  const I = m.i32;
  const pa = acc >>> 2;
  const start = count;
  for (let j = 0; j < n; j++) {
    const x = fixed !== 0 ? f(f(I[pa + j]!) * delta) : m.f32[pa + j]!;
    I[pa + j] = 0;
    count = fireOne(m, v >>> 2, cur >>> 2, outIdx >>> 2, j, x, vThresh, count);
  }
  nOutputSpikes += count - start;
  return count;
}

export function deployNeuronStepCh(
  m: Mem, v: number, acc: number, cur: number, n: number, nCh: number, deltas: number, vThresh: number,
  outIdx: number, count: number,
): number {
  const I = m.i32;
  const pa = acc >>> 2, pd = deltas >>> 2;
  const start = count;
  for (let base = 0; base < n; base += nCh) {
    for (let c = 0; c < nCh; c++) {
      const j = base + c;
      const x = f(f(I[pa + j]!) * m.f32[pd + c]!);
      I[pa + j] = 0;
      count = fireOne(m, v >>> 2, cur >>> 2, outIdx >>> 2, j, x, vThresh, count);
    }
  }
  nOutputSpikes += count - start;
  return count;
}

export function deployAddRow(m: Mem, acc: number, row: number, n: number, fixed: number): void {
  const pa = acc >>> 2;
  if (fixed !== 0) {
    const I = m.i32;
    const q = new Int8Array(m.buffer, row, n);
    for (let j = 0; j < n; j++) I[pa + j] = (I[pa + j]! + q[j]!) | 0;
  } else {
    const F = m.f32;
    const pr = row >>> 2;
    for (let j = 0; j < n; j++) F[pa + j] = f(F[pa + j]! + F[pr + j]!);
  }
}

export function deployDense(
  m: Mem, inPtr: number, inIdx: number, nIn: number, nOut: number, w: number, fixed: number, delta: number,
  rowNnz: number, cur: number, v: number, acc: number, vThresh: number, steps: number, outPtr: number, outIdx: number,
  snapSteps: number, nSnap: number, cntOut: number, vOut: number, deltas = 0,
): void {
  delta = f(delta);
  vThresh = f(vThresh);
  deployClearCounts();
  const I = m.i32;
  const rowBytes = fixed !== 0 ? nOut : nOut * 4;
  const densePerStep = nIn * nOut;
  let count = 0;
  let s = 0;
  for (let t = 0; t < steps; t++) {
    const a = I[(inPtr >>> 2) + t]!;
    const b = I[(inPtr >>> 2) + t + 1]!;
    let events = 0;
    for (let k = a; k < b; k++) {
      const i = I[(inIdx >>> 2) + k]!;
      events += I[(rowNnz >>> 2) + i]!;
      deployAddRow(m, acc, w + i * rowBytes, nOut, fixed);
    }
    deployCountEvents(b - a, events, b - a);
    I[(outPtr >>> 2) + t] = count;
    count = fixed !== 0 && deltas !== 0
      ? deployNeuronStepCh(m, v, acc, cur, nOut, nOut, deltas, vThresh, outIdx, count)
      : deployNeuronStep(m, v, acc, cur, nOut, fixed, delta, vThresh, outIdx, count);
    s = deploySnapshot(m, t, s, snapSteps, nSnap, cntOut, vOut, v, nOut, densePerStep);
  }
  I[(outPtr >>> 2) + steps] = count;
}

export function deployEncodeBernoulli(
  m: Mem, prob: number, active: number, nActive: number, steps: number, seed: number, sample: number, outPtr: number,
  outIdx: number,
): number {
  const I = m.i32;
  const F = m.f32;
  const key = stepKey(seed >>> 0, STREAM_DEPLOY_INPUT, sample >>> 0);
  let count = 0;
  for (let t = 0; t < steps; t++) {
    I[(outPtr >>> 2) + t] = count;
    const kt = lowbias32((key ^ t) >>> 0);
    for (let k = 0; k < nActive; k++) {
      const i = I[(active >>> 2) + k]!;
      if (uniform24(hashAt(kt, i)) < F[(prob >>> 2) + i]!) I[(outIdx >>> 2) + count++] = i;
    }
  }
  I[(outPtr >>> 2) + steps] = count;
  return count;
}
