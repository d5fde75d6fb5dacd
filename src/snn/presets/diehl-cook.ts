import { ValidationError, requireFinite, requireInteger, requireOneOf, requirePositive } from '../../errors.js';
import type { Backend, LayerConfig, NeuronConfig, StdpConfig, WeightConfig } from '../../core/layer.js';

/**
 * The Diehl & Cook (2015) MNIST network as a preset on the core: nInputs Poisson inputs, nNeurons
 * excitatory LIF neurons with an adaptive threshold, the inhibitory population folded into direct
 * lateral inhibition, Diehl & Cook STDP on the input weights and per-neuron weight normalisation.
 *
 * Diehl & Cook's neurons are conductance-based; the core is current-based. The values below are the
 * paper's where they carry over unchanged (time constants, resting/threshold/reset potentials, theta
 * increment and decay, presentation and rest times, input rates, retry rule, normalisation sum) and
 * were tuned on the core where the model differs (input gain, inhibition, learning rates). Each
 * choice and its reason is in docs/stdp-mnist.md.
 */
export interface DiehlCookPreset {
  name: string;
  nInputs: number;
  nNeurons: number;
  /** Simulation step (ms). */
  dtMs: number;
  /** Presentation time of one sample (ms). */
  presentMs: number;
  /** Silent rest after each presentation (ms), advanced in closed form. */
  restMs: number;
  /** Input rate of a full-intensity pixel (Hz): rate = pixel / 255 * maxRateHz. */
  maxRateHz: number;
  /** Retry rule: a sample that drives fewer than `minSpikes` output spikes is shown again ... */
  minSpikes: number;
  /** ... with the full-intensity rate raised by `retryRateStepHz` per retry ... */
  retryRateStepHz: number;
  /** ... at most this many times (the last presentation counts whatever it gives). */
  maxRetries: number;
  /** Initial weights are uniform in [0, initWeightMax] before the first normalisation. */
  initWeightMax: number;
  /** Membrane, synaptic current and traces are reset to rest before every presentation (theta is kept). */
  resetBetweenSamples: boolean;
  neuron: NeuronConfig;
  weights: WeightConfig;
  stdp: StdpConfig;
  inhibition: { mode: 'none' | 'soft' | 'hard'; strength: number };
  /** Sum of every neuron's incoming weights after normalisation (78 for 784 inputs, as in D&C). */
  columnSum: number;
}

/** Options a caller may change on the preset (everything else follows from these). */
export interface DiehlCookOptions {
  nNeurons?: number;
  nInputs?: number;
  /** 'f32' (default) or fixed point with 1..8 bits. */
  weightBits?: number;
  rounding?: 'nearest' | 'stochastic' | 'truncate';
  /** Fixed point: round every update ('per-update', default) or each sample's change once ('per-sample'). */
  commit?: 'per-update' | 'per-sample';
  overrides?: Partial<Omit<DiehlCookPreset, 'nInputs' | 'nNeurons'>>;
}

export const DIEHL_COOK_NAME = 'diehl-cook-2015';

/** Number of steps of one presentation, of its rest and the per-step spike probability limit check. */
export function presentSteps(p: DiehlCookPreset): number {
  return Math.round(p.presentMs / p.dtMs);
}

export function restSteps(p: DiehlCookPreset): number {
  return Math.round(p.restMs / p.dtMs);
}

/** Full-intensity input rate (Hz) of presentation `retry` (0 = the first). */
export function maxRateAt(p: DiehlCookPreset, retry: number): number {
  return p.maxRateHz + retry * p.retryRateStepHz;
}

/**
 * Threshold increment per spike (mV): Diehl & Cook's 0.05 mV up to 100 neurons, scaled in proportion
 * to the neuron count above that. At a given number of output spikes per sample each neuron fires
 * 1/nNeurons of them, so with a fixed increment theta's level (increment x firing rate x tauTheta)
 * falls as the network grows; the scaling keeps the thresholds, and with them the integration time
 * that decides each sample's winner, at the level that works for 100 neurons (measured on 400
 * neurons: 87.95 % with 0.05 mV, 88.4 % with 0.1 mV, 89.46 % with 0.2 mV; docs/stdp-mnist.md). Small
 * networks keep 0.05 mV: their neurons fire often, and a smaller increment would make the homeostasis
 * too slow to stop one neuron from winning everything early on.
 */
export function thetaPlusFor(nNeurons: number): number {
  return 0.05 * Math.max(1, nNeurons / 100);
}

/**
 * The preset for `nNeurons` excitatory neurons and `nInputs` inputs (default 784 = 28 x 28).
 * The normalisation sum scales with the input count: 0.1 per input (D&C's 78 for 784 inputs).
 */
