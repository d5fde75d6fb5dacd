/**
 * Runner for "crossbar" scenarios: one core layer (nIn x nOut crossbar + LIF neurons) driven by Poisson
 * inputs at a uniform rate. A repetition presents `samples` samples of `steps` steps (plus `restSteps`
 * of closed-form rest) and reports the layer's counter deltas.
 */
import { createLayer, type Backend, type Counters, type Layer, type LayerConfig } from '../../src/core/layer.js';
import { diehlCookLayerConfig, diehlCookPreset } from '../../src/snn/presets/diehl-cook.js';
import type { PreparedRun, Runner, ScenarioParams } from '../harness.js';

export interface CrossbarParams {
  nIn: number;
  nOut: number;
  /** Fraction of synapses with a non-zero weight (Bernoulli mask, fixed per seed). */
  density: number;
  /** Poisson rate of every input (Hz). */
  rateHz: number;
  steps: number;
  restSteps: number;
  samples: number;
  dtMs: number;
  weightFormat: 'f32' | 'fixed';
  bits?: number;
  rounding?: 'nearest' | 'stochastic' | 'truncate';
  propagation: 'event' | 'dense';
  backend: Backend;
  learn: boolean;
  /**
   * 'silent': no neuron ever reaches threshold (synapses-only timing, as Brian2's SynapsesOnly).
   * 'diehl-cook': the Diehl & Cook preset's neurons, soft inhibition, STDP and normalisation.
   */
  neurons: 'silent' | 'diehl-cook';
  seed: number;
}

export const paramsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['nIn', 'nOut', 'density', 'rateHz', 'steps', 'samples', 'dtMs', 'weightFormat', 'propagation', 'backend', 'learn', 'neurons', 'seed'],
  properties: {
    nIn: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    nOut: { type: 'integer', minimum: 1, maximum: 100_000 },
    density: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    rateHz: { type: 'number', minimum: 0 },
    steps: { type: 'integer', minimum: 1 },
    restSteps: { type: 'integer', minimum: 0 },
    samples: { type: 'integer', minimum: 1 },
    dtMs: { type: 'number', exclusiveMinimum: 0 },
    weightFormat: { enum: ['f32', 'fixed'] },
    bits: { type: 'integer', minimum: 1, maximum: 8 },
    rounding: { enum: ['nearest', 'stochastic', 'truncate'] },
    propagation: { enum: ['event', 'dense'] },
    backend: { enum: ['wasm', 'wasm-scalar', 'reference'] },
    learn: { type: 'boolean' },
    neurons: { enum: ['silent', 'diehl-cook'] },
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
  },
  if: { properties: { weightFormat: { const: 'fixed' } } },
  then: { required: ['bits'] },
} as const;

/** splitmix32: a small deterministic generator for the initial weights and the mask (not the core's RNG). */
function maskRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

/**
 * Initial weights, row-major nIn x nOut: uniform in (0, initWeightMax] where the Bernoulli(density)
 * mask keeps a synapse, 0 elsewhere. Fixed point: the nearest level but at least level 1, so every
 * weight format has the same non-zero synapses (the same synaptic events per input spike) — without
 * that, 1-bit weights drawn below wMax / 2 would all round to 0.
 */
export function initialWeights(p: CrossbarParams, initWeightMax: number, wMax: number): { weights: Float32Array | Uint8Array; zeros: number } {
  const n = p.nIn * p.nOut;
  const rand = maskRandom(p.seed);
  const fixed = p.weightFormat === 'fixed';
  const qMax = fixed ? 2 ** p.bits! - 1 : 0;
  const weights = fixed ? new Uint8Array(n) : new Float32Array(n);
  let zeros = 0;
  for (let k = 0; k < n; k++) {
    const keep = p.density >= 1 || rand() < p.density;
    const w = (1 - rand()) * initWeightMax; // in (0, initWeightMax]
    if (!keep) {
      zeros++;
      continue;
    }
    weights[k] = fixed ? Math.min(qMax, Math.max(1, Math.round((w / wMax) * qMax))) : w;
  }
  return { weights, zeros };
}

