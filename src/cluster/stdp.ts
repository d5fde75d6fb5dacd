import type { Backend, LayerState } from '../core/layer.js';
import { addCounters, zeroCounters, type Counters } from '../core/counters.js';
import { ValidationError, requireFinite, requireInteger, requireOneOf, requirePositive } from '../errors.js';
import { Rng, deriveSeed } from '../data/random.js';
import { diehlCookPreset, type DiehlCookPreset } from '../snn/presets/diehl-cook.js';
import { WtaNetwork } from '../snn/wta-network.js';
import { rebuildNetwork, type FrozenNetwork } from '../snn/response-pass.js';
import { responsePass } from '../snn/eval-pool.js';
import { KMEANS_SPLIT_EPS } from './kmeans.js';
import { validateFeatures, type FeatureMatrix } from './features.js';

/**
 * Clustering with the core's winner-take-all STDP layer (the Deep-STDP step that replaces k-means).
 *
 *   encode:   each feature row x (d values, signed) becomes 2d non-negative input intensities,
 *             ON channel i = max(x_i, 0) / m, OFF channel d + i = max(-x_i, 0) / m, m = max_j |x_j|;
 *             an input fires Poisson spikes at intensity x maxRateHz
 *   network:  the Diehl & Cook preset on the core with nInputs = 2d and k excitatory neurons
 *             (adaptive threshold, lateral inhibition, D&C STDP, per-neuron weight normalisation,
 *             retry rule), freshly initialised for every call
 *   learn:    every sample once (seeded random order) with STDP and threshold adaptation on
 *   freeze:   every sample again with learning and adaptation off; the pseudo-label is the neuron with
 *             the most spikes; ties go to the tied neuron with the largest synaptic drive
 *             sum_i w_ij * intensity_i, then to the lower index. A sample that stays silent through
 *             every retry is labelled by the same drive rule over all neurons (counted as fallbacks).
 *   reseed:   a neuron that wins no sample is reseeded by DeepCluster's rule (faiss split_clusters):
 *             a donor neuron is accepted with probability (size - 1) / (n - k), its weights and
 *             threshold are copied with the symmetric 1 +- 1/1024 perturbation (even inputs x (1 + eps)
 *             for the copy, x (1 - eps) for the donor, odd inputs the other way round); a learning pass
 *             over the donors' samples lets each pair divide them, and the frozen pass runs again;
 *             up to `reseedRounds` rounds.
 *
 * Every random draw is keyed by `seed`, so a call is reproducible (and independent of thread count:
 * frozen samples run on the worker pool with per-sample random keys). Choices and their reasons:
 * docs/deep-stdp.md.
 */
export interface StdpClusterParams {
  /** Full-intensity input rate (Hz); the strongest channel of every sample fires at this rate. */
  maxRateHz: number;
  /** Presentation time (ms) and silent rest after it (ms, closed form). */
  presentMs: number;
  restMs: number;
  /** Simulation step (ms). */
  dtMs: number;
  /** Adaptive-threshold increment per spike (mV) and its decay time constant (ms). */
  thetaPlusMv: number;
  tauThetaMs: number;
  /** Lateral inhibition (mV pushed off every other neuron per output spike). */
  inhibitionMv: number;
  /** mV per unit weight per input spike. */
  inputGain: number;
  /** D&C STDP: depression per pre spike (x post trace) and potentiation per post spike (x pre trace). */
  etaPre: number;
  etaPost: number;
  /** Every neuron's incoming weights are rescaled to columnSumPerInput x nInputs after each sample. */
  columnSumPerInput: number;
  /** Retry rule: fewer than minSpikes output spikes -> present again at a rate raised by maxRateHz / 2, at most maxRetries times. */
  minSpikes: number;
  maxRetries: number;
  /** 'random': D&C uniform weights; 'samples': each neuron starts from a random sample's intensities. */
  init: 'random' | 'samples';
  /** Passes over the data with learning on. */
  learningPasses: number;
  /** Rounds of dead-neuron reseeding (each one reruns the frozen pass). */
  reseedRounds: number;
}

