import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { kernelMemoryMode, setKernelMemoryMode, type KernelMemoryMode } from '../../src/convnet/wasm-kernels.js';
import { maxRelativeError, onBackend, randomArray, useWasm } from './helpers.js';

// Every kernel of build/tfjs-kernels.wasm against tfjs's 'cpu' backend on the same inputs, with the
// kernels working in place on the tfjs heap ('shared') and on copies ('copy').
// Tolerance: f32 sums of up to a few thousand terms in a different order.
const TOL = 2e-5;
const MODES: KernelMemoryMode[] = ['shared', 'copy'];

test.before(async () => {
  await useWasm();
});
test.after(() => {
  setKernelMemoryMode(null);
});

test('the kernels share the tfjs heap by default', () => {
  setKernelMemoryMode(null);
  assert.is(kernelMemoryMode(), 'shared');
});

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;
interface ConvCase { n: number; h: number; w: number; ci: number; co: number; k: [number, number]; stride: [number, number]; pad: Pad }

const convCases: ConvCase[] = [
  { n: 2, h: 7, w: 9, ci: 3, co: 5, k: [3, 3], stride: [1, 1], pad: 'same' },
  { n: 2, h: 8, w: 8, ci: 4, co: 8, k: [3, 3], stride: [2, 2], pad: 'same' },
  { n: 1, h: 9, w: 7, ci: 5, co: 6, k: [3, 3], stride: [1, 1], pad: 'valid' },
  { n: 3, h: 10, w: 11, ci: 7, co: 9, k: [5, 5], stride: [2, 2], pad: 'valid' },
  { n: 2, h: 6, w: 7, ci: 2, co: 3, k: [3, 3], stride: [1, 1], pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
  { n: 2, h: 9, w: 8, ci: 6, co: 10, k: [3, 2], stride: [2, 1], pad: [[0, 0], [2, 0], [0, 1], [0, 0]] },
  { n: 2, h: 12, w: 12, ci: 32, co: 64, k: [3, 3], stride: [1, 1], pad: 'same' },
  { n: 3, h: 14, w: 13, ci: 1, co: 32, k: [3, 3], stride: [1, 1], pad: 'same' },
  { n: 1, h: 5, w: 5, ci: 1, co: 4, k: [1, 1], stride: [1, 1], pad: 'valid' },
  { n: 2, h: 9, w: 9, ci: 16, co: 12, k: [2, 2], stride: [2, 2], pad: 'same' },
  { n: 1, h: 11, w: 10, ci: 9, co: 7, k: [4, 3], stride: [3, 2], pad: 'same' },
];

function describe(c: ConvCase): string {
  return `x[${c.n},${c.h},${c.w},${c.ci}] k${c.k.join('x')} co${c.co} s${c.stride.join(',')} pad ${JSON.stringify(c.pad)}`;
}

function outShape(c: ConvCase): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo([c.n, c.h, c.w, c.ci], [c.k[0], c.k[1], c.ci, c.co], c.stride, 1, c.pad);
  return [c.n, info.outHeight, info.outWidth, c.co];
}

