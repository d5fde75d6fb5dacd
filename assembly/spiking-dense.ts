// Rate-coded deployment of a trained ConvNet: integrate-and-fire layers without leak, reset by
// subtraction (docs/deploy.md). This file holds the dense (fully connected) layer, the input
// encoder and the parts every deployment layer shares: the neuron update and the counter snapshots.
//
// A layer runs a whole sample in one call, all its steps, reading its input as a spike list per
// step and writing its output the same way:
//   spikes of step t = idx[ptr[t] .. ptr[t + 1])   (i32 neuron indices, ascending within a step)
// Per step t, in this order:
//   1. propagation: every input spike adds its weight row to the neurons' input accumulators
//      (f32 in spike order; fixed point as exact i32 sums of signed levels);
//   2. neuron update, every neuron j in ascending order (f32, no fused multiply-add):
//        x = acc[j] (f32) or f32(acc[j]) * delta (fixed point; with per-channel scales
//            f32(acc[j]) * deltas[channel of j]);  acc[j] = 0
//        v[j] = (v[j] + x) + cur[j]          (cur = bias current, or bias + analog input current)
//        if v[j] >= vThresh: v[j] = v[j] - vThresh, neuron j spikes (at most once per step)
//   3. counter snapshot when t + 1 is one of the snapshot steps.
// Counters are exact integers (i64) written as f64 in SNAP_* order.
import { hashAt, lowbias32, stepKey, uniform24 } from './rng';

/** Counter slots of one snapshot (f64 each), in this order. */
export const SNAP_INPUT_SPIKES = 0;
export const SNAP_SYNAPTIC_EVENTS = 1;
export const SNAP_DENSE_OPS = 2;
export const SNAP_NEURON_UPDATES = 3;
export const SNAP_OUTPUT_SPIKES = 4;
export const SNAP_STEPS_RUN = 5;
export const SNAP_ROW_ACTIVATIONS = 6;
export const SNAP_COUNT = 7;

/** RNG stream of the deployment input encoder (the core's streams are 1..7). */
export const STREAM_DEPLOY_INPUT: u32 = 16;

// @ts-ignore: decorator
@inline
function at4(p: usize, j: i32): usize {
  return p + (<usize>j << 2);
}

// Event counts of the running call (one layer, one sample).
let nInputSpikes: i64 = 0;
let nSynapticEvents: i64 = 0;
let nRowActivations: i64 = 0;
let nOutputSpikes: i64 = 0;

/** Clears the counts of the running call. */
export function deployClearCounts(): void {
  nInputSpikes = 0;
  nSynapticEvents = 0;
  nRowActivations = 0;
  nOutputSpikes = 0;
}

/** Adds events found by a propagation routine. */
export function deployCountEvents(inputSpikes: i64, synapticEvents: i64, rowActivations: i64): void {
  nInputSpikes += inputSpikes;
  nSynapticEvents += synapticEvents;
  nRowActivations += rowActivations;
}

/**
 * After step t: when t + 1 == snapSteps[s] for some s, writes the counts so far to
 * cntOut[s * SNAP_COUNT ..] and, if vOut != 0, the membranes to vOut[s * n ..]. Returns the next s.
 */
export function deploySnapshot(
  t: i32, s: i32, snapSteps: usize, nSnap: i32, cntOut: usize, vOut: usize, v: usize, n: i32, densePerStep: f64,
): i32 {
  if (s >= nSnap || load<i32>(at4(snapSteps, s)) != t + 1) return s;
  const steps = <f64>(t + 1);
  const p = cntOut + (<usize>s * SNAP_COUNT << 3);
  store<f64>(p + (SNAP_INPUT_SPIKES << 3), <f64>nInputSpikes);
  store<f64>(p + (SNAP_SYNAPTIC_EVENTS << 3), <f64>nSynapticEvents);
  store<f64>(p + (SNAP_DENSE_OPS << 3), densePerStep * steps);
  store<f64>(p + (SNAP_NEURON_UPDATES << 3), <f64>n * steps);
  store<f64>(p + (SNAP_OUTPUT_SPIKES << 3), <f64>nOutputSpikes);
  store<f64>(p + (SNAP_STEPS_RUN << 3), steps);
  store<f64>(p + (SNAP_ROW_ACTIVATIONS << 3), <f64>nRowActivations);
  if (vOut != 0) memory.copy(vOut + (<usize>s * <usize>n << 2), v, <usize>n << 2);
  return s + 1;
}

