import { createLayer, type Backend, type Layer, type LayerConfig } from '../../src/core/layer.js';

export const BACKENDS: Backend[] = ['reference', 'wasm-scalar', 'wasm'];

/** Raw bits of an f32 array, for bit-identity checks. */
export function bits(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

export function layerOn(backend: Backend, config: Omit<LayerConfig, 'backend'>): Layer {
  return createLayer({ ...config, backend });
}

/** A one-neuron probe: every input spike makes the neuron fire in the same step (no leak memory, no refractory). */
export function probeConfig(nIn: number, seed: number): LayerConfig {
  return {
    nIn,
    nOut: 1,
    dt: 1,
    seed,
    neuron: { vRest: 0, vReset: 0, vThresh: 0.5, tauMembrane: 0.01, inputGain: 1 },
    weights: { format: 'f32', wMax: 1 },
    stdp: { rule: 'none' },
  };
}

/** Explicit spike lists from (input, step) pairs. */
export function spikeLists(nIn: number, events: [number, number][]): number[][] {
  const lists: number[][] = Array.from({ length: nIn }, () => []);
  for (const [i, t] of events) lists[i].push(t);
  return lists;
}

/** Deterministic small PRNG for building random test cases (not the core's RNG). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Units in the last place of an f32 value. */
export function ulp32(x: number): number {
  const a = Math.abs(Math.fround(x));
  if (a === 0) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}
