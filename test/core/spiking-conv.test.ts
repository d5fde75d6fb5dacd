// Event-driven convolution and pooling kernels of the deployment (assembly/spiking-conv.ts and its twin):
// equality with a dense (gather) convolution, hand-counted events, and bit-identical backends.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { createDeployKernels, type Backend, type DeployKernels } from '../../src/deploy/kernels.js';
import { convGeometry } from '../../src/deploy/convert.js';
import { rowNonZeros } from '../../src/deploy/quantize.js';
import { SNAP_COUNT, SNAP_DENSE_OPS, SNAP_INPUT_SPIKES, SNAP_NEURON_UPDATES, SNAP_OUTPUT_SPIKES, SNAP_ROW_ACTIVATIONS, SNAP_STEPS_RUN, SNAP_SYNAPTIC_EVENTS } from '../../src/core/reference/spiking-dense.js';
import { Rng } from '../../src/data/random.js';

const BACKENDS: Backend[] = ['reference', 'wasm', 'wasm-scalar'];

/** A bump allocator over a kernel backend's memory. */
class Arena {
  at: number;
  constructor(readonly k: DeployKernels) {
    this.at = Math.ceil(k.base / 16) * 16;
  }
  take(bytes: number): number {
    const p = this.at;
    this.at = Math.ceil((this.at + bytes) / 16) * 16;
    this.k.reserve(this.at);
    return p;
  }
  i32(values: ArrayLike<number>): number {
    const p = this.take(values.length * 4);
    this.k.mem().i32.set(values, p >>> 2);
    return p;
  }
  f32(values: ArrayLike<number>): number {
    const p = this.take(values.length * 4);
    this.k.mem().f32.set(values, p >>> 2);
    return p;
  }
  i8(values: Int8Array): number {
    const p = this.take(values.length);
    this.k.mem().u8.set(new Uint8Array(values.buffer, values.byteOffset, values.length), p);
    return p;
  }
}

interface ConvCase {
  h: number; w: number; cIn: number; cOut: number; k: number; stride: number; padding: 'same' | 'valid' | number;
}

interface ConvRun {
  v: Float32Array;
  outSteps: Int32Array;
  outIdx: Int32Array;
  counters: Float64Array;
}

/** Spike lists (CSR per step) from a list of per-step index arrays. */
function csr(steps: number[][]): { ptr: number[]; idx: number[] } {
  const ptr = [0];
  const idx: number[] = [];
  for (const s of steps) {
    idx.push(...[...s].sort((a, b) => a - b));
    ptr.push(idx.length);
  }
  return { ptr, idx };
}

function runConv(
  backend: Backend, c: ConvCase, weights: Float32Array | Int8Array, delta: number, bias: Float32Array, spikes: number[][],
  vThresh: number, analog: Float32Array | null = null, steps = spikes.length, snaps = [steps], deltas: Float32Array | null = null,
): ConvRun {
  const k = createDeployKernels(backend);
  const a = new Arena(k);
  const gy = convGeometry(c.h, c.k, c.stride, c.padding);
  const gx = convGeometry(c.w, c.k, c.stride, c.padding);
  const n = gy.out * gx.out * c.cOut;
  const fixed = weights instanceof Int8Array ? 1 : 0;
  const { ptr, idx } = csr(spikes.length ? spikes : [[]]);
  const pIn = a.i32(ptr);
  const pIdx = a.i32(idx.length ? idx : [0]);
  const pAnalog = analog ? a.f32(analog) : 0;
  const pW = fixed ? a.i8(weights as Int8Array) : a.f32(weights);
  const nnz = rowNonZeros(weights, c.k * c.k * c.cIn, c.cOut);
  const pNnz = a.i32(nnz);
  const pBias = a.f32(bias);
  const pCur = a.take(n * 4);
  const pV = a.take(n * 4);
  const pAcc = a.take(n * 4);
  const pOut = a.take((steps + 1) * 4);
  const pOutIdx = a.take(n * steps * 4);
  const pSnap = a.i32(snaps);
  const pCnt = a.take(snaps.length * SNAP_COUNT * 8);
  const pVOut = a.take(snaps.length * n * 4);
  const pDeltas = deltas ? a.f32(deltas) : 0;
  k.deployConv(pIn, pIdx, pAnalog, c.h, c.w, c.cIn, gy.out, gx.out, c.cOut, c.k, c.stride, gy.padBefore, gx.padBefore, pW,
    fixed, delta, pNnz, pBias, pCur, pV, pAcc, vThresh, steps, 1000, pOut, pOutIdx, pSnap, snaps.length, pCnt, pVOut, pDeltas);
  const m = k.mem();
  const outSteps = m.i32.slice(pOut >>> 2, (pOut >>> 2) + steps + 1);
  return {
    v: m.f32.slice(pV >>> 2, (pV >>> 2) + n),
    outSteps,
    outIdx: m.i32.slice(pOutIdx >>> 2, (pOutIdx >>> 2) + outSteps[steps]!),
    counters: m.f64.slice(pCnt >>> 3, (pCnt >>> 3) + snaps.length * SNAP_COUNT),
  };
}