/** v[j] += x + cur[j], then the threshold with reset by subtraction; a spike appends j to outIdx. Returns the new count. */
// @ts-ignore: decorator
@inline
function fireOne(v: usize, cur: usize, j: i32, x: f32, vThresh: f32, outIdx: usize, count: i32): i32 {
  const o = <usize>j << 2;
  let vv = (load<f32>(v + o) + x) + load<f32>(cur + o);
  if (vv >= vThresh) {
    vv = vv - vThresh;
    store<i32>(at4(outIdx, count++), j);
  }
  store<f32>(v + o, vv);
  return count;
}

/** fireOne for neurons j..j+3 with increments x (f32x4), lane-wise; spikes appended in index order. */
// @ts-ignore: decorator
@inline
function fireFour(v: usize, cur: usize, j: i32, x: v128, th: v128, outIdx: usize, count: i32): i32 {
  const o = <usize>j << 2;
  const vv = f32x4.add(f32x4.add(v128.load(v + o), x), v128.load(cur + o));
  const fire = f32x4.ge(vv, th);
  v128.store(v + o, v128.bitselect(f32x4.sub(vv, th), vv, fire));
  let m = i32x4.bitmask(fire);
  while (m) {
    const l = ctz(m);
    m &= m - 1;
    store<i32>(at4(outIdx, count++), j + l);
  }
  return count;
}

/**
 * Step 2 for neurons 0..n-1: integrates acc (cleared as read) and cur into v, applies the threshold
 * with reset by subtraction and appends the spiking neurons to outIdx from position `count`.
 * Returns the new count. The SIMD build runs the same lane-wise f32 operations four neurons at a time.
 */
export function deployNeuronStep(
  v: usize, acc: usize, cur: usize, n: i32, fixed: i32, delta: f32, vThresh: f32, outIdx: usize, count: i32,
): i32 {
  const start = count;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = i32x4.splat(0);
    const th = f32x4.splat(vThresh);
    const d = f32x4.splat(delta);
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      const a = v128.load(acc + o);
      v128.store(acc + o, zero);
      count = fireFour(v, cur, j, fixed != 0 ? f32x4.mul(f32x4.convert_i32x4_s(a), d) : a, th, outIdx, count);
    }
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    const x: f32 = fixed != 0 ? <f32>load<i32>(acc + o) * delta : load<f32>(acc + o);
    store<i32>(acc + o, 0);
    count = fireOne(v, cur, j, x, vThresh, outIdx, count);
  }
  nOutputSpikes += <i64>(count - start);
  return count;
}

/**
 * deployNeuronStep for fixed point with one delta per output channel: neurons 0..n-1 are positions
 * of nCh channels each (NHWC: channel fastest; a dense layer is one position of n channels) and
 * x = f32(acc[j]) * deltas[j % nCh] (deltas: f32 per channel). Same operations and spike order as
 * deployNeuronStep; the SIMD build runs four channels of a position at a time.
 */
export function deployNeuronStepCh(
  v: usize, acc: usize, cur: usize, n: i32, nCh: i32, deltas: usize, vThresh: f32, outIdx: usize, count: i32,
): i32 {
  const start = count;
  for (let base = 0; base < n; base += nCh) {
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const zero = i32x4.splat(0);
      const th = f32x4.splat(vThresh);
      for (; c + 4 <= nCh; c += 4) {
        const j = base + c;
        const o = <usize>j << 2;
        const a = v128.load(acc + o);
        v128.store(acc + o, zero);
        count = fireFour(v, cur, j, f32x4.mul(f32x4.convert_i32x4_s(a), v128.load(at4(deltas, c))), th, outIdx, count);
      }
    }
    for (; c < nCh; c++) {
      const j = base + c;
      const o = <usize>j << 2;
      const x = <f32>load<i32>(acc + o) * load<f32>(at4(deltas, c));
      store<i32>(acc + o, 0);
      count = fireOne(v, cur, j, x, vThresh, outIdx, count);
    }
  }
  nOutputSpikes += <i64>(count - start);
  return count;
}