export const STDP_CLUSTER_DEFAULTS: StdpClusterParams = {
  maxRateHz: 255,
  presentMs: 350,
  restMs: 150,
  dtMs: 0.5,
  thetaPlusMv: 0.005,
  tauThetaMs: 1e6,
  inhibitionMv: 40,
  inputGain: 1.1,
  etaPre: 1e-5,
  etaPost: 1e-3,
  columnSumPerInput: 0.1,
  minSpikes: 5,
  maxRetries: 10,
  init: 'random',
  learningPasses: 1,
  reseedRounds: 3,
};

export interface StdpClusterOptions extends Partial<StdpClusterParams> {
  k: number;
  seed: number;
  backend?: Backend;
  /** Worker threads of the frozen pass (1 = this thread). Default 1. */
  threads?: number;
  onProgress?: (phase: 'learn' | 'frozen', done: number, total: number) => void;
  signal?: AbortSignal;
}

/** A trained clustering layer: what assigns new samples (e.g. the held-out set) to its clusters. */
export interface StdpClusterModel {
  k: number;
  /** Feature dimension d (the layer has 2d inputs). */
  dims: number;
  params: StdpClusterParams;
  frozen: FrozenNetwork;
}

export interface StdpPassStats {
  samples: number;
  presentations: number;
  spikes: number;
  seconds: number;
  counters: Counters;
}

export interface StdpClusterResult {
  k: number;
  assignments: Int32Array;
  clusterSizes: Int32Array;
  /** Clusters still empty after the reseeding rounds. */
  emptyClusters: number;
  /** Dead neurons after the first frozen pass (before any reseeding). */
  deadBeforeReseed: number;
  /** Total neuron reseeds over all rounds. */
  reseeded: number;
  reseedRounds: number;
  /** Samples whose winner was decided by the drive rule because they stayed silent. */
  fallbackSamples: number;
  /** Samples whose top spike count was shared by several neurons. */
  tiedSamples: number;
  /** Mean output spikes per sample in the final frozen pass. */
  spikesPerSample: number;
  learn: StdpPassStats;
  /** All frozen passes together (the first and one per reseeding round). */
  frozen: StdpPassStats;
  /** Learning plus frozen passes: the on-chip work of one clustering. */
  counters: Counters;
  model: StdpClusterModel;
}

/** Fills in the defaults and validates (every bad field throws ValidationError). */
export function resolveStdpParams(p: Partial<StdpClusterParams> = {}): StdpClusterParams {
  const r: StdpClusterParams = { ...STDP_CLUSTER_DEFAULTS };
  for (const [key, value] of Object.entries(p)) {
    if (value === undefined) continue;
    if (!(key in STDP_CLUSTER_DEFAULTS)) throw new ValidationError(`stdp.${key}`, value, `one of ${Object.keys(STDP_CLUSTER_DEFAULTS).join(', ')}`);
    (r as unknown as Record<string, unknown>)[key] = value;
  }
  requirePositive('stdp maxRateHz', r.maxRateHz);
  requirePositive('stdp presentMs', r.presentMs);
  requireFinite('stdp restMs', r.restMs, 0);
  requirePositive('stdp dtMs', r.dtMs);
  requireFinite('stdp thetaPlusMv', r.thetaPlusMv, 0);
  requirePositive('stdp tauThetaMs', r.tauThetaMs);
  requireFinite('stdp inhibitionMv', r.inhibitionMv, 0);
  requirePositive('stdp inputGain', r.inputGain);
  requireFinite('stdp etaPre', r.etaPre, 0);
  requireFinite('stdp etaPost', r.etaPost, 0);
  requirePositive('stdp columnSumPerInput', r.columnSumPerInput);
  requireInteger('stdp minSpikes', r.minSpikes, 0);
  requireInteger('stdp maxRetries', r.maxRetries, 0, 1000);
  requireOneOf('stdp init', r.init, ['random', 'samples'] as const);
  requireInteger('stdp learningPasses', r.learningPasses, 1, 100);
  requireInteger('stdp reseedRounds', r.reseedRounds, 0, 100);
  const peakHz = r.maxRateHz * (1 + r.maxRetries / 2);
  if ((peakHz * r.dtMs) / 1000 > 1) {
    throw new ValidationError('stdp maxRateHz', r.maxRateHz, `a rate whose last retry (maxRateHz x (1 + maxRetries / 2) = ${peakHz} Hz) still fires at most once per step: <= ${(1000 / r.dtMs / (1 + r.maxRetries / 2)).toFixed(1)} Hz at dt = ${r.dtMs} ms`);
  }
  return r;
}

