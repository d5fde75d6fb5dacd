// Random layer configurations and inputs shared by the parity and propagation tests.
import { BACKENDS, bits, layerOn, mulberry32 } from './helpers.js';
import type { Layer, LayerConfig, SampleInput, SampleResult, StdpConfig, WeightConfig } from '../../src/core/layer.js';

export type Rnd = () => number;
export const pick = <T>(r: Rnd, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
export const uni = (r: Rnd, lo: number, hi: number): number => lo + (hi - lo) * r();

export function randomConfig(r: Rnd, weights: WeightConfig, rule: 'none' | 'dc' | 'pair', mode: 'none' | 'soft' | 'hard', seed: number) {
  const nIn = 1 + Math.floor(r() * 40);
  const nOut = 1 + Math.floor(r() * 40);
  const traceMode = pick(r, ['additive', 'reset'] as const);
  let stdp: StdpConfig = { rule: 'none' };
  if (rule === 'dc') {
    stdp = {
      rule, traceMode, etaPre: uni(r, 0, 0.02), etaPost: uni(r, 0, 0.2), xTar: pick(r, [0, 0.2, 0.5]),
      mu: pick(r, [0, 1, 0.3, 2.5]), tauPre: uni(r, 2, 40), tauPost: uni(r, 2, 40),
    };
  } else if (rule === 'pair') {
    stdp = {
      rule, traceMode, aPlus: uni(r, 0, 0.1), aMinus: uni(r, 0, 0.1), tauPlus: uni(r, 2, 40), tauMinus: uni(r, 2, 40),
      multiplicative: r() < 0.5,
    };
  }
  const config: Omit<LayerConfig, 'backend'> = {
    nIn,
    nOut,
    dt: pick(r, [0.25, 0.5, 1]),
    seed,
    neuron: {
      vRest: -65,
      vReset: pick(r, [-65, -70]),
      vThresh: -52 + uni(r, -3, 3),
      vMin: pick(r, [-Infinity, -90]),
      reset: pick(r, ['to-reset', 'subtract'] as const),
      tauMembrane: pick(r, [Infinity, 10, 100]),
      tauSynaptic: pick(r, [0, 0, 2, 5]),
      inputGain: uni(r, 2, 12),
      iBias: pick(r, [0, 0, 0.3]),
      refractorySteps: Math.floor(r() * 6),
      thetaPlus: pick(r, [0, 0.05, 1]),
      tauTheta: pick(r, [Infinity, 50, 1e7]),
      thetaInit: pick(r, [0, 1]),
    },
    weights,
    stdp,
    inhibition: { mode, strength: pick(r, [0, 2, 15]) },
    normalise: r() < 0.5 ? { columnSum: uni(r, 0.5, 0.4 * nIn + 0.5) } : null,
    propagation: r() < 0.25 ? 'dense' : 'event',
  };
  return config;
}

export function randomInput(r: Rnd, nIn: number, dt: number): SampleInput {
  const steps = 20 + Math.floor(r() * 120);
  const learn = r() < 0.7;
  const base: SampleInput = { steps, learn, restSteps: pick(r, [0, 0, 7, 150]) };
  if (r() < 0.2) base.adapt = !learn;
  const kind = r();
  const maxRate = 1000 / dt;
  if (kind < 0.6) return { ...base, rates: Float32Array.from({ length: nIn }, () => (r() < 0.3 ? 0 : uni(r, 0, 0.4 * maxRate))) };
  if (kind < 0.8) return { ...base, regular: true, rates: Float32Array.from({ length: nIn }, () => uni(r, 0, maxRate)) };
  return {
    ...base,
    spikeSteps: Array.from({ length: nIn }, () => Array.from(new Set(Array.from({ length: Math.floor(r() * 12) }, () => Math.floor(r() * steps))))),
  };
}

export function snapshot(layer: Layer, results: SampleResult[]) {
  const s = layer.toState();
  return {
    spikes: results.map((x) => [Array.from(x.spikeSteps), Array.from(x.spikeNeurons), Array.from(x.spikeCounts)]),
    weights: bits(layer.getWeights()),
    levels: layer.getWeightLevels() ? Array.from(layer.getWeightLevels()!) : null,
    membrane: bits(s.membrane),
    theta: bits(s.theta),
    current: bits(s.synapticCurrent),
    refractory: Array.from(s.refractory),
    preTrace: bits(s.preTrace),
    preTraceStep: Array.from(s.preTraceStep),
    postTrace: bits(s.postTrace),
    postTraceStep: Array.from(s.postTraceStep),
    dirty: Array.from(s.dirtyColumns),
    counters: layer.counters(),
    globalStep: layer.globalStep,
  };
}

export function runOn(config: Omit<LayerConfig, 'backend'>, inputSeed: number) {
  return BACKENDS.map((backend) => {
    const layer = layerOn(backend, config);
    layer.initWeightsUniform(0, config.weights.wMax * 0.8);
    const r = mulberry32(inputSeed);
    const results: SampleResult[] = [];
    for (let k = 0; k < 3; k++) {
      results.push(layer.present(randomInput(r, config.nIn, config.dt)));
      if (k === 1 && config.normalise && r() < 0.5) layer.normalise();
      if (k === 1 && r() < 0.3) layer.rest(1 + Math.floor(r() * 40), r() < 0.5);
    }
    return { backend, snap: snapshot(layer, results) };
  });
}

export const FORMATS: WeightConfig[] = [{ format: 'f32', wMax: 1 }];
for (let b = 1; b <= 8; b++) {
  for (const rounding of ['nearest', 'stochastic', 'truncate'] as const) FORMATS.push({ format: 'fixed', bits: b, wMax: 1, rounding });
}

/** Fixed-point stores with per-sample commit (f32 working weights rounded to levels after each learning sample). */
export const COMMIT_FORMATS: WeightConfig[] = [];
for (let b = 1; b <= 8; b++) {
  for (const rounding of ['nearest', 'stochastic', 'truncate'] as const) COMMIT_FORMATS.push({ format: 'fixed', bits: b, wMax: 1, rounding, commit: 'per-sample' });
}
