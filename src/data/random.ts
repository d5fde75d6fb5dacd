import { ValidationError } from '../errors.js';

/**
 * Seeded pseudo-random numbers for the host side (dataset subsets, synthetic data, k-means
 * initialisation, reseeding, samplers, shuffles). Generator: xoshiro128** (Blackman & Vigna), 128-bit
 * state, period 2^128 - 1, seeded through SplitMix32 so that nearby seeds give unrelated streams.
 *
 * This is not the core's counter-based RNG (which must be bit-identical between the TypeScript
 * reference and the WASM kernels); it is a sequential generator whose state can be saved in a
 * checkpoint (`getState` / `Rng.fromState`) so that a resumed run draws the same numbers.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed`: any safe integer (negative and > 2^32 allowed: both 32-bit halves are mixed in). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new ValidationError('seed', seed, 'a safe integer');
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    let x = (lo ^ Math.imul(hi, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      x = (x + GOLDEN_GAMMA) >>> 0;
      return mix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** Restores a generator from `getState()` (e.g. from a checkpoint). */
  static fromState(state: readonly number[]): Rng {
    if (
      !Array.isArray(state) ||
      state.length !== 4 ||
      !state.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff) ||
      state.every((v) => v === 0)
    ) {
      throw new ValidationError('rng.state', state, 'four unsigned 32-bit integers, not all zero');
    }
    const rng = new Rng(0);
    [rng.s0, rng.s1, rng.s2, rng.s3] = state as [number, number, number, number];
    return rng;
  }

  /** The full state as four unsigned 32-bit integers (JSON-serialisable). */
  getState(): [number, number, number, number] {
    // The words are kept as int32 between draws (cheaper); the state is given as unsigned.
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits (two draws). */
  nextFloat(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling); n in [1, 2^32]. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
      throw new ValidationError('n', n, 'an integer in [1, 2^32]');
    }
    if (n === 4294967296) return this.nextUint32();
    const limit = 4294967296 - (4294967296 % n); // largest multiple of n that fits in 32 bits
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  /** Standard normal deviate (Box-Muller; one value per call, no hidden cached state). */
  nextNormal(): number {
    let u = 0;
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** In-place Fisher-Yates shuffle; returns the same array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /**
   * `m` distinct indices from 0..n-1, uniformly without replacement, in random order
   * (partial Fisher-Yates over a fresh 0..n-1 array).
   */
  sampleWithoutReplacement(n: number, m: number): Int32Array {
    if (!Number.isInteger(m) || m < 0 || m > n) throw new ValidationError('m', m, `an integer in [0, ${n}]`);
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = 0; i < m; i++) {
      const j = i + this.nextInt(n - i);
      const tmp = p[i]!;
      p[i] = p[j]!;
      p[j] = tmp;
    }
    return p.slice(0, m);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** SplitMix32's increment (2^32 / golden ratio). */
export const GOLDEN_GAMMA = 0x9e3779b9;

/** SplitMix32's finaliser (Vigna's 32-bit variant of SplitMix64's): a well-mixed unsigned 32-bit value of `z`. */
export function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seed for an independent sub-stream, derived from a base seed and labels (numbers or strings),
 * e.g. `deriveSeed(seed, 'kmeans', epoch)`. Stable across runs and platforms (32-bit FNV-1a over the
 * parts, then a SplitMix32 finaliser).
 */
export function deriveSeed(seed: number, ...parts: (number | string)[]): number {
  if (!Number.isSafeInteger(seed)) throw new ValidationError('seed', seed, 'a safe integer');
  let h = 0x811c9dc5;
  const mix = (byte: number): void => {
    h = Math.imul(h ^ (byte & 0xff), 0x01000193);
  };
  const mixUint32 = (v: number): void => {
    mix(v);
    mix(v >>> 8);
    mix(v >>> 16);
    mix(v >>> 24);
  };
  mixUint32(seed >>> 0);
  mixUint32(Math.floor(seed / 4294967296) >>> 0);
  for (const part of parts) {
    if (typeof part === 'number') {
      if (!Number.isSafeInteger(part)) throw new ValidationError('seed part', part, 'a safe integer or a string');
      mix(0x01);
      mixUint32(part >>> 0);
      mixUint32(Math.floor(part / 4294967296) >>> 0);
    } else {
      mix(0x02);
      for (let i = 0; i < part.length; i++) mixUint32(part.charCodeAt(i));
      mix(0x03);
    }
  }
  return mix32(h);
}