/** Gather-form convolution in f64: out(oy, ox, co) = sum over taps inside the input of x * w. */
function denseConv(c: ConvCase, x: ArrayLike<number>, w: ArrayLike<number>): Float64Array {
  const gy = convGeometry(c.h, c.k, c.stride, c.padding);
  const gx = convGeometry(c.w, c.k, c.stride, c.padding);
  const out = new Float64Array(gy.out * gx.out * c.cOut);
  for (let oy = 0; oy < gy.out; oy++) {
    for (let ox = 0; ox < gx.out; ox++) {
      for (let ky = 0; ky < c.k; ky++) {
        const iy = oy * c.stride - gy.padBefore + ky;
        if (iy < 0 || iy >= c.h) continue;
        for (let kx = 0; kx < c.k; kx++) {
          const ix = ox * c.stride - gx.padBefore + kx;
          if (ix < 0 || ix >= c.w) continue;
          for (let ci = 0; ci < c.cIn; ci++) {
            const xi = x[(iy * c.w + ix) * c.cIn + ci]!;
            if (xi === 0) continue;
            for (let co = 0; co < c.cOut; co++) {
              out[(oy * gx.out + ox) * c.cOut + co] += xi * w[((ky * c.k + kx) * c.cIn + ci) * c.cOut + co]!;
            }
          }
        }
      }
    }
  }
  return out;
}

/** Small integer weights (exact in f32 sums), about a quarter of them zero. */
function intWeights(rng: Rng, n: number): Float32Array {
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) w[i] = rng.nextFloat() < 0.25 ? 0 : Math.floor(rng.nextFloat() * 15) - 7;
  return w;
}

function randomSpikes(rng: Rng, n: number, p: number): number[] {
  const s: number[] = [];
  for (let i = 0; i < n; i++) if (rng.nextFloat() < p) s.push(i);
  return s;
}

// Every padding and stride the architectures use (3x3 'same', stride 1), plus the general cases:
// stride 2 with asymmetric 'same' padding on even and odd sizes, 'valid', explicit padding, 1x1, 5x5.
const CASES: ConvCase[] = [
  { h: 28, w: 28, cIn: 1, cOut: 8, k: 3, stride: 1, padding: 'same' },
  { h: 14, w: 14, cIn: 5, cOut: 16, k: 3, stride: 1, padding: 'same' },
  { h: 8, w: 8, cIn: 3, cOut: 6, k: 3, stride: 2, padding: 'same' },
  { h: 7, w: 9, cIn: 2, cOut: 5, k: 3, stride: 2, padding: 'same' },
  { h: 9, w: 7, cIn: 3, cOut: 4, k: 3, stride: 1, padding: 'valid' },
  { h: 10, w: 10, cIn: 2, cOut: 7, k: 5, stride: 2, padding: 2 },
  { h: 6, w: 6, cIn: 4, cOut: 9, k: 1, stride: 1, padding: 'valid' },
  { h: 11, w: 11, cIn: 1, cOut: 3, k: 4, stride: 3, padding: 'same' },
];