for (const mode of MODES) {
  test(`Conv2DBackpropFilter equals the cpu kernel over shapes, strides and paddings (${mode})`, async () => {
    setKernelMemoryMode(mode);
    for (const [i, c] of convCases.entries()) {
      const dyShape = outShape(c);
      const x = randomArray(10 + i, c.n * c.h * c.w * c.ci);
      const dy = randomArray(50 + i, dyShape.reduce((a, b) => a * b, 1));
      const filterShape = [c.k[0], c.k[1], c.ci, c.co];
      const run = () => (tf.engine().runKernel('Conv2DBackpropFilter', {
        x: tf.tensor4d(x, [c.n, c.h, c.w, c.ci]), dy: tf.tensor4d(dy, dyShape),
      }, { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync();
      const ours = await onBackend('wasm', run);
      const ref = await onBackend('cpu', run);
      assert.equal(ours.length, filterShape.reduce((a, b) => a * b, 1), describe(c));
      const err = maxRelativeError(ours, ref);
      assert.ok(err < TOL, `${describe(c)}: relative error ${err}`);
    }
  });
}

for (const mode of MODES) {
  test(`Conv2DBackpropInput equals the cpu kernel over shapes, strides and paddings (${mode})`, async () => {
    setKernelMemoryMode(mode);
    for (const [i, c] of convCases.entries()) {
      const dyShape = outShape(c);
      const w = randomArray(100 + i, c.k[0] * c.k[1] * c.ci * c.co);
      const dy = randomArray(150 + i, dyShape.reduce((a, b) => a * b, 1));
      const inputShape = [c.n, c.h, c.w, c.ci];
      const run = () => (tf.engine().runKernel('Conv2DBackpropInput', {
        dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(w, [c.k[0], c.k[1], c.ci, c.co]),
      }, { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync();
      const ours = await onBackend('wasm', run);
      const ref = await onBackend('cpu', run);
      assert.equal(ours.length, c.n * c.h * c.w * c.ci, describe(c));
      const err = maxRelativeError(ours, ref);
      assert.ok(err < TOL, `${describe(c)}: relative error ${err}`);
    }
  });
}

for (const mode of MODES) {
  test(`forward convolution (stride 1, bias, ReLU) equals the cpu conv2d (${mode})`, async () => {
    setKernelMemoryMode(mode);
    for (const [i, c] of convCases.entries()) {
      if (c.stride[0] !== 1 || c.stride[1] !== 1) continue;
      const x = randomArray(400 + i, c.n * c.h * c.w * c.ci);
      const w = randomArray(450 + i, c.k[0] * c.k[1] * c.ci * c.co);
      const b = randomArray(480 + i, c.co, 0.5);
      for (const relu of [false, true]) {
        const inputs = () => ({ x: tf.tensor4d(x, [c.n, c.h, c.w, c.ci]), filter: tf.tensor4d(w, [c.k[0], c.k[1], c.ci, c.co]), bias: tf.tensor1d(b) });
        const ours = await onBackend('wasm', () => (tf.engine().runKernel('DeepStdpConv2D', inputs(), { pad: c.pad, relu } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync());
        const ref = await onBackend('cpu', () => {
          const { x: xt, filter, bias } = inputs();
          const y = tf.add(tf.conv2d(xt, filter, 1, c.pad), bias);
          return (relu ? tf.relu(y) : y).dataSync();
        });
        const err = maxRelativeError(ours, ref);
        assert.ok(err < TOL, `${describe(c)} relu=${relu}: relative error ${err}`);
      }
    }
  });
}

test('Conv2DBackpropFilter matches a finite-difference gradient', async () => {
  // d/dW of L = sum(conv2d(x, W) * r) is Conv2DBackpropFilter(x, r); check a few entries by
  // central differences in f64-accumulated cpu arithmetic.
  const c: ConvCase = { n: 1, h: 5, w: 6, ci: 3, co: 2, k: [3, 3], stride: [2, 1], pad: 'same' };
  const dyShape = outShape(c);
  const x = randomArray(7, c.n * c.h * c.w * c.ci);
  const r = randomArray(8, dyShape.reduce((a, b) => a * b, 1));
  const w0 = randomArray(9, 3 * 3 * 3 * 2);
  const grad = await onBackend('wasm', () => (tf.engine().runKernel('Conv2DBackpropFilter', {
    x: tf.tensor4d(x, [1, 5, 6, 3]), dy: tf.tensor4d(r, dyShape),
  }, { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: [3, 3, 3, 2] } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync());
  const loss = (w: Float32Array): number => {
    // Direct evaluation in f64 of sum over outputs of r * conv.
    const info = tf.backend_util.computeConv2DInfo([1, 5, 6, 3], [3, 3, 3, 2], c.stride, 1, c.pad);
    let total = 0;
    for (let o = 0; o < info.outHeight; o++) for (let q = 0; q < info.outWidth; q++) for (let k = 0; k < 2; k++) {
      let acc = 0;
      for (let fh = 0; fh < 3; fh++) for (let fw = 0; fw < 3; fw++) {
        const i = o * 2 + fh - info.padInfo.top;
        const j = q + fw - info.padInfo.left;
        if (i < 0 || i >= 5 || j < 0 || j >= 6) continue;
        for (let ch = 0; ch < 3; ch++) acc += x[(i * 6 + j) * 3 + ch]! * w[((fh * 3 + fw) * 3 + ch) * 2 + k]!;
      }
      total += acc * r[(o * info.outWidth + q) * 2 + k]!;
    }
    return total;
  };
  for (const idx of [0, 5, 17, 30, 53]) {
    const eps = 1e-2;
    const plus = Float32Array.from(w0);
    const minus = Float32Array.from(w0);
    plus[idx]! += eps;
    minus[idx]! -= eps;
    const fd = (loss(plus) - loss(minus)) / (2 * eps);
    assert.ok(Math.abs(fd - grad[idx]!) < 1e-3 * (1 + Math.abs(fd)), `entry ${idx}: finite difference ${fd}, kernel ${grad[idx]}`);
  }
});

for (const mode of MODES) {
  test(`MaxPoolGrad equals the cpu kernel (overlapping, padded, channel tails) (${mode})`, async () => {
    setKernelMemoryMode(mode);
    const cases: Array<{ shape: [number, number, number, number]; size: number; stride: number; pad: 'same' | 'valid' }> = [
      { shape: [2, 8, 8, 8], size: 2, stride: 2, pad: 'valid' },
      { shape: [2, 7, 9, 5], size: 2, stride: 2, pad: 'valid' },
      { shape: [1, 9, 9, 6], size: 3, stride: 2, pad: 'same' },
      { shape: [2, 6, 5, 3], size: 2, stride: 1, pad: 'valid' },
      { shape: [1, 5, 7, 13], size: 3, stride: 1, pad: 'same' },
    ];
    for (const [i, c] of cases.entries()) {
      const x = randomArray(200 + i, c.shape.reduce((a, b) => a * b, 1));
      const info = tf.backend_util.computePool2DInfo(c.shape, c.size, c.stride, 1, c.pad);
      const dyShape = [c.shape[0], info.outHeight, info.outWidth, c.shape[3]];
      const dy = randomArray(300 + i, dyShape.reduce((a, b) => a * b, 1));
      const run = () => {
        const xt = tf.tensor4d(x, c.shape);
        const y = tf.maxPool(xt, c.size, c.stride, c.pad);
        return (tf.engine().runKernel('MaxPoolGrad', { dy: tf.tensor4d(dy, dyShape as [number, number, number, number]), input: xt, output: y }, {
          filterSize: c.size, strides: c.stride, pad: c.pad,
        } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync();
      };
      const ours = await onBackend('wasm', run);
      const ref = await onBackend('cpu', run);
      const err = maxRelativeError(ours, ref);
      assert.ok(err < 1e-6, `maxpool ${JSON.stringify(c)}: relative error ${err}`);
    }
  });
}

for (const mode of MODES) {
  test(`AvgPoolGrad equals the cpu kernel (${mode})`, async () => {
    setKernelMemoryMode(mode);
    const cases: Array<{ shape: [number, number, number, number]; size: number; stride: number; pad: 'same' | 'valid' }> = [
      { shape: [2, 8, 8, 8], size: 2, stride: 2, pad: 'valid' },
      { shape: [2, 7, 9, 5], size: 2, stride: 2, pad: 'valid' },
      { shape: [1, 9, 9, 6], size: 3, stride: 2, pad: 'same' },
      { shape: [1, 5, 7, 13], size: 3, stride: 1, pad: 'same' },
    ];
    for (const [i, c] of cases.entries()) {
      const info = tf.backend_util.computePool2DInfo(c.shape, c.size, c.stride, 1, c.pad);
      const dyShape: [number, number, number, number] = [c.shape[0], info.outHeight, info.outWidth, c.shape[3]];
      const dy = randomArray(500 + i, dyShape.reduce((a, b) => a * b, 1));
      const run = () => (tf.engine().runKernel('AvgPoolGrad', { dy: tf.tensor4d(dy, dyShape), input: tf.zeros(c.shape) }, {
        filterSize: c.size, strides: c.stride, pad: c.pad,
      } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync();
      const ours = await onBackend('wasm', run);
      const ref = await onBackend('cpu', run);
      const err = maxRelativeError(ours, ref);
      assert.ok(err < 1e-6, `avgpool ${JSON.stringify(c)}: relative error ${err}`);
    }
  });
}

test.run();
