import { createLayer, type Backend, type Layer } from '../core/layer.js';
import type { Counters } from '../core/counters.js';
import {
  diehlCookLayerConfig,
  pixelRates,
  presentSteps,
  restSteps,
  type DiehlCookPreset,
} from './presets/diehl-cook.js';

/** Outcome of one sample (all its presentations). */
export interface SampleOutcome {
  /** Output spikes of the last presentation (the one that counted). */
  spikes: number;
  /** Presentations used: 1 + retries. */
  presentations: number;
}

/**
 * The Diehl & Cook network driven sample by sample on one core layer: the retry rule, the input
 * encoding, the per-sample reset, training (learning and adaptation on) and frozen responses
 * (learning and adaptation off, each sample independent of every other one).
 */
export class WtaNetwork {
  readonly preset: DiehlCookPreset;
  readonly layer: Layer;
  readonly seed: number;
  private readonly rates: Float32Array;
  private readonly steps: number;
  private readonly rest: number;
  /** Steps one sample may use at most (all retries); frozen samples are spaced this far apart on the RNG. */
  readonly stepsPerSampleMax: number;
  /** Silent steps spent positioning the random stream (not part of the workload). */
  private positioningSteps = 0;

  constructor(preset: DiehlCookPreset, seed: number, backend?: Backend) {
    this.preset = preset;
    this.seed = seed;
    this.layer = createLayer(diehlCookLayerConfig(preset, seed, backend));
    this.rates = new Float32Array(preset.nInputs);
    this.steps = presentSteps(preset);
    this.rest = restSteps(preset);
    this.stepsPerSampleMax = (this.steps + this.rest) * (preset.maxRetries + 1);
  }

  get backend(): Backend {
    return this.layer.backend;
  }

  /** Fresh network: uniform random weights in [0, initWeightMax] from the core's counter RNG, then normalised columns. */
  initialise(): void {
    this.layer.initWeightsUniform(0, this.preset.initWeightMax);
    this.layer.normalise();
  }

  /** One training sample: learning and threshold adaptation on, with the retry rule. */
  trainSample(pixels: Uint8Array | Float32Array, offset: number): SampleOutcome {
    const p = this.preset;
    for (let retry = 0; ; retry++) {
      if (p.resetBetweenSamples) this.layer.resetState();
      pixelRates(p, pixels, offset, retry, this.rates);
      const r = this.layer.present({ steps: this.steps, rates: this.rates, learn: true, adapt: true, restSteps: this.rest });
      if (r.totalSpikes >= p.minSpikes || retry >= p.maxRetries) return { spikes: r.totalSpikes, presentations: retry + 1 };
    }
  }

  /**
   * Frozen response to one sample (no learning, thresholds fixed), with the retry rule. The layer's
   * neurons are reset and its random stream is positioned by `sampleKey` first, so the result depends
   * only on the weights, thresholds, seed, image and key: samples can run in any order, on any thread.
   * Spike counts of the counted presentation are written to `out` (nNeurons values).
   */
  respond(pixels: Uint8Array | Float32Array, offset: number, sampleKey: number, out: Uint32Array): SampleOutcome {
    const p = this.preset;
    this.positionRng(Math.imul(sampleKey, this.stepsPerSampleMax) >>> 0);
    for (let retry = 0; ; retry++) {
      this.layer.resetState();
      pixelRates(p, pixels, offset, retry, this.rates);
      const r = this.layer.present({ steps: this.steps, rates: this.rates, learn: false, adapt: false, restSteps: this.rest });
      if (r.totalSpikes >= p.minSpikes || retry >= p.maxRetries) {
        out.set(r.spikeCounts);
        return { spikes: r.totalSpikes, presentations: retry + 1 };
      }
    }
  }

  /** The layer's counters, without the silent steps used only to position the random stream. */
  counters(): Counters {
    const c = this.layer.counters();
    c.stepsSkipped -= this.positioningSteps;
    return c;
  }

  /** Zeroes the counters. */
  resetCounters(): void {
    this.layer.resetCounters();
    this.positioningSteps = 0;
  }

  /** The layer's RNG position (steps run + skipped since creation, mod 2^32). */
  globalStep(): number {
    const layer = this.layer as Layer & { globalStep?: number };
    return layer.globalStep ?? this.layer.toState().globalStep;
  }

  /**
   * Moves the layer's random stream to global step `target` (mod 2^32) by advancing silent steps in
   * closed form with adaptation off (thresholds unchanged); the neuron state is reset by the caller.
   */
  private positionRng(target: number): void {
    let delta = (target - this.globalStep()) >>> 0;
    while (delta > 0) {
      const k = Math.min(delta, 2 ** 30);
      this.layer.rest(k, false);
      this.positioningSteps += k;
      delta -= k;
    }
  }

  dispose(): void {
    this.layer.dispose();
  }
}