/** The Diehl & Cook preset for 2 x dims inputs and k neurons with these parameters. */
export function stdpClusterPreset(dims: number, k: number, params: StdpClusterParams): DiehlCookPreset {
  const nInputs = 2 * requireInteger('dims', dims, 1);
  return diehlCookPreset({
    nInputs,
    nNeurons: requireInteger('k (number of clusters)', k, 1),
    overrides: {
      name: 'deep-stdp-cluster',
      dtMs: params.dtMs,
      presentMs: params.presentMs,
      restMs: params.restMs,
      maxRateHz: params.maxRateHz,
      retryRateStepHz: params.maxRateHz / 2,
      minSpikes: params.minSpikes,
      maxRetries: params.maxRetries,
      columnSum: params.columnSumPerInput * nInputs,
      neuron: {
        ...diehlCookPreset().neuron,
        inputGain: params.inputGain,
        thetaPlus: params.thetaPlusMv,
        tauTheta: params.tauThetaMs,
      },
      stdp: { rule: 'dc', etaPre: params.etaPre, etaPost: params.etaPost, xTar: 0, mu: 0, tauPre: 20, tauPost: 20, traceMode: 'reset' },
      inhibition: { mode: 'soft', strength: params.inhibitionMv },
    },
  });
}

/**
 * ON/OFF rate code of signed features: n x 2d intensities in [0, 1], row-major, ON channels first.
 * Each row is divided by its largest absolute value (a zero row stays silent).
 */
export function encodeOnOff(features: FeatureMatrix): Float32Array {
  const { data, rows, cols } = features;
  const out = new Float32Array(rows * 2 * cols);
  for (let s = 0; s < rows; s++) {
    const o = s * cols;
    let m = 0;
    for (let i = 0; i < cols; i++) m = Math.max(m, Math.abs(data[o + i]!));
    if (m === 0) continue;
    const inv = 1 / m;
    const q = s * 2 * cols;
    for (let i = 0; i < cols; i++) {
      const x = data[o + i]! * inv;
      if (x > 0) out[q + i] = Math.min(1, x);
      else if (x < 0) out[q + cols + i] = Math.min(1, -x);
    }
  }
  return out;
}

function emptyStats(): StdpPassStats {
  return { samples: 0, presentations: 0, spikes: 0, seconds: 0, counters: zeroCounters() };
}

function addStats(into: StdpPassStats, from: StdpPassStats): void {
  into.samples += from.samples;
  into.presentations += from.presentations;
  into.spikes += from.spikes;
  into.seconds += from.seconds;
  addCounters(into.counters, from.counters);
}

/** Weight step of fixed-point levels (0 for f32 weights). */
function levelStep(frozen: FrozenNetwork): number {
  const w = frozen.preset.weights;
  return w.format === 'fixed' ? w.wMax / (2 ** (w.bits ?? 8) - 1) : 0;
}

/** Synaptic drive sum_i w_ij * intensity_i of neuron j for one sample. */
function drive(frozen: FrozenNetwork, intensities: Float32Array, offset: number, nIn: number, k: number, j: number): number {
  const levels = frozen.weightLevels;
  const step = levelStep(frozen);
  let s = 0;
  for (let i = 0; i < nIn; i++) {
    const x = intensities[offset + i]!;
    if (x === 0) continue;
    s += x * (levels ? levels[i * k + j]! * step : frozen.weights![i * k + j]!);
  }
  return s;
}