test('convGeometry matches tfjs output sizes and same-padding split', async () => {
  // uvu runs every test file in one process: put back the backend the earlier files left (none in a
  // fresh process), or the ConvNet tests after this file (deepstdp, deploy) silently train on the
  // pure-JS cpu backend (initBackend() returns its cached choice without re-selecting it), which made
  // deepstdp/run and deepstdp/train take ~3 and ~5 minutes in `npm test` instead of a few seconds.
  const previous: string | undefined = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    for (const c of CASES) {
      const x = tf.ones([1, c.h, c.w, 1]);
      const pad = typeof c.padding === 'number' ? [[0, 0], [c.padding, c.padding], [c.padding, c.padding], [0, 0]] as tf.backend_util.ExplicitPadding : c.padding;
      // Kernel with a single 1 at (0, 0): output(oy, ox) = input(oy*s - padTop, ox*s - padLeft), 0 in the padding.
      const kernel = tf.tensor4d(Array.from({ length: c.k * c.k }, (_, i) => (i === 0 ? 1 : 0)), [c.k, c.k, 1, 1]);
      const y = tf.conv2d(x as tf.Tensor4D, kernel, c.stride, pad);
      const gy = convGeometry(c.h, c.k, c.stride, c.padding);
      const gx = convGeometry(c.w, c.k, c.stride, c.padding);
      assert.equal(y.shape.slice(1, 3), [gy.out, gx.out], `${JSON.stringify(c)}`);
      const values = y.dataSync();
      for (let oy = 0; oy < gy.out; oy++) {
        for (let ox = 0; ox < gx.out; ox++) {
          const inside = oy * c.stride - gy.padBefore >= 0 && ox * c.stride - gx.padBefore >= 0 ? 1 : 0;
          assert.is(values[oy * gx.out + ox], inside, `${JSON.stringify(c)} at ${oy},${ox}`);
        }
      }
      tf.dispose([x, kernel, y]);
    }
  } finally {
    if (previous) await tf.setBackend(previous);
  }
});

test('event-driven conv of random spikes equals the dense convolution (f32 and fixed point)', () => {
  const rng = new Rng(7);
  for (const c of CASES) {
    const w = intWeights(rng, c.k * c.k * c.cIn * c.cOut);
    const nIn = c.h * c.w * c.cIn;
    for (const density of [0.05, 0.3, 1]) {
      const spikes = randomSpikes(rng, nIn, density);
      const x = new Float64Array(nIn);
      for (const i of spikes) x[i] = 1;
      const expected = denseConv(c, x, w);
      const bias = new Float32Array(expected.length);
      // A threshold no neuron reaches: after one step the membrane holds the propagated input.
      const f = runConv('reference', c, w, 1, bias, [spikes], 1e9);
      assert.equal(Array.from(f.v), Array.from(expected), `f32 ${JSON.stringify(c)} density ${density}`);
      const q = runConv('reference', c, Int8Array.from(w), 0.5, bias, [spikes], 1e9);
      assert.equal(Array.from(q.v), Array.from(expected, (e) => e * 0.5), `fixed ${JSON.stringify(c)} density ${density}`);
    }
  }
});

test('analog (constant current) input equals the dense convolution of the image', () => {
  const rng = new Rng(8);
  for (const c of CASES.slice(0, 4)) {
    const w = intWeights(rng, c.k * c.k * c.cIn * c.cOut);
    const nIn = c.h * c.w * c.cIn;
    // Pixel values in multiples of 1/8: exact products and sums in f32.
    const x = Float32Array.from({ length: nIn }, () => (rng.nextFloat() < 0.4 ? 0 : Math.floor(rng.nextFloat() * 9) / 8));
    const expected = denseConv(c, x, w);
    const bias = Float32Array.from({ length: expected.length }, () => Math.floor(rng.nextFloat() * 5) - 2);
    const r = runConv('reference', c, w, 1, bias, [], 1e9, x, 3);
    // Three steps of the same current: v = 3 * (conv + bias).
    assert.equal(Array.from(r.v), Array.from(expected, (e, j) => 3 * (e + bias[j]!)), JSON.stringify(c));
  }
});

