// Event-driven convolution and average pooling for the rate-coded deployment of a ConvNet
// (docs/deploy.md). Feature maps are NHWC without the batch: neuron (y, x, c) of an H x W x C map is
// index (y * W + x) * C + c. Step order, neuron update and counters are those of spiking-dense.ts.
//
// A spike of input (iy, ix, ci) fans out to every output position (oy, ox) whose receptive field
// holds it: oy * stride - padTop + ky = iy for a kernel row ky in 0..k-1 (likewise x), fewer at the
// borders. For each such (ky, kx) it adds the kernel row w[ky][kx][ci][0..cOut) (tfjs HWIO layout:
// cOut contiguous) to the accumulators of the cOut neurons at (oy, ox). Loops run ky, then kx,
// ascending, for spikes in ascending index order.
import {
  deployAddRow, deployClearCounts, deployCountEvents, deployNeuronStep, deployNeuronStepCh, deploySnapshot,
} from './spiking-dense';

// @ts-ignore: decorator
@inline
function at4(p: usize, j: i32): usize {
  return p + (<usize>j << 2);
}

// Non-zero weights reached by the fan-outs of the running step (or of the analog input).
let fanEvents: i64 = 0;

/**
 * Propagates one input event (iy, ix, ci) with weight scale `x` (1 for a spike): adds x * row to
 * the accumulators of every target. x == 1 adds the row as it is (f32 or i8 levels into i32);
 * other x (analog input) multiply in f32 (fixed point: x * f32(level), scaled by delta later).
 * Returns the number of (ky, kx) kernel rows reached; adds their non-zero weights to fanEvents.
 */
// @ts-ignore: decorator
@inline
function fanOut(
  iy: i32, ix: i32, ci: i32, x: f32, analog: bool, cIn: i32, outH: i32, outW: i32, cOut: i32, k: i32, stride: i32,
  padTop: i32, padLeft: i32, w: usize, fixed: i32, rowNnz: usize, acc: usize,
): i32 {
  let rows = 0;
  let nnz: i64 = 0;
  const rowBytes = <usize>cOut << (fixed != 0 && !analog ? 0 : 2);
  // Kernel rows ky with (iy + padTop - ky) a multiple of stride and the output row inside the map,
  // ascending; likewise kx. Stride 1 needs no division.
  const ny0 = iy + padTop;
  const nx0 = ix + padLeft;
  let kyLo = 0;
  let kyHi = min(k - 1, ny0);
  let kxLo = 0;
  let kxHi = min(k - 1, nx0);
  if (stride == 1) {
    kyLo = max(0, ny0 - outH + 1);
    kxLo = max(0, nx0 - outW + 1);
  }
  for (let ky = kyLo; ky <= kyHi; ky++) {
    const ny = ny0 - ky;
    let oy = ny;
    if (stride != 1) {
      if (ny % stride != 0) continue;
      oy = ny / stride;
      if (oy >= outH) continue;
    }
    for (let kx = kxLo; kx <= kxHi; kx++) {
      const nx = nx0 - kx;
      let ox = nx;
      if (stride != 1) {
        if (nx % stride != 0) continue;
        ox = nx / stride;
        if (ox >= outW) continue;
      }
      const r = (ky * k + kx) * cIn + ci;
      const target = at4(acc, (oy * outW + ox) * cOut);
      if (!analog) {
        deployAddRow(target, w + <usize>r * rowBytes, cOut, fixed);
      } else if (fixed != 0) {
        const row = w + <usize>r * <usize>cOut;
        for (let j = 0; j < cOut; j++) {
          store<f32>(at4(target, j), load<f32>(at4(target, j)) + x * <f32>load<i8>(row + <usize>j));
        }
      } else {
        const row = w + <usize>r * rowBytes;
        for (let j = 0; j < cOut; j++) {
          store<f32>(at4(target, j), load<f32>(at4(target, j)) + x * load<f32>(at4(row, j)));
        }
      }
      nnz += <i64>load<i32>(at4(rowNnz, r));
      rows++;
    }
  }
  fanEvents += nnz;
  return rows;
}

/**
 * Convolution layer of integrate-and-fire neurons, one sample.
 * Input: spike lists (inPtr, inIdx) over an h x w x cIn map, or, when analogIn != 0, a constant
 * analog input (f32 per input, h x w x cIn) presented every step (the first layer under
 * constant-current coding). Output map outH x outW x cOut; kernel k x k, `stride`, zero padding
 * padTop / padLeft (the bottom/right padding follows from outH, outW).
 * Weights w[ky][kx][ci][co] (f32, or i8 levels when fixed != 0), rowNnz[(ky * k + kx) * cIn + ci] =
 * non-zero weights of that row. bias: f32 per neuron (a conv bias folded with a preceding batch
 * norm shift differs at the borders). cur, v, acc: per-neuron scratch / state (acc zero on entry).
 * densePerStep: valid synapses of the layer (taps inside the input, summed over positions) x cOut.
 * Analog input: before step 0, cur = bias + (fixed ? f32(sum x * level) * delta : sum x * w) over
 * the non-zero inputs in index order; every step then counts the same events as MACs.
 * deltas != 0 (fixed point only): one scale per output channel (f32 x cOut) in place of `delta`,
 * for neuron j the scale of channel j % cOut (in the analog input current too).
 */
