/**
 * Seeded random numbers for weight initialisation, independent of the tfjs backend so the same seed
 * gives the same initial weights on tensorflow, wasm and cpu. Each parameter draws from its own
 * stream, derived from (seed, parameter name), so adding a layer never shifts another layer's draws.
 */
import { GOLDEN_GAMMA, mix32, Rng as Xoshiro } from '../data/random.js';

/** 32-bit FNV-1a of a string. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The data module's xoshiro128** generator, seeded from (seed, stream) by chained SplitMix32 steps,
 * with normals that keep Box-Muller's second value for the next call. Both differ from data's Rng on
 * purpose: existing initial weights depend on them.
 */
export class Rng {
  private readonly xoshiro: Xoshiro;
  private spare: number | null = null;

  constructor(seed: number, stream = '') {
    const state: number[] = [];
    let x = (Math.trunc(seed) ^ hashString(stream)) >>> 0;
    for (let i = 0; i < 4; i++) {
      x = mix32((x + GOLDEN_GAMMA) >>> 0);
      state.push(x);
    }
    if (!state.some((v) => v !== 0)) state[0] = 1; // the all-zero state is a fixed point
    this.xoshiro = Xoshiro.fromState(state);
  }

  nextUint32(): number {
    return this.xoshiro.nextUint32();
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    return this.xoshiro.nextFloat();
  }

  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/** `count` draws from N(0, std^2) on the stream (seed, name). */
export function normalArray(seed: number, name: string, count: number, std: number): Float32Array {
  const rng = new Rng(seed, name);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.normal() * std;
  return out;
}