test('synaptic events and row activations on hand-counted cases', () => {
  // 3x3 map, 1 channel, 3x3 kernel, 'same' padding, 2 output channels; one weight row all zero.
  const c: ConvCase = { h: 3, w: 3, cIn: 1, cOut: 2, k: 3, stride: 1, padding: 'same' };
  const w = new Float32Array(18).fill(1);
  w[4 * 2] = 0; // kernel tap (1, 1) has one zero weight (output channel 0)
  // Step 0: corner (0,0) reaches outputs (0,0),(0,1),(1,0),(1,1) through taps (1,1),(1,0),(0,1),(0,0): 4 rows,
  //   events 2+2+2 + 1 (tap (1,1) has one non-zero weight) = 7.
  // Step 1: centre (1,1) reaches all 9 outputs: 9 rows, 8 * 2 + 1 = 17 events.
  // Step 2: edge (0,1): 6 rows, 5 * 2 + 1 = 11 events. Step 3: silent.
  const spikes = [[0], [4], [1], []];
  const r = runConv('reference', c, w, 1, new Float32Array(18), spikes, 1e9, null, 4, [1, 2, 4]);
  const snap = (s: number, slot: number): number => r.counters[s * SNAP_COUNT + slot]!;
  assert.is(snap(0, SNAP_SYNAPTIC_EVENTS), 7);
  assert.is(snap(0, SNAP_ROW_ACTIVATIONS), 4);
  assert.is(snap(1, SNAP_SYNAPTIC_EVENTS), 7 + 17);
  assert.is(snap(1, SNAP_ROW_ACTIVATIONS), 4 + 9);
  assert.is(snap(2, SNAP_SYNAPTIC_EVENTS), 7 + 17 + 11);
  assert.is(snap(2, SNAP_ROW_ACTIVATIONS), 4 + 9 + 6);
  assert.is(snap(2, SNAP_INPUT_SPIKES), 3);
  assert.is(snap(2, SNAP_NEURON_UPDATES), 4 * 18);
  assert.is(snap(2, SNAP_STEPS_RUN), 4);
  assert.is(snap(2, SNAP_DENSE_OPS), 4 * 1000);
  assert.is(snap(2, SNAP_OUTPUT_SPIKES), 0);
});

