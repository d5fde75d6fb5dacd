// The dense deployment kernel (assembly/spiking-dense.ts and its twin) with per-output-neuron deltas:
// each output scaled by its own delta, and wasm (SIMD, scalar) == reference bit for bit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDeployKernels, type Backend } from '../../src/deploy/kernels.js';
import { rowNonZeros } from '../../src/deploy/quantize.js';
import { SNAP_COUNT } from '../../src/core/reference/spiking-dense.js';
import { Rng } from '../../src/data/random.js';

interface DenseRun {
  v: Float32Array;
  outSteps: Int32Array;
  outIdx: Int32Array;
  counters: Float64Array;
}

function runDense(
  backend: Backend, nIn: number, nOut: number, levels: Int8Array, delta: number, deltas: Float32Array | null,
  bias: Float32Array, spikes: number[][], vThresh: number, snaps: number[],
): DenseRun {
  const k = createDeployKernels(backend);
  let at = Math.ceil(k.base / 16) * 16;
  const take = (bytes: number): number => {
    const p = at;
    at = Math.ceil((at + bytes) / 16) * 16;
    k.reserve(at);
    return p;
  };
  const steps = spikes.length;
  const ptr = [0];
  const idx: number[] = [];
  for (const s of spikes) {
    idx.push(...s);
    ptr.push(idx.length);
  }
  const pIn = take(ptr.length * 4);
  const pIdx = take(Math.max(1, idx.length) * 4);
  const pW = take(levels.length);
  const pNnz = take(nIn * 4);
  const pCur = take(nOut * 4);
  const pV = take(nOut * 4);
  const pAcc = take(nOut * 4);
  const pOut = take((steps + 1) * 4);
  const pOutIdx = take(nOut * steps * 4);
  const pSnap = take(snaps.length * 4);
  const pCnt = take(snaps.length * SNAP_COUNT * 8);
  const pVOut = take(snaps.length * nOut * 4);
  const pDeltas = deltas ? take(deltas.length * 4) : 0;
  const m = k.mem();
  m.i32.set(ptr, pIn >>> 2);
  m.i32.set(idx, pIdx >>> 2);
  m.u8.set(new Uint8Array(levels.buffer, levels.byteOffset, levels.length), pW);
  m.i32.set(rowNonZeros(levels, nIn, nOut), pNnz >>> 2);
  m.f32.set(bias, pCur >>> 2);
  m.i32.set(snaps, pSnap >>> 2);
  if (deltas) m.f32.set(deltas, pDeltas >>> 2);
  k.deployDense(pIn, pIdx, nIn, nOut, pW, 1, delta, pNnz, pCur, pV, pAcc, vThresh, steps, pOut, pOutIdx, pSnap, snaps.length,
    pCnt, pVOut, pDeltas);
  const mm = k.mem();
  const outSteps = mm.i32.slice(pOut >>> 2, (pOut >>> 2) + steps + 1);
  return {
    v: mm.f32.slice(pV >>> 2, (pV >>> 2) + nOut),
    outSteps,
    outIdx: mm.i32.slice(pOutIdx >>> 2, (pOutIdx >>> 2) + outSteps[steps]!),
    counters: mm.f64.slice(pCnt >>> 3, (pCnt >>> 3) + snaps.length * SNAP_COUNT),
  };
}

const SIZES: [number, number][] = [[5, 1], [7, 3], [9, 4], [12, 10], [20, 17], [33, 64]];

test('per-neuron deltas scale each output neuron of the dense layer by its own delta', () => {
  const rng = new Rng(21);
  for (const [nIn, nOut] of SIZES) {
    const levels = Int8Array.from({ length: nIn * nOut }, () => Math.floor(rng.nextFloat() * 15) - 7);
    const deltas = Float32Array.from({ length: nOut }, () => 2 ** (Math.floor(rng.nextFloat() * 7) - 4));
    const spikes = [Array.from({ length: nIn }, (_, i) => i).filter(() => rng.nextFloat() < 0.5)];
    const r = runDense('reference', nIn, nOut, levels, 99, deltas, new Float32Array(nOut), spikes, 1e9, [1]);
    const expected = Array.from({ length: nOut }, (_, j) => {
      let sum = 0;
      for (const i of spikes[0]!) sum += levels[i * nOut + j]!;
      return sum * deltas[j]!;
    });
    assert.equal(Array.from(r.v), expected, `${nIn} x ${nOut}`);
  }
});

test('dense with per-neuron deltas: wasm (SIMD and scalar) == reference bit for bit', () => {
  const rng = new Rng(22);
  for (const [nIn, nOut] of SIZES) {
    const levels = Int8Array.from({ length: nIn * nOut }, () => Math.floor(rng.nextFloat() * 255) - 127);
    const deltas = Float32Array.from({ length: nOut }, () => 0.001 + rng.nextFloat() * 0.02);
    const bias = Float32Array.from({ length: nOut }, () => (rng.nextFloat() - 0.3) * 0.2);
    const spikes = Array.from({ length: 15 }, () => Array.from({ length: nIn }, (_, i) => i).filter(() => rng.nextFloat() < 0.3));
    const ref = runDense('reference', nIn, nOut, levels, 0.01, deltas, bias, spikes, 0.5, [6, 15]);
    assert.ok(ref.outIdx.length > 0, `${nIn} x ${nOut} spikes`);
    for (const backend of ['wasm', 'wasm-scalar'] as const) {
      const got = runDense(backend, nIn, nOut, levels, 0.01, deltas, bias, spikes, 0.5, [6, 15]);
      const what = `${backend} ${nIn} x ${nOut}`;
      assert.equal(new Uint32Array(got.v.buffer), new Uint32Array(ref.v.buffer), `${what}: membranes`);
      assert.equal(got.outSteps, ref.outSteps, `${what}: spike steps`);
      assert.equal(got.outIdx, ref.outIdx, `${what}: spikes`);
      assert.equal(got.counters, ref.counters, `${what}: counters`);
    }
    // Deltas all equal to delta: the one-delta path, exactly.
    const same = new Float32Array(nOut).fill(0.01);
    for (const backend of ['reference', 'wasm', 'wasm-scalar'] as const) {
      const one = runDense(backend, nIn, nOut, levels, 0.01, null, bias, spikes, 0.5, [6, 15]);
      const per = runDense(backend, nIn, nOut, levels, 0.01, same, bias, spikes, 0.5, [6, 15]);
      assert.equal(new Uint32Array(per.v.buffer), new Uint32Array(one.v.buffer), `${backend} ${nIn} x ${nOut} same deltas`);
      assert.equal(per.outIdx, one.outIdx);
    }
  }
});

test.run();
