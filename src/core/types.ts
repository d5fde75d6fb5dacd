/** Public types of the core's layer API (re-exported by layer.ts and src/index.ts). Units: ms, mV, Hz. */
import type { Counters } from './counters.js';
import type { Backend } from './engine.js';

export type { Backend };

export interface NeuronConfig {
  /** Resting potential (mV). */
  vRest: number;
  /** Potential after a spike in 'to-reset' mode (mV). */
  vReset: number;
  /** Base threshold (mV); the effective threshold is vThresh + theta. */
  vThresh: number;
  /** Floor for membranes pushed down by inhibition (mV); default -Infinity. */
  vMin?: number;
  /** 'to-reset' (v = vReset, default) or 'subtract' (v -= vThresh + theta). */
  reset?: 'to-reset' | 'subtract';
  /** Membrane time constant (ms); Infinity = no leak (integrate-and-fire). */
  tauMembrane: number;
  /** Synaptic current time constant (ms); 0 = instantaneous (default). */
  tauSynaptic?: number;
  /** mV added to the membrane per unit of (synaptic current + bias) per step; default 1. */
  inputGain?: number;
  /** Constant bias current (weight units); default 0. */
  iBias?: number;
  /** Steps a neuron is held after a spike; default 0. */
  refractorySteps?: number;
  /** Threshold increase per spike (mV) while adaptation is on; default 0. */
  thetaPlus?: number;
  /** Theta decay time constant (ms); default Infinity (no decay). */
  tauTheta?: number;
  /** Initial theta (mV); default 0. */
  thetaInit?: number;
}

export interface WeightConfig {
  /** 'f32' or unsigned 'fixed' point with `bits` = 1..8 (levels 0..2^bits-1 mapped linearly onto [0, wMax]). */
  format: 'f32' | 'fixed';
  bits?: number;
  /** Upper bound of the weights (lower bound 0). */
  wMax: number;
  /** Rounding of fixed-point updates; default 'nearest'. */
  rounding?: 'nearest' | 'stochastic' | 'truncate';
  /**
   * Fixed point only: 'per-update' (default) rounds every STDP and normalisation change as it happens;
   * 'per-sample' learns in f32 during a sample and rounds each changed weight once after it (docs/core.md).
   */
  commit?: 'per-update' | 'per-sample';
}

export type StdpConfig =
  | { rule: 'none' }
  | {
      rule: 'dc';
      etaPre: number;
      etaPost: number;
      xTar: number;
      mu: number;
      tauPre: number;
      tauPost: number;
      traceMode?: 'additive' | 'reset';
    }
  | {
      rule: 'pair';
      aPlus: number;
      aMinus: number;
      tauPlus: number;
      tauMinus: number;
      multiplicative?: boolean;
      traceMode?: 'additive' | 'reset';
    };

export interface InhibitionConfig {
  mode: 'none' | 'soft' | 'hard';
  /** mV pushed off every other neuron per output spike (soft) or per step with a winner (hard). */
  strength: number;
}

export interface LayerConfig {
  nIn: number;
  nOut: number;
  /** Time step (ms). */
  dt: number;
  neuron: NeuronConfig;
  weights: WeightConfig;
  stdp: StdpConfig;
  inhibition?: InhibitionConfig;
  /** Scale every neuron's incoming weights to sum to columnSum after each learning sample. */
  normalise?: { columnSum: number } | null;
  /** 'event' (default): a spike adds its row; 'dense': a matrix-vector product every step. */
  propagation?: 'event' | 'dense';
  /** Seed of the counter-based RNG (integer in [0, 2^32)). */
  seed: number;
  backend?: Backend;
  /** Steps per sample the per-sample buffers are first sized for (grown on demand); default 1000. */
  maxSteps?: number;
}

export interface SampleInput {
  /** Steps to run (0 allowed). */
  steps: number;
  /** Poisson (or regular) rates in Hz, one per input. */
  rates?: Float32Array | ArrayLike<number>;
  /** Deterministic rate code instead of Poisson. */
  regular?: boolean;
  /** Explicit input: for each input, the steps (0-based, < steps) at which it spikes. */
  spikeSteps?: ArrayLike<ArrayLike<number>>;
  /** STDP on (default false). */
  learn?: boolean;
  /** Theta adaptation on (default = learn). */
  adapt?: boolean;
  /** Silent steps after the sample, advanced in closed form (default 0). */
  restSteps?: number;
}

export interface SampleResult {
  /** Output spikes per neuron in this sample. */
  spikeCounts: Uint32Array;
  /** Step (0-based within the sample) of every output spike, in time order. */
  spikeSteps: Int32Array;
  /** Neuron of every output spike (same order as spikeSteps; ascending within a step). */
  spikeNeurons: Int32Array;
  totalSpikes: number;
}

export interface LayerState {
  format: 'deep-stdp-layer-state';
  version: number;
  config: LayerConfig;
  /** RNG position: steps run + skipped since creation, mod 2^32. */
  globalStep: number;
  counters: Counters;
  /** f32 weights, row-major nIn x nOut (f32 format), else null. */
  weights: Float32Array | null;
  /** Fixed-point levels, row-major nIn x nOut (fixed format), else null. */
  weightLevels: Uint8Array | null;
  theta: Float32Array;
  membrane: Float32Array;
  synapticCurrent: Float32Array;
  refractory: Int32Array;
  /** Pre traces at the inputs' last spikes, and those steps (global, mod 2^32). */
  preTrace: Float32Array;
  preTraceStep: Uint32Array;
  /** Post traces at the neurons' last spikes, and those steps. */
  postTrace: Float32Array;
  postTraceStep: Uint32Array;
  /** 1 for columns with STDP updates since the last normalisation (those the next one rescales). */
  dirtyColumns: Uint8Array;
}