interface Winners {
  assignments: Int32Array;
  fallbackSamples: number;
  tiedSamples: number;
  spikes: number;
}

/** Pseudo-labels from frozen spike counts (rule in the module comment). */
function winnersFrom(responses: Uint32Array, frozen: FrozenNetwork, intensities: Float32Array, n: number): Winners {
  const k = frozen.preset.nNeurons;
  const nIn = frozen.preset.nInputs;
  const assignments = new Int32Array(n);
  let fallbackSamples = 0;
  let tiedSamples = 0;
  let spikes = 0;
  for (let s = 0; s < n; s++) {
    const o = s * k;
    let best = 0;
    let ties = 1;
    for (let j = 1; j < k; j++) {
      const c = responses[o + j]!;
      if (c > responses[o + best]!) {
        best = j;
        ties = 1;
      } else if (c === responses[o + best]!) ties++;
    }
    for (let j = 0; j < k; j++) spikes += responses[o + j]!;
    const top = responses[o + best]!;
    if (top === 0 || ties > 1) {
      if (top === 0) fallbackSamples++;
      else tiedSamples++;
      let bestDrive = -Infinity;
      for (let j = 0; j < k; j++) {
        if (responses[o + j] !== top) continue;
        const dj = drive(frozen, intensities, s * nIn, nIn, k, j);
        if (dj > bestDrive) {
          bestDrive = dj;
          best = j;
        }
      }
    }
    assignments[s] = best;
  }
  return { assignments, fallbackSamples, tiedSamples, spikes };
}

async function frozenPass(
  frozen: FrozenNetwork, intensities: Float32Array, n: number, threads: number,
  onProgress?: (done: number) => void, signal?: AbortSignal,
): Promise<{ winners: Winners; stats: StdpPassStats }> {
  const t0 = performance.now();
  const { responses, stats } = await responsePass(frozen, intensities, {
    threads, keyBase: 0, ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}),
  });
  const winners = winnersFrom(responses, frozen, intensities, n);
  return {
    winners,
    stats: { samples: n, presentations: stats.presentations, spikes: stats.spikes, seconds: (performance.now() - t0) / 1000, counters: stats.counters },
  };
}

function sizesOf(assignments: Int32Array, k: number): Int32Array {
  const sizes = new Int32Array(k);
  for (let i = 0; i < assignments.length; i++) sizes[assignments[i]!]! += 1;
  return sizes;
}

/**
 * Reseeds every dead neuron of `frozen` in place (faiss split_clusters on weight columns and theta);
 * returns the number of reseeds.
 */
export function reseedDeadNeurons(frozen: FrozenNetwork, sizes: Int32Array, n: number, rng: Rng): { neuron: number; donor: number }[] {
  const k = frozen.preset.nNeurons;
  const nIn = frozen.preset.nInputs;
  const wMax = frozen.preset.weights.wMax;
  const w = frozen.weights;
  const q = frozen.weightLevels;
  const step = levelStep(frozen);
  const qMax = step > 0 ? Math.round(wMax / step) : 0;
  const size = Float64Array.from(sizes);
  const pairs: { neuron: number; donor: number }[] = [];
  for (let ci = 0; ci < k; ci++) {
    if (size[ci] !== 0) continue;
    let cj = 0;
    for (;;) {
      const p = (size[cj]! - 1) / (n - k);
      if (rng.nextFloat() < p) break;
      cj = (cj + 1) % k;
    }
    for (let i = 0; i < nIn; i++) {
      const up = i % 2 === 0 ? 1 + KMEANS_SPLIT_EPS : 1 - KMEANS_SPLIT_EPS;
      const down = i % 2 === 0 ? 1 - KMEANS_SPLIT_EPS : 1 + KMEANS_SPLIT_EPS;
      if (w) {
        const v = w[i * k + cj]!;
        w[i * k + ci] = Math.min(wMax, v * up);
        w[i * k + cj] = Math.min(wMax, v * down);
      } else if (q) {
        // Fixed point: the copy keeps the donor's levels; the +-1 level nudge on alternate rows splits them.
        const v = q[i * k + cj]!;
        q[i * k + ci] = Math.max(0, Math.min(qMax, v + (i % 2 === 0 ? 1 : -1)));
        q[i * k + cj] = Math.max(0, Math.min(qMax, v + (i % 2 === 0 ? -1 : 1)));
      }
    }
    frozen.theta[ci] = frozen.theta[cj]!;
    size[ci] = size[cj]! / 2;
    size[cj]! -= size[ci]!;
    pairs.push({ neuron: ci, donor: cj });
  }
  return pairs;
}

