import type { Backend } from '../core/layer.js';
import { addCounters, zeroCounters, type Counters } from '../core/counters.js';
import type { DiehlCookPreset } from './presets/diehl-cook.js';
import { WtaNetwork } from './wta-network.js';

/** The frozen state a response pass runs on (what a worker needs to rebuild the network). */
export interface FrozenNetwork {
  preset: DiehlCookPreset;
  seed: number;
  backend?: Backend;
  /** f32 weights (f32 format) or null. */
  weights: Float32Array | null;
  /** Fixed-point weight levels (fixed format) or null. */
  weightLevels: Uint8Array | null;
  theta: Float32Array;
}

/** Totals of a response pass besides the responses themselves. */
export interface PassStats {
  samples: number;
  /** Output spikes of the counted presentations. */
  spikes: number;
  presentations: number;
  counters: Counters;
}

/** Builds a network holding the frozen weights and thresholds. */
export function rebuildNetwork(frozen: FrozenNetwork): WtaNetwork {
  const net = new WtaNetwork(frozen.preset, frozen.seed, frozen.backend);
  if (frozen.weightLevels) net.layer.setWeightLevels(frozen.weightLevels);
  else if (frozen.weights) net.layer.setWeights(frozen.weights);
  net.layer.setTheta(frozen.theta);
  net.resetCounters();
  return net;
}

/** Snapshot of a network's frozen state (copies). */
export function freezeNetwork(net: WtaNetwork): FrozenNetwork {
  const levels = net.layer.getWeightLevels();
  return {
    preset: net.preset,
    seed: net.seed,
    backend: net.backend,
    weights: levels ? null : net.layer.getWeights(),
    weightLevels: levels,
    theta: Float32Array.from(net.layer.getTheta()),
  };
}

/**
 * Responses of samples [start, end) in this thread: spike counts go to
 * `responses[(s - start + outOffset) * nNeurons ...]`, sample s uses RNG key `keyBase + s`.
 */
export function respondRange(
  net: WtaNetwork,
  images: Uint8Array | Float32Array,
  start: number,
  end: number,
  keyBase: number,
  responses: Uint32Array,
  outOffset: number,
): { spikes: number; presentations: number } {
  const nIn = net.preset.nInputs;
  const nOut = net.preset.nNeurons;
  const row = new Uint32Array(nOut);
  let spikes = 0;
  let presentations = 0;
  for (let s = start; s < end; s++) {
    const r = net.respond(images, s * nIn, keyBase + s, row);
    responses.set(row, (s - start + outOffset) * nOut);
    spikes += r.spikes;
    presentations += r.presentations;
  }
  return { spikes, presentations };
}

/** Single-thread response pass over every image (the reference the worker pool must reproduce). */
export function responsePassSync(
  frozen: FrozenNetwork,
  images: Uint8Array | Float32Array,
  keyBase: number,
  onProgress?: (done: number) => void,
): { responses: Uint32Array; stats: PassStats } {
  const nIn = frozen.preset.nInputs;
  const nOut = frozen.preset.nNeurons;
  const n = Math.floor(images.length / nIn);
  const responses = new Uint32Array(n * nOut);
  const net = rebuildNetwork(frozen);
  try {
    let spikes = 0;
    let presentations = 0;
    const chunk = 256;
    for (let s = 0; s < n; s += chunk) {
      const end = Math.min(n, s + chunk);
      const r = respondRange(net, images, s, end, keyBase, responses, s);
      spikes += r.spikes;
      presentations += r.presentations;
      onProgress?.(end);
    }
    return { responses, stats: { samples: n, spikes, presentations, counters: addCounters(zeroCounters(), net.counters()) } };
  } finally {
    net.dispose();
  }
}