/** acc[j] += row[j] for j < n: f32, or signed 8-bit levels into i32 (fixed point). */
export function deployAddRow(acc: usize, row: usize, n: i32, fixed: i32): void {
  let j = 0;
  if (fixed != 0) {
    if (ASC_FEATURE_SIMD) {
      for (; j + 16 <= n; j += 16) {
        const q = v128.load(row + <usize>j);
        const lo = i16x8.extend_low_i8x16_s(q);
        const hi = i16x8.extend_high_i8x16_s(q);
        const a = at4(acc, j);
        v128.store(a, i32x4.add(v128.load(a), i32x4.extend_low_i16x8_s(lo)));
        v128.store(a, i32x4.add(v128.load(a, 16), i32x4.extend_high_i16x8_s(lo)), 16);
        v128.store(a, i32x4.add(v128.load(a, 32), i32x4.extend_low_i16x8_s(hi)), 32);
        v128.store(a, i32x4.add(v128.load(a, 48), i32x4.extend_high_i16x8_s(hi)), 48);
      }
    }
    for (; j < n; j++) {
      const a = at4(acc, j);
      store<i32>(a, load<i32>(a) + <i32>load<i8>(row + <usize>j));
    }
  } else {
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= n; j += 4) {
        const a = at4(acc, j);
        v128.store(a, f32x4.add(v128.load(a), v128.load(at4(row, j))));
      }
    }
    for (; j < n; j++) {
      const a = at4(acc, j);
      store<f32>(a, load<f32>(a) + load<f32>(at4(row, j)));
    }
  }
}

/**
 * Dense (fully connected) layer, one sample: nIn inputs, nOut neurons, weights row-major
 * w[i * nOut + j] (f32, or i8 levels when fixed != 0, value = level * delta), rowNnz[i] = non-zero
 * weights in row i. Synaptic events = sum over input spikes of rowNnz; dense ops = nIn * nOut per step.
 * deltas != 0 (fixed point only): one scale per output neuron (f32 x nOut) in place of `delta`.
 */
export function deployDense(
  inPtr: usize, inIdx: usize, nIn: i32, nOut: i32, w: usize, fixed: i32, delta: f32, rowNnz: usize,
  cur: usize, v: usize, acc: usize, vThresh: f32, steps: i32, outPtr: usize, outIdx: usize,
  snapSteps: usize, nSnap: i32, cntOut: usize, vOut: usize, deltas: usize,
): void {
  deployClearCounts();
  const rowBytes = <usize>nOut << (fixed != 0 ? 0 : 2);
  const densePerStep = <f64>nIn * <f64>nOut;
  let count = 0;
  let s = 0;
  for (let t = 0; t < steps; t++) {
    const a = load<i32>(at4(inPtr, t));
    const b = load<i32>(at4(inPtr, t + 1));
    let events: i64 = 0;
    for (let k = a; k < b; k++) {
      const i = load<i32>(at4(inIdx, k));
      events += <i64>load<i32>(at4(rowNnz, i));
      deployAddRow(acc, w + <usize>i * rowBytes, nOut, fixed);
    }
    deployCountEvents(<i64>(b - a), events, <i64>(b - a));
    store<i32>(at4(outPtr, t), count);
    count = fixed != 0 && deltas != 0
      ? deployNeuronStepCh(v, acc, cur, nOut, nOut, deltas, vThresh, outIdx, count)
      : deployNeuronStep(v, acc, cur, nOut, fixed, delta, vThresh, outIdx, count);
    s = deploySnapshot(t, s, snapSteps, nSnap, cntOut, vOut, v, nOut, densePerStep);
  }
  store<i32>(at4(outPtr, steps), count);
}

/**
 * Input encoder: input i spikes in step t when uniform24(hashAt(lowbias32(key ^ t), i)) < prob[i],
 * key = stepKey(seed, STREAM_DEPLOY_INPUT, sample): a Bernoulli (discrete-time Poisson) train of
 * rate prob[i] spikes per step that depends only on (seed, sample, t, i). Inputs with prob <= 0 are
 * skipped (listed in `active`, nActive entries, ascending). Writes the spike lists; returns the total.
 */
export function deployEncodeBernoulli(
  prob: usize, active: usize, nActive: i32, steps: i32, seed: u32, sample: u32, outPtr: usize, outIdx: usize,
): i32 {
  const key = stepKey(seed, STREAM_DEPLOY_INPUT, sample);
  let count = 0;
  for (let t = 0; t < steps; t++) {
    store<i32>(at4(outPtr, t), count);
    const kt = lowbias32(key ^ <u32>t);
    for (let k = 0; k < nActive; k++) {
      const i = load<i32>(at4(active, k));
      if (uniform24(hashAt(kt, <u32>i)) < load<f32>(at4(prob, i))) store<i32>(at4(outIdx, count++), i);
    }
  }
  store<i32>(at4(outPtr, steps), count);
  return count;
}
