import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/convnet/backend.js';
import { Rng } from '../../src/convnet/random.js';

/** Initialises the wasm backend (with this project's kernels) and makes it current. */
export async function useWasm(): Promise<void> {
  await initBackend('wasm');
  await tf.setBackend('wasm');
}

/** Runs fn on the named backend and returns its plain-array result; restores the previous backend. */
export async function onBackend<T>(name: 'wasm' | 'cpu', fn: () => T): Promise<T> {
  const previous = tf.getBackend();
  await tf.setBackend(name);
  try {
    return tf.tidy(fn as () => tf.TensorContainer) as T;
  } finally {
    await tf.setBackend(previous);
  }
}

export function randomArray(seed: number, n: number, scale = 1): Float32Array {
  const rng = new Rng(seed, 'test');
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rng.uniform() * 2 - 1) * scale;
  return out;
}

/** Largest |a - b| relative to the largest |b| (plus a floor for all-zero references). */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

/** A separable synthetic image task: class k has a bright vertical bar at column band k. */
export function barImages(count: number, classes: number, size = 28, seed = 1): {
  images: { pixels: Float32Array; count: number; shape: [number, number, number] };
  labels: Int32Array;
} {
  const rng = new Rng(seed, 'bars');
  const pixels = new Float32Array(count * size * size);
  const labels = new Int32Array(count);
  const band = Math.floor(size / classes);
  for (let i = 0; i < count; i++) {
    const k = i % classes;
    labels[i] = k;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const on = c >= k * band && c < (k + 1) * band ? 1 : 0;
        pixels[(i * size + r) * size + c] = on * 0.8 + rng.uniform() * 0.2;
      }
    }
  }
  return { images: { pixels, count, shape: [size, size, 1] }, labels };
}