export function deployConv(
  inPtr: usize, inIdx: usize, analogIn: usize, h: i32, w: i32, cIn: i32, outH: i32, outW: i32, cOut: i32,
  k: i32, stride: i32, padTop: i32, padLeft: i32, weights: usize, fixed: i32, delta: f32, rowNnz: usize,
  bias: usize, cur: usize, v: usize, acc: usize, vThresh: f32, steps: i32, densePerStep: f64,
  outPtr: usize, outIdx: usize, snapSteps: usize, nSnap: i32, cntOut: usize, vOut: usize, deltas: usize,
): void {
  deployClearCounts();
  const n = outH * outW * cOut;
  const perChannel = fixed != 0 && deltas != 0;
  const nIn = h * w * cIn;
  fanEvents = 0;
  let analogInputs: i64 = 0;
  let analogRows: i64 = 0;
  if (analogIn != 0) {
    for (let i = 0; i < nIn; i++) {
      const x = load<f32>(at4(analogIn, i));
      if (x == 0) continue;
      const pos = i / cIn;
      const iy = pos / w;
      analogRows += <i64>fanOut(iy, pos - iy * w, i - pos * cIn, x, true, cIn, outH, outW, cOut, k, stride, padTop, padLeft,
        weights, fixed, rowNnz, acc);
      analogInputs++;
    }
    for (let j = 0; j < n; j++) {
      const a = load<f32>(at4(acc, j));
      store<f32>(at4(acc, j), 0);
      const d = perChannel ? load<f32>(at4(deltas, j % cOut)) : delta;
      store<f32>(at4(cur, j), (fixed != 0 ? a * d : a) + load<f32>(at4(bias, j)));
    }
  } else {
    memory.copy(cur, bias, <usize>n << 2);
  }
  const analogEvents = fanEvents;
  let count = 0;
  let s = 0;
  for (let t = 0; t < steps; t++) {
    if (analogIn != 0) {
      deployCountEvents(analogInputs, analogEvents, analogRows);
    } else {
      const a = load<i32>(at4(inPtr, t));
      const b = load<i32>(at4(inPtr, t + 1));
      fanEvents = 0;
      let rows: i64 = 0;
      for (let e = a; e < b; e++) {
        const i = load<i32>(at4(inIdx, e));
        const pos = i / cIn;
        const iy = pos / w;
        rows += <i64>fanOut(iy, pos - iy * w, i - pos * cIn, 1, false, cIn, outH, outW, cOut, k, stride, padTop, padLeft,
          weights, fixed, rowNnz, acc);
      }
      deployCountEvents(<i64>(b - a), fanEvents, rows);
    }
    store<i32>(at4(outPtr, t), count);
    count = perChannel && analogIn == 0
      ? deployNeuronStepCh(v, acc, cur, n, cOut, deltas, vThresh, outIdx, count)
      : deployNeuronStep(v, acc, cur, n, analogIn != 0 ? 0 : fixed, delta, vThresh, outIdx, count);
    s = deploySnapshot(t, s, snapSteps, nSnap, cntOut, vOut, v, n, densePerStep);
  }
  store<i32>(at4(outPtr, steps), count);
}

/**
 * Average pooling as a layer of integrate-and-fire neurons (one per pooled value, depthwise):
 * window `size` x `size`, `stride`, no padding. A spike of (iy, ix, c) adds `weight` to every
 * pooled neuron (oy, ox, c) whose window holds it. Synaptic events = targets reached; a pooled
 * neuron's dense synapses are size^2 (densePerStep = outH * outW * c * size^2).
 */
export function deployAvgPool(
  inPtr: usize, inIdx: usize, h: i32, w: i32, c: i32, outH: i32, outW: i32, size: i32, stride: i32,
  weight: f32, cur: usize, v: usize, acc: usize, vThresh: f32, steps: i32, densePerStep: f64,
  outPtr: usize, outIdx: usize, snapSteps: usize, nSnap: i32, cntOut: usize, vOut: usize,
): void {
  deployClearCounts();
  const n = outH * outW * c;
  let count = 0;
  let s = 0;
  for (let t = 0; t < steps; t++) {
    const a = load<i32>(at4(inPtr, t));
    const b = load<i32>(at4(inPtr, t + 1));
    let events: i64 = 0;
    for (let e = a; e < b; e++) {
      const i = load<i32>(at4(inIdx, e));
      const ch = i % c;
      const pos = i / c;
      const iy = pos / w;
      const ix = pos % w;
      for (let oy = iy / stride; oy >= 0 && oy * stride + size > iy; oy--) {
        if (oy >= outH) continue;
        for (let ox = ix / stride; ox >= 0 && ox * stride + size > ix; ox--) {
          if (ox >= outW) continue;
          const p = at4(acc, (oy * outW + ox) * c + ch);
          store<f32>(p, load<f32>(p) + weight);
          events++;
        }
      }
    }
    deployCountEvents(<i64>(b - a), events, events);
    store<i32>(at4(outPtr, t), count);
    count = deployNeuronStep(v, acc, cur, n, 0, 1, vThresh, outIdx, count);
    s = deploySnapshot(t, s, snapSteps, nSnap, cntOut, vOut, v, n, densePerStep);
  }
  store<i32>(at4(outPtr, steps), count);
}
