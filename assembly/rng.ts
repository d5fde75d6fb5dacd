// Counter-based random numbers: hash(seed, stream, step, index) -> u32, built from the 32-bit
// lowbias32 mixer (Wellons). No state is carried between draws, so any draw can be recomputed and the
// TypeScript twin (src/core/reference/rng.ts) gives the same bits with Math.imul.

const GOLDEN: u32 = 0x9e3779b9;
const INDEX_MUL: u32 = 0x85ebca6b;

// @ts-ignore: decorator
@inline
export function lowbias32(x: u32): u32 {
  x ^= x >>> 16;
  x *= 0x7feb352d;
  x ^= x >>> 15;
  x *= 0x846ca68b;
  x ^= x >>> 16;
  return x;
}

/** Key of one (seed, stream, step): computed once per step, then mixed with each index. */
// @ts-ignore: decorator
@inline
export function stepKey(seed: u32, stream: u32, step: u32): u32 {
  return lowbias32(lowbias32(seed ^ (stream * GOLDEN)) ^ step);
}

/** The draw for `index` under a step key. */
// @ts-ignore: decorator
@inline
export function hashAt(key: u32, index: u32): u32 {
  return lowbias32(key ^ (index * INDEX_MUL));
}

/** Uniform in [0, 1) with 24 bits, exact in f32. */
// @ts-ignore: decorator
@inline
export function uniform24(h: u32): f32 {
  return <f32>(h >>> 8) * (1.0 / 16777216.0);
}