test('integrate-and-fire: reset by subtraction, at most one spike per step, ascending output', () => {
  // 1x1 conv, 1 input channel, 3 outputs with weights 0.75, 1, 2.5; the input spikes every step.
  const c: ConvCase = { h: 1, w: 1, cIn: 1, cOut: 3, k: 1, stride: 1, padding: 'valid' };
  const w = Float32Array.from([0.75, 1, 2.5]);
  const r = runConv('reference', c, w, 1, new Float32Array(3), [[0], [0], [0], [0]], 1);
  // v0: 0.75 -> 1.5 (spike, 0.5) -> 1.25 (spike, 0.25) -> 1.0 (spike, 0): spikes at steps 1, 2, 3.
  // v1: 1 each step -> spike every step, v = 0.   v2: 2.5 -> spike, 1.5 -> 4.0 -> spike 3.0 -> ...
  assert.equal(Array.from(r.outSteps), [0, 2, 5, 8, 11]);
  assert.equal(Array.from(r.outIdx), [1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
  assert.equal(Array.from(r.v), [0, 0, 6]);
});

test('average pooling layer: targets, events and integration', () => {
  const k = createDeployKernels('reference');
  const a = new Arena(k);
  // 4x4x2 map, 2x2 windows stride 2 -> 2x2x2. Spikes at (0,0,c0), (1,1,c0), (3,2,c1) in step 0.
  const idx = [(0 * 4 + 0) * 2 + 0, (1 * 4 + 1) * 2 + 0, (3 * 4 + 2) * 2 + 1];
  const pIn = a.i32([0, 3]);
  const pIdx = a.i32(idx);
  const n = 8;
  const pCur = a.f32(new Float32Array(n));
  const pV = a.take(n * 4);
  const pAcc = a.take(n * 4);
  const pOut = a.take(8);
  const pOutIdx = a.take(n * 4);
  const pSnap = a.i32([1]);
  const pCnt = a.take(SNAP_COUNT * 8);
  k.deployAvgPool(pIn, pIdx, 4, 4, 2, 2, 2, 2, 2, 0.25, pCur, pV, pAcc, 0.4, 1, 32, pOut, pOutIdx, pSnap, 1, pCnt, 0);
  const m = k.mem();
  // Window (0,0) channel 0 got 0.5 -> spikes (0.5 >= 0.4), v = 0.1; window (1,1) channel 1 got 0.25.
  assert.equal(Array.from(m.i32.slice(pOutIdx >>> 2, (pOutIdx >>> 2) + m.i32[(pOut >>> 2) + 1]!)), [0]);
  const v = m.f32.slice(pV >>> 2, (pV >>> 2) + n);
  assert.is(v[0], Math.fround(Math.fround(0.5) - Math.fround(0.4)));
  assert.is(v[(1 * 2 + 1) * 2 + 1], 0.25);
  assert.is(m.f64[(pCnt >>> 3) + SNAP_SYNAPTIC_EVENTS], 3);
});

test('wasm (SIMD and scalar) == reference, bit for bit: multi-step conv, pooling, f32 and fixed point, analog input', () => {
  const rng = new Rng(11);
  for (const c of CASES) {
    const nW = c.k * c.k * c.cIn * c.cOut;
    const w = Float32Array.from({ length: nW }, () => (rng.nextFloat() < 0.2 ? 0 : (rng.nextFloat() - 0.45) * 0.7));
    const q = Int8Array.from({ length: nW }, () => Math.floor(rng.nextFloat() * 255) - 127);
    const gy = convGeometry(c.h, c.k, c.stride, c.padding);
    const gx = convGeometry(c.w, c.k, c.stride, c.padding);
    const n = gy.out * gx.out * c.cOut;
    const bias = Float32Array.from({ length: n }, () => (rng.nextFloat() - 0.5) * 0.1);
    const nIn = c.h * c.w * c.cIn;
    const spikes = Array.from({ length: 12 }, () => randomSpikes(rng, nIn, 0.2));
    const analog = Float32Array.from({ length: nIn }, () => (rng.nextFloat() < 0.5 ? 0 : rng.nextFloat()));
    const runs = (backend: Backend) => [
      runConv(backend, c, w, 1, bias, spikes, 0.8, null, 12, [3, 7, 12]),
      runConv(backend, c, q, 0.004, bias, spikes, 0.8, null, 12, [5, 12]),
      runConv(backend, c, w, 1, bias, [], 0.6, analog, 12, [12]),
      runConv(backend, c, q, 0.01, bias, [], 0.6, analog, 12, [4, 12]),
    ];
    const ref = runs('reference');
    for (const backend of BACKENDS.slice(1)) {
      const got = runs(backend);
      got.forEach((r, i) => {
        const what = `${backend} ${JSON.stringify(c)} run ${i}`;
        assert.equal(new Uint32Array(r.v.buffer), new Uint32Array(ref[i]!.v.buffer), `${what}: membranes`);
        assert.equal(r.outSteps, ref[i]!.outSteps, `${what}: spike steps`);
        assert.equal(r.outIdx, ref[i]!.outIdx, `${what}: spikes`);
        assert.equal(r.counters, ref[i]!.counters, `${what}: counters`);
      });
      assert.ok(ref.some((r) => r.outIdx.length > 0), 'the parity case produces spikes');
    }
  }
});

/** Per-output-channel deltas: powers of two (exact products) or random f32 values. */
function channelDeltas(rng: Rng, cOut: number, exact: boolean): Float32Array {
  return Float32Array.from({ length: cOut }, () => (exact ? 2 ** (Math.floor(rng.nextFloat() * 7) - 4) : 0.001 + rng.nextFloat() * 0.02));
}

test('per-channel deltas: each output channel of the event-driven conv is scaled by its own delta (spikes and analog input)', () => {
  const rng = new Rng(12);
  for (const c of CASES) {
    const w = intWeights(rng, c.k * c.k * c.cIn * c.cOut);
    const nIn = c.h * c.w * c.cIn;
    const deltas = channelDeltas(rng, c.cOut, true);
    const spikes = randomSpikes(rng, nIn, 0.3);
    const x = new Float64Array(nIn);
    for (const i of spikes) x[i] = 1;
    const expected = denseConv(c, x, w);
    const bias = new Float32Array(expected.length);
    // `delta` is ignored when per-channel deltas are given.
    const q = runConv('reference', c, Int8Array.from(w), 123, bias, [spikes], 1e9, null, 1, [1], deltas);
    assert.equal(Array.from(q.v), Array.from(expected, (e, j) => e * deltas[j % c.cOut]!), `spikes ${JSON.stringify(c)}`);
    // Analog input in multiples of 1/8, three steps of the same current: v = 3 * (conv * delta_c + bias).
    const a = Float32Array.from({ length: nIn }, () => (rng.nextFloat() < 0.4 ? 0 : Math.floor(rng.nextFloat() * 9) / 8));
    const ea = denseConv(c, a, w);
    const b = Float32Array.from({ length: ea.length }, () => Math.floor(rng.nextFloat() * 5) - 2);
    const r = runConv('reference', c, Int8Array.from(w), 123, b, [], 1e9, a, 3, [3], deltas);
    assert.equal(Array.from(r.v), Array.from(ea, (e, j) => 3 * (e * deltas[j % c.cOut]! + b[j]!)), `analog ${JSON.stringify(c)}`);
  }
});

test('per-channel deltas all equal to delta give exactly the one-delta results', () => {
  const rng = new Rng(13);
  for (const c of CASES) {
    const nW = c.k * c.k * c.cIn * c.cOut;
    const q = Int8Array.from({ length: nW }, () => Math.floor(rng.nextFloat() * 255) - 127);
    const gy = convGeometry(c.h, c.k, c.stride, c.padding);
    const gx = convGeometry(c.w, c.k, c.stride, c.padding);
    const n = gy.out * gx.out * c.cOut;
    const bias = Float32Array.from({ length: n }, () => (rng.nextFloat() - 0.5) * 0.1);
    const nIn = c.h * c.w * c.cIn;
    const spikes = Array.from({ length: 10 }, () => randomSpikes(rng, nIn, 0.2));
    const analog = Float32Array.from({ length: nIn }, () => (rng.nextFloat() < 0.5 ? 0 : rng.nextFloat()));
    const same = new Float32Array(c.cOut).fill(0.0037);
    for (const backend of BACKENDS) {
      for (const [sp, an] of [[spikes, null], [[], analog]] as const) {
        const one = runConv(backend, c, q, 0.0037, bias, sp as number[][], 0.7, an, 10, [4, 10]);
        const per = runConv(backend, c, q, 0.0037, bias, sp as number[][], 0.7, an, 10, [4, 10], same);
        const what = `${backend} ${JSON.stringify(c)} ${an ? 'analog' : 'spikes'}`;
        assert.equal(new Uint32Array(per.v.buffer), new Uint32Array(one.v.buffer), `${what}: membranes`);
        assert.equal(per.outIdx, one.outIdx, `${what}: spikes`);
        assert.equal(per.counters, one.counters, `${what}: counters`);
      }
    }
  }
});

test('wasm (SIMD and scalar) == reference, bit for bit, with per-channel deltas (spikes and analog input)', () => {
  const rng = new Rng(14);
  for (const c of CASES) {
    const nW = c.k * c.k * c.cIn * c.cOut;
    const q = Int8Array.from({ length: nW }, () => Math.floor(rng.nextFloat() * 255) - 127);
    const gy = convGeometry(c.h, c.k, c.stride, c.padding);
    const gx = convGeometry(c.w, c.k, c.stride, c.padding);
    const n = gy.out * gx.out * c.cOut;
    const bias = Float32Array.from({ length: n }, () => (rng.nextFloat() - 0.5) * 0.1);
    const nIn = c.h * c.w * c.cIn;
    const spikes = Array.from({ length: 12 }, () => randomSpikes(rng, nIn, 0.2));
    const analog = Float32Array.from({ length: nIn }, () => (rng.nextFloat() < 0.5 ? 0 : rng.nextFloat()));
    const deltas = channelDeltas(rng, c.cOut, false);
    const runs = (backend: Backend) => [
      runConv(backend, c, q, 0.004, bias, spikes, 0.8, null, 12, [5, 12], deltas),
      runConv(backend, c, q, 0.01, bias, [], 0.6, analog, 12, [4, 12], deltas),
    ];
    const ref = runs('reference');
    for (const backend of BACKENDS.slice(1)) {
      runs(backend).forEach((r, i) => {
        const what = `${backend} ${JSON.stringify(c)} per-channel run ${i}`;
        assert.equal(new Uint32Array(r.v.buffer), new Uint32Array(ref[i]!.v.buffer), `${what}: membranes`);
        assert.equal(r.outSteps, ref[i]!.outSteps, `${what}: spike steps`);
        assert.equal(r.outIdx, ref[i]!.outIdx, `${what}: spikes`);
        assert.equal(r.counters, ref[i]!.counters, `${what}: counters`);
      });
    }
    assert.ok(ref.every((r) => r.outIdx.length > 0), `the per-channel parity case ${JSON.stringify(c)} produces spikes`);
  }
});

test.run();
