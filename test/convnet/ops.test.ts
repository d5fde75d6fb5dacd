import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { batchNormInfer, batchNormTrain, conv2d, dense } from '../../src/convnet/ops.js';
import { maxRelativeError, onBackend, randomArray, useWasm } from './helpers.js';

// The layer ops run this project's kernels on wasm and plain tfjs ops on cpu: values and gradients
// must agree.

test.before(async () => {
  await useWasm();
});

/** Value of f and gradients of sum(f * r) with respect to the listed inputs, as arrays. */
function valueAndGrads(
  f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Array<[Float32Array, number[]]>, r: Float32Array,
): Float32Array[] {
  const xs = inputs.map(([v, s]) => tf.tensor(v, s));
  const y = f(...xs);
  const grads = tf.grads((...as: tf.Tensor[]) => tf.sum(tf.mul(f(...as), tf.tensor(r, y.shape))))(xs);
  return [y.dataSync() as Float32Array, ...grads.map((g) => g.dataSync() as Float32Array)];
}

async function compare(label: string, f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Array<[Float32Array, number[]]>, outSize: number, tol = 3e-5): Promise<void> {
  const r = randomArray(99, outSize);
  const ours = await onBackend('wasm', () => valueAndGrads(f, inputs, r));
  const ref = await onBackend('cpu', () => valueAndGrads(f, inputs, r));
  ours.forEach((a, i) => {
    const err = maxRelativeError(a, ref[i]!);
    assert.ok(err < tol, `${label}: ${i === 0 ? 'value' : `gradient ${i - 1}`} relative error ${err}`);
  });
}

test('conv2d op (bias + ReLU, bias only, neither): value and gradients match cpu', async () => {
  // 9 input channels: the stride-1 forward runs in DeepStdpConv2D; 3 channels and stride 2 in
  // tfjs's FusedConv2D. The backward passes always run in this project's kernels on wasm.
  for (const ci of [9, 3]) {
    const x: [Float32Array, number[]] = [randomArray(1, 2 * 9 * 7 * ci), [2, 9, 7, ci]];
    const k: [Float32Array, number[]] = [randomArray(2, 3 * 3 * ci * 6), [3, 3, ci, 6]];
    const b: [Float32Array, number[]] = [randomArray(3, 6, 0.3), [6]];
    for (const relu of [true, false]) {
      await compare(`conv ci=${ci} relu=${relu} bias`, (xs, ks, bs) => conv2d(xs as tf.Tensor4D, ks as tf.Tensor4D, bs as tf.Tensor1D, {
        stride: 1, padding: 'same', relu, inputGradient: true,
      }), [x, k, b], 2 * 9 * 7 * 6);
      await compare(`conv ci=${ci} relu=${relu} no bias`, (xs, ks) => conv2d(xs as tf.Tensor4D, ks as tf.Tensor4D, null, {
        stride: 2, padding: 1, relu, inputGradient: true,
      }), [x, k], 2 * 5 * 4 * 6);
    }
  }
});

test('dense op: value and gradients match cpu', async () => {
  for (const relu of [true, false]) {
    await compare(`dense relu=${relu}`, (xs, ws, bs) => dense(xs as tf.Tensor2D, ws as tf.Tensor2D, bs as tf.Tensor1D, relu),
      [[randomArray(4, 6 * 13), [6, 13]], [randomArray(5, 13 * 7), [13, 7]], [randomArray(6, 7), [7]]], 6 * 7);
  }
});

function bnState(c: number) {
  return {
    gamma: tf.variable(tf.tensor1d(randomArray(7, c, 0.5).map((v) => v + 1))),
    beta: tf.variable(tf.tensor1d(randomArray(8, c, 0.5))),
    movingMean: tf.variable(tf.zeros([c]), false),
    movingVariance: tf.variable(tf.ones([c]), false),
  };
}

test('batch norm (training mode, with and without ReLU): value, gradients and running statistics match cpu', async () => {
  const shape = [4, 5, 3, 6];
  const size = 4 * 5 * 3 * 6;
  const xv = randomArray(9, size, 2).map((v, i) => v + (i % 6));
  for (const relu of [false, true]) {
    const r = randomArray(10, size);
    const run = () => {
      const state = bnState(6);
      const x = tf.tensor(xv, shape);
      const f = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        batchNormTrain(xs, { ...state, gamma: g as tf.Variable, beta: b as tf.Variable }, { epsilon: 1e-5, momentum: 0.1, relu }, false);
      const y = f(x, state.gamma, state.beta);
      const grads = tf.grads((xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(xs, g, b), tf.tensor(r, shape))))([x, state.gamma, state.beta]);
      batchNormTrain(x, state, { epsilon: 1e-5, momentum: 0.1, relu }, true);
      const out = [y.dataSync(), ...grads.map((g) => g.dataSync()), state.movingMean.dataSync(), state.movingVariance.dataSync()] as Float32Array[];
      Object.values(state).forEach((v) => v.dispose());
      return out;
    };
    const ours = await onBackend('wasm', run);
    const ref = await onBackend('cpu', run);
    const names = ['value', 'dx', 'dgamma', 'dbeta', 'movingMean', 'movingVariance'];
    ours.forEach((a, i) => {
      const err = maxRelativeError(a, ref[i]!);
      assert.ok(err < 5e-5, `bn relu=${relu} ${names[i]}: relative error ${err}`);
    });
  }
});

test('batch norm running statistics follow PyTorch (biased normalisation, unbiased running variance)', async () => {
  const values = new Float32Array([1, 2, 3, 6]); // one channel, 4 rows: mean 3, biased var 3.5, unbiased 14/3
  const [mean, variance] = await onBackend('wasm', () => {
    const state = { gamma: tf.variable(tf.ones([1])), beta: tf.variable(tf.zeros([1])), movingMean: tf.variable(tf.zeros([1]), false), movingVariance: tf.variable(tf.ones([1]), false) };
    batchNormTrain(tf.tensor(values, [4, 1]), state, { epsilon: 1e-5, momentum: 0.1, relu: false }, true);
    const out = [state.movingMean.dataSync()[0]!, state.movingVariance.dataSync()[0]!];
    Object.values(state).forEach((v) => v.dispose());
    return out;
  });
  assert.ok(Math.abs(mean! - 0.3) < 1e-6, `running mean ${mean}`);
  assert.ok(Math.abs(variance! - (0.9 + 0.1 * 14 / 3)) < 1e-6, `running variance ${variance}`);
});

test('batch norm inference: kernel path equals the differentiable path', async () => {
  const xv = randomArray(11, 3 * 4 * 4 * 5, 3);
  for (const relu of [false, true]) {
    const [fast, slow] = await onBackend('wasm', () => {
      const state = bnState(5);
      tf.tidy(() => { state.movingMean.assign(tf.tensor1d(randomArray(12, 5))); state.movingVariance.assign(tf.tensor1d(randomArray(13, 5).map((v) => v + 1.5))); });
      const x = tf.tensor(xv, [3, 4, 4, 5]);
      const opts = { epsilon: 1e-5, momentum: 0.1, relu };
      const out = [batchNormInfer(x, state, opts, false).dataSync(), batchNormInfer(x, state, opts, true).dataSync()] as Float32Array[];
      Object.values(state).forEach((v) => v.dispose());
      return out;
    });
    assert.ok(maxRelativeError(fast!, slow!) < 1e-6, `relu=${relu}`);
  }
});

test.run();