export function layerConfig(p: CrossbarParams): { config: LayerConfig; initWeightMax: number } {
  const weightBits = p.weightFormat === 'f32' ? 0 : p.bits!;
  if (p.neurons === 'diehl-cook') {
    const preset = diehlCookPreset({ nNeurons: p.nOut, nInputs: p.nIn, weightBits, rounding: p.rounding ?? 'nearest' });
    const config = { ...diehlCookLayerConfig(preset, p.seed, p.backend), dt: p.dtMs, propagation: p.propagation, maxSteps: p.steps };
    return { config, initWeightMax: preset.initWeightMax };
  }
  const config: LayerConfig = {
    nIn: p.nIn,
    nOut: p.nOut,
    dt: p.dtMs,
    // Threshold out of reach: the neuron loop runs every step but never fires.
    neuron: { vRest: -65, vReset: -65, vThresh: 1e9, tauMembrane: 100 },
    weights: p.weightFormat === 'f32' ? { format: 'f32', wMax: 1 } : { format: 'fixed', bits: p.bits!, wMax: 1, rounding: p.rounding ?? 'nearest' },
    stdp: p.learn ? { rule: 'dc', etaPre: 1e-4, etaPost: 1e-2, xTar: 0, mu: 0, tauPre: 20, tauPost: 20, traceMode: 'reset' } : { rule: 'none' },
    propagation: p.propagation,
    seed: p.seed,
    backend: p.backend,
    maxSteps: p.steps,
  };
  return { config, initWeightMax: 1 };
}

function delta(after: Counters, before: Counters): Counters {
  const out = { ...after };
  for (const k of Object.keys(out) as (keyof Counters)[]) out[k] = after[k] - before[k];
  return out;
}

export const runner: Runner = {
  kind: 'crossbar',
  paramsSchema: paramsSchema as unknown as Record<string, unknown>,
  prepare(raw: ScenarioParams): PreparedRun {
    const p = { restSteps: 0, ...raw } as unknown as CrossbarParams;
    const { config, initWeightMax } = layerConfig(p);
    const layer: Layer = createLayer(config);
    const { weights, zeros } = initialWeights(p, initWeightMax, config.weights.wMax);
    if (weights instanceof Uint8Array) layer.setWeightLevels(weights);
    else layer.setWeights(weights);
    const connectionSparsity = zeros / (p.nIn * p.nOut);
    const rates = new Float32Array(p.nIn).fill(p.rateHz);
    const resetBetween = p.neurons === 'diehl-cook';
    let last: Counters | null = null;
    return {
      info: { backend: layer.backend, connectionSparsity },
      run: () => {
        const before = layer.counters();
        for (let s = 0; s < p.samples; s++) {
          if (resetBetween) layer.resetNeurons();
          layer.present({ steps: p.steps, rates, learn: p.learn, restSteps: p.restSteps });
        }
        const c = delta(layer.counters(), before);
        last = c;
        return {
          events: c.synapticEvents,
          neuronUpdates: c.neuronUpdates,
          samples: p.samples,
          extra: {
            inputSpikesPerSample: c.inputSpikes / p.samples,
            outputSpikesPerSample: c.outputSpikes / p.samples,
            weightWritesPerSample: c.weightWrites / p.samples,
          },
        };
      },
      workload: () => ({
        name: `bench crossbar ${p.nIn}x${p.nOut}`,
        samples: p.samples,
        timestepMs: p.dtMs,
        layers: [
          {
            name: 'crossbar',
            nIn: p.nIn,
            nOut: p.nOut,
            weightBits: p.weightFormat === 'f32' ? 0 : p.bits!,
            connectionSparsity,
            counters: last ?? layer.counters(),
          },
        ],
      }),
      dispose: () => layer.dispose(),
    };
  },
};