export function diehlCookPreset(options: DiehlCookOptions = {}): DiehlCookPreset {
  const nNeurons = requireInteger('neurons', options.nNeurons ?? 100, 1, 100_000);
  const nInputs = requireInteger('inputs', options.nInputs ?? 784, 1, 1_000_000);
  const bits = options.weightBits ?? 0;
  requireInteger('weight bits', bits, 0, 8);
  const rounding = requireOneOf('rounding', options.rounding ?? 'nearest', ['nearest', 'stochastic', 'truncate'] as const);
  const commit = requireOneOf('commit', options.commit ?? 'per-update', ['per-update', 'per-sample'] as const);
  if (bits === 0 && commit === 'per-sample') throw new ValidationError('commit', commit, "'per-update' with f32 weights (per-sample commit applies to fixed-point weights)");
  // The default commit is left out so presets (and the fingerprints built from them) stay as they were.
  const weights: WeightConfig = bits === 0
    ? { format: 'f32', wMax: 1 }
    : { format: 'fixed', bits, wMax: 1, rounding, ...(commit === 'per-sample' ? { commit } : {}) };
  const base: DiehlCookPreset = {
    name: DIEHL_COOK_NAME,
    nInputs,
    nNeurons,
    dtMs: 0.5,
    presentMs: 350,
    restMs: 150,
    maxRateHz: 63.75,
    minSpikes: 5,
    retryRateStepHz: 31.875,
    maxRetries: 10,
    initWeightMax: 0.3,
    resetBetweenSamples: true,
    neuron: {
      vRest: -65,
      vReset: -65,
      vThresh: -52,
      vMin: -100,
      reset: 'to-reset',
      tauMembrane: 100,
      tauSynaptic: 0,
      inputGain: 0.55,
      iBias: 0,
      refractorySteps: 10,
      thetaPlus: thetaPlusFor(nNeurons),
      tauTheta: 1e7,
      thetaInit: 0,
    },
    weights,
    stdp: { rule: 'dc', etaPre: 1e-4, etaPost: 1e-2, xTar: 0, mu: 0, tauPre: 20, tauPost: 20, traceMode: 'reset' },
    inhibition: { mode: 'soft', strength: 250 },
    columnSum: nInputs === 784 ? 78 : 0.1 * nInputs,
  };
  const preset: DiehlCookPreset = { ...base, ...(options.overrides ?? {}), nInputs, nNeurons };
  return validatePreset(preset);
}

/** Checks the preset's own fields (the layer checks the rest when it is built). */
export function validatePreset(p: DiehlCookPreset): DiehlCookPreset {
  requirePositive('preset.dtMs', p.dtMs);
  requirePositive('preset.presentMs', p.presentMs);
  requireFinite('preset.restMs', p.restMs, 0);
  requirePositive('preset.maxRateHz', p.maxRateHz);
  requireInteger('preset.minSpikes', p.minSpikes, 0);
  requireFinite('preset.retryRateStepHz', p.retryRateStepHz, 0);
  requireInteger('preset.maxRetries', p.maxRetries, 0, 1000);
  requireFinite('preset.initWeightMax', p.initWeightMax, 0, p.weights.wMax);
  requirePositive('preset.columnSum', p.columnSum);
  const maxRate = maxRateAt(p, p.maxRetries);
  if ((maxRate * p.dtMs) / 1000 > 1) {
    throw new ValidationError('preset.maxRetries', p.maxRetries, `a count whose highest rate (${maxRate} Hz) keeps rate * dt <= 1`);
  }
  for (const [field, ms] of [['presentMs', p.presentMs], ['restMs', p.restMs]] as const) {
    const steps = ms / p.dtMs;
    if (Math.abs(steps - Math.round(steps)) > 1e-9) {
      throw new ValidationError(`preset.${field}`, ms, `a whole number of steps of dtMs = ${p.dtMs}`);
    }
  }
  return p;
}

/** The core layer configuration of the preset. */
export function diehlCookLayerConfig(p: DiehlCookPreset, seed: number, backend?: Backend): LayerConfig {
  return {
    nIn: p.nInputs,
    nOut: p.nNeurons,
    dt: p.dtMs,
    neuron: { ...p.neuron },
    weights: { ...p.weights },
    stdp: { ...p.stdp },
    inhibition: { ...p.inhibition },
    normalise: { columnSum: p.columnSum },
    propagation: 'event',
    seed,
    ...(backend ? { backend } : {}),
    maxSteps: presentSteps(p),
  };
}

/**
 * Fills `out` with the input rates (Hz) of one image for presentation `retry`:
 * pixel / 255 * (maxRateHz + retry * retryRateStepHz) for u8 images, pixel * (...) for f32 in [0, 1].
 */
export function pixelRates(
  p: DiehlCookPreset,
  pixels: Uint8Array | Float32Array,
  offset: number,
  retry: number,
  out: Float32Array,
): Float32Array {
  const scale = maxRateAt(p, retry) / (pixels instanceof Uint8Array ? 255 : 1);
  const n = p.nInputs;
  for (let i = 0; i < n; i++) out[i] = pixels[offset + i] * scale;
  return out;
}