/** Clusters the rows of `features` into k clusters with the STDP layer (see the module comment). */
export async function stdpCluster(features: FeatureMatrix, options: StdpClusterOptions): Promise<StdpClusterResult> {
  validateFeatures('features', features);
  const { rows: n, cols: d } = features;
  const k = requireInteger('k (number of clusters)', options.k, 1, n);
  const seed = requireInteger('seed', options.seed, 0, 2 ** 32 - 1);
  const threads = requireInteger('threads', options.threads ?? 1, 1, 256);
  const { k: _k, seed: _s, backend, threads: _t, onProgress, signal, ...rest } = options;
  const params = resolveStdpParams(rest);
  const preset = stdpClusterPreset(d, k, params);
  const nIn = preset.nInputs;
  const intensities = encodeOnOff(features);

  // ---- learning pass(es) ----
  const learn = emptyStats();
  const net = new WtaNetwork(preset, deriveSeed(seed, 'stdp-layer') >>> 0, backend);
  let frozen: FrozenNetwork;
  try {
    const rng = new Rng(deriveSeed(seed, 'stdp-order'));
    if (params.init === 'samples') {
      const pick = rng.sampleWithoutReplacement(n, k);
      const w = new Float32Array(nIn * k);
      const floor = 0.01 * preset.weights.wMax;
      for (let j = 0; j < k; j++) {
        const o = pick[j]! * nIn;
        for (let i = 0; i < nIn; i++) w[i * k + j] = Math.min(preset.weights.wMax, floor + intensities[o + i]! * preset.initWeightMax);
      }
      net.layer.setWeights(w);
      net.layer.normalise();
    } else {
      net.initialise();
    }
    net.resetCounters();
    const t0 = performance.now();
    const total = n * params.learningPasses;
    onProgress?.('learn', 0, total);
    for (let pass = 0; pass < params.learningPasses; pass++) {
      const order = Int32Array.from({ length: n }, (_, i) => i);
      rng.shuffle(order);
      for (let t = 0; t < n; t++) {
        const r = net.trainSample(intensities, order[t]! * nIn);
        learn.presentations += r.presentations;
        learn.spikes += r.spikes;
        const done = pass * n + t + 1;
        if ((done & 63) === 0 || done === total) {
          onProgress?.('learn', done, total);
          signal?.throwIfAborted();
          // Let progress output and signal handlers run.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    }
    learn.samples = total;
    learn.seconds = (performance.now() - t0) / 1000;
    learn.counters = net.counters();
    const levels = net.layer.getWeightLevels();
    frozen = {
      preset,
      seed: net.seed,
      ...(backend ? { backend } : {}),
      weights: levels ? null : net.layer.getWeights(),
      weightLevels: levels,
      theta: Float32Array.from(net.layer.getTheta()),
    };
  } finally {
    net.dispose();
  }

  // ---- frozen pass, then reseeding rounds ----
  const frozenStats = emptyStats();
  const progress = onProgress ? (done: number) => onProgress('frozen', done, n) : undefined;
  progress?.(0);
  let { winners, stats } = await frozenPass(frozen, intensities, n, threads, progress, signal);
  addStats(frozenStats, stats);
  let sizes = sizesOf(winners.assignments, k);
  const deadBeforeReseed = sizes.reduce((a, s) => a + (s === 0 ? 1 : 0), 0);
  const reseedRng = new Rng(deriveSeed(seed, 'stdp-reseed'));
  let reseeded = 0;
  let rounds = 0;
  while (rounds < params.reseedRounds && sizes.some((s) => s === 0) && n > k) {
    const pairs = reseedDeadNeurons(frozen, sizes, n, reseedRng);
    reseeded += pairs.length;
    rounds++;
    // As k-means' next iterations pull a split centroid pair apart, a learning pass over the donors'
    // samples lets each copy and its donor compete for them and divide them.
    const donors = new Set(pairs.map((p) => p.donor));
    const list: number[] = [];
    winners.assignments.forEach((a, i) => {
      if (donors.has(a)) list.push(i);
    });
    const members = reseedRng.shuffle(Int32Array.from(list));
    const t0 = performance.now();
    const relearn = rebuildNetwork({ ...frozen, seed: deriveSeed(seed, 'stdp-reseed-learn', rounds) >>> 0 });
    try {
      for (let t = 0; t < members.length; t++) {
        const r = relearn.trainSample(intensities, members[t]! * nIn);
        learn.presentations += r.presentations;
        learn.spikes += r.spikes;
      }
      learn.samples += members.length;
      addCounters(learn.counters, relearn.counters());
      if (frozen.weightLevels) frozen.weightLevels = relearn.layer.getWeightLevels();
      else frozen.weights = relearn.layer.getWeights();
      frozen.theta = Float32Array.from(relearn.layer.getTheta());
    } finally {
      relearn.dispose();
    }
    learn.seconds += (performance.now() - t0) / 1000;
    ({ winners, stats } = await frozenPass(frozen, intensities, n, threads, progress, signal));
    addStats(frozenStats, stats);
    sizes = sizesOf(winners.assignments, k);
  }
  const counters = addCounters(addCounters(zeroCounters(), learn.counters), frozenStats.counters);
  return {
    k,
    assignments: winners.assignments,
    clusterSizes: sizes,
    emptyClusters: sizes.reduce((a, s) => a + (s === 0 ? 1 : 0), 0),
    deadBeforeReseed,
    reseeded,
    reseedRounds: rounds,
    fallbackSamples: winners.fallbackSamples,
    tiedSamples: winners.tiedSamples,
    spikesPerSample: winners.spikes / n,
    learn,
    frozen: frozenStats,
    counters,
    model: { k, dims: d, params, frozen },
  };
}

/** Assigns new samples (e.g. the held-out set) to the clusters of a trained model: one frozen pass. */
export async function stdpAssign(
  model: StdpClusterModel, features: FeatureMatrix, options: { threads?: number; signal?: AbortSignal } = {},
): Promise<{ assignments: Int32Array; fallbackSamples: number; tiedSamples: number; stats: StdpPassStats }> {
  validateFeatures('features', features);
  if (features.cols !== model.dims) throw new ValidationError('features.cols', features.cols, `the model's feature dimension ${model.dims}`);
  const threads = requireInteger('threads', options.threads ?? 1, 1, 256);
  const intensities = encodeOnOff(features);
  const { winners, stats } = await frozenPass(model.frozen, intensities, features.rows, threads, undefined, options.signal);
  return { assignments: winners.assignments, fallbackSamples: winners.fallbackSamples, tiedSamples: winners.tiedSamples, stats };
}

/** The model's layer state (weights, thresholds) in the core's versioned format, e.g. for checkpoints. */
export function stdpModelState(model: StdpClusterModel): LayerState {
  const net = rebuildNetwork(model.frozen);
  try {
    return net.layer.toState();
  } finally {
    net.dispose();
  }
}

/** Saves the model's layer state to `path` (atomically, the core's format). */
export function saveStdpModel(model: StdpClusterModel, path: string): void {
  const net = rebuildNetwork(model.frozen);
  try {
    net.layer.saveState(path);
  } finally {
    net.dispose();
  }
}
