// Twin of assembly/rng.ts: counter-based lowbias32 hashing with 32-bit wrapping arithmetic.

const GOLDEN = 0x9e3779b9;
const INDEX_MUL = 0x85ebca6b;

export function lowbias32(x: number): number {
  x >>>= 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

export function stepKey(seed: number, stream: number, step: number): number {
  return lowbias32(lowbias32(seed ^ Math.imul(stream, GOLDEN)) ^ step);
}

export function hashAt(key: number, index: number): number {
  return lowbias32(key ^ Math.imul(index, INDEX_MUL));
}

/** Uniform in [0, 1) with 24 bits (exact in f32). */
export function uniform24(h: number): number {
  return (h >>> 8) * (1 / 16777216);
}

/** hash(seed, stream, step, index) -> u32. */
export function hash(seed: number, stream: number, step: number, index: number): number {
  return hashAt(stepKey(seed, stream, step), index);
}
