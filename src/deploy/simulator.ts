import { ValidationError, requireInteger, requireOneOf } from '../errors.js';
import { SNAP_COUNT } from '../core/reference/spiking-dense.js';
import { createDeployKernels, defaultDeployBackend, type Backend, type DeployKernels } from './kernels.js';
import { mapSize, denseOpsPerStep, type NetworkSpec, type SpikingLayerSpec } from './network-spec.js';
import { quantizeOptions, quantizeSigned, rowNonZeros, type QuantizationStats, type WeightScale } from './quantize.js';

/**
 * A converted network on the deployment kernels: one linear memory holding every layer's weights,
 * neuron state and output spike lists. A sample runs layer by layer, one kernel call per layer
 * (all its steps): layer l reads the spikes layer l-1 emitted in the same step, so this equals
 * stepping all layers together (no synaptic delay). Membranes start at 0 for every sample.
 *
 * Input coding: 'current' presents each pixel value (in [0, 1]) as a constant input current to the
 * first layer every step (its synaptic operations are MACs); 'poisson' turns each pixel into a
 * Bernoulli spike train with p = pixel value per step (counter-based RNG keyed by seed and sample index).
 */

export const INPUT_CODINGS = ['current', 'poisson'] as const;
export type InputCoding = (typeof INPUT_CODINGS)[number];

export interface SimulatorOptions {
  /** Kernel backend (default: SIMD WebAssembly when supported). */
  backend?: Backend;
  /** 0 = f32 weights, else signed fixed point with this many bits (2..8). */
  weightBits?: number;
  /** Fixed point: one delta per layer (default) or per output channel. */
  weightScale?: WeightScale;
  /** Fixed point: percentile of |w| per scale group used as the range, (50, 100]; 100 (default) = max|w|. */
  weightClip?: number;
  input?: InputCoding;
  /** Steps at which results are read (ascending); the sample runs for the last one. */
  snapshotSteps: number[];
  seed?: number;
}

/** Counter slots per layer and snapshot (f64), in the kernels' order. */
export const SNAPSHOT_COUNTERS = [
  'inputSpikes', 'synapticEvents', 'denseSynapticOps', 'neuronUpdates', 'outputSpikes', 'stepsRun', 'rowActivations',
] as const;
export type SnapshotCounter = (typeof SNAPSHOT_COUNTERS)[number];

interface LayerMemory {
  spec: SpikingLayerSpec;
  neurons: number;
  fixed: number;
  delta: number;
  /** Per-output-channel f32 deltas (weightScale 'channel'), 0 = one delta. */
  deltas: number;
  weights: number;
  rowNnz: number;
  bias: number;
  cur: number;
  v: number;
  outPtr: number;
  outIdx: number;
  counters: number;
  vOut: number;
  densePerStep: number;
  /** Non-zero weights / all weights (after quantization). */
  zeroWeightFraction: number;
  /** Fixed point: scale groups, clipped and rounded-to-zero fractions; null for f32 and pooling layers. */
  quantization: QuantizationStats | null;
}

function align(x: number, to = 16): number {
  return Math.ceil(x / to) * to;
}

export class SpikingNetwork {
  readonly spec: NetworkSpec;
  readonly backend: Backend;
  readonly weightBits: number;
  readonly weightScale: WeightScale;
  readonly weightClip: number;
  readonly input: InputCoding;
  readonly snapshotSteps: readonly number[];
  readonly steps: number;
  readonly seed: number;
  private readonly k: DeployKernels;
  private readonly layers: LayerMemory[] = [];
  private readonly nIn: number;
  private readonly pAnalog: number;
  private readonly pProb: number;
  private readonly pActive: number;
  private readonly pInPtr: number;
  private readonly pInIdx: number;
  private readonly pSnap: number;
  private readonly pAcc: number;
  private readonly accBytes: number;
  private ran = false;

  constructor(spec: NetworkSpec, options: SimulatorOptions) {
    this.spec = spec;
    this.backend = options.backend ?? defaultDeployBackend();
    requireOneOf('backend', this.backend, ['wasm', 'wasm-scalar', 'reference'] as const);
    this.weightBits = requireInteger('weightBits', options.weightBits ?? 0, 0, 8);
    if (this.weightBits === 1) throw new ValidationError('weightBits', 1, '0 (f32) or 2..8 (signed fixed point)');
    const q = quantizeOptions(this.weightBits, { scale: options.weightScale, clip: options.weightClip });
    this.weightScale = q.scale;
    this.weightClip = q.clip;
    this.input = requireOneOf('input', options.input ?? 'current', INPUT_CODINGS);
    this.seed = requireInteger('seed', options.seed ?? 1, 0, 2 ** 32 - 1);
    const snaps = options.snapshotSteps;
    if (!Array.isArray(snaps) || snaps.length === 0) throw new ValidationError('timesteps', snaps, 'a non-empty list of step counts');
    snaps.forEach((t, i) => {
      requireInteger(`timesteps[${i}]`, t, 1, 1_000_000);
      if (i > 0 && t <= snaps[i - 1]!) throw new ValidationError('timesteps', snaps, 'strictly ascending step counts');
    });
    this.snapshotSteps = [...snaps];
    this.steps = snaps[snaps.length - 1]!;
    if (spec.layers.length === 0) throw new ValidationError('network', spec.layers, 'at least one layer');
    const first = spec.layers[0]!;
    if (first.kind === 'avgpool' && this.input === 'current') {
      throw new ValidationError('input', this.input, "'poisson' for a network starting with pooling");
    }
    this.nIn = mapSize(spec.input);
    this.k = createDeployKernels(this.backend);

    // Layout: shared buffers, then each layer.
    const T = this.steps;
    const nSnap = snaps.length;
    let at = align(this.k.base);
    const take = (bytes: number): number => {
      const p = at;
      at = align(at + bytes);
      return p;
    };
    this.pSnap = take(nSnap * 4);
    this.pAnalog = take(this.nIn * 4);
    this.pProb = take(this.nIn * 4);
    this.pActive = take(this.nIn * 4);
    this.pInPtr = take((T + 1) * 4);
    this.pInIdx = take(this.nIn * T * 4);
    const maxNeurons = Math.max(...spec.layers.map((l) => mapSize(l.output)));
    this.accBytes = maxNeurons * 4;
    this.pAcc = take(this.accBytes);
    const plans = spec.layers.map((layer, i) => {
      const neurons = mapSize(layer.output);
      const quantized = layer.kind !== 'avgpool' && this.weightBits > 0
        ? quantizeSigned(layer.weights, this.weightBits, { scale: this.weightScale, clip: this.weightClip, channels: layer.output.c })
        : null;
      const perChannel = quantized !== null && quantized.scale === 'channel';
      const rows = layer.kind === 'conv' ? layer.kernelSize * layer.kernelSize * layer.input.c : layer.kind === 'dense' ? layer.input.c : 0;
      const cols = layer.kind === 'avgpool' ? 0 : layer.output.c;
      const weightValues: ArrayLike<number> | null = layer.kind === 'avgpool' ? null : (quantized?.levels ?? layer.weights);
      const nnz = weightValues ? rowNonZeros(weightValues, rows, cols) : new Int32Array(0);
      let zeros = 0;
      if (weightValues) for (let j = 0; j < weightValues.length; j++) if (weightValues[j] === 0) zeros++;
      const mem: LayerMemory = {
        spec: layer,
        neurons,
        fixed: quantized ? 1 : 0,
        delta: quantized ? quantized.delta : 1,
        deltas: perChannel ? take(quantized.deltas.length * 4) : 0,
        weights: take(weightValues ? weightValues.length * (quantized ? 1 : 4) : 0),
        rowNnz: take(nnz.length * 4),
        bias: take(neurons * 4),
        cur: take(neurons * 4),
        v: take(neurons * 4),
        outPtr: take((T + 1) * 4),
        outIdx: take(neurons * T * 4),
        counters: take(nSnap * SNAP_COUNT * 8),
        vOut: i === spec.layers.length - 1 ? take(nSnap * neurons * 4) : 0,
        densePerStep: denseOpsPerStep(layer),
        zeroWeightFraction: weightValues && weightValues.length > 0 ? zeros / weightValues.length : 0,
        quantization: quantized ? quantized.stats : null,
      };
      return { mem, quantized, nnz };
    });
    this.k.reserve(at);
    const m = this.k.mem();
    m.i32.set(snaps, this.pSnap >>> 2);
    for (const { mem, quantized, nnz } of plans) {
      const layer = mem.spec;
      if (layer.kind !== 'avgpool') {
        if (quantized) m.u8.set(new Uint8Array(quantized.levels.buffer, quantized.levels.byteOffset, quantized.levels.length), mem.weights);
        else m.f32.set(layer.weights, mem.weights >>> 2);
        if (quantized && mem.deltas !== 0) m.f32.set(quantized.deltas, mem.deltas >>> 2);
        m.i32.set(nnz, mem.rowNnz >>> 2);
        m.f32.set(layer.bias, mem.bias >>> 2);
      } else {
        m.f32.fill(0, mem.bias >>> 2, (mem.bias >>> 2) + mem.neurons);
      }
      this.layers.push(mem);
    }
  }

  /** Number of layers. */
  get layerCount(): number {
    return this.layers.length;
  }

  /** Fraction of zero weights of layer i after quantization (pooling layers: 0). */
  zeroWeightFraction(i: number): number {
    return this.layers[i]!.zeroWeightFraction;
  }

  /** Quantization statistics of layer i (fixed point conv and dense layers; null otherwise). */
  quantization(i: number): QuantizationStats | null {
    return this.layers[i]!.quantization;
  }

  /** Bytes of neuron state of layer i (membrane and bias current, f32 each). */
  stateBytes(i: number): number {
    return this.layers[i]!.neurons * 8;
  }

  /**
   * Runs one sample: `pixels` (h x w x c values in [0, 1], or u8 0..255) for `steps` steps.
   * `sample` keys the Poisson input's random numbers (the dataset index gives reproducible trains).
   */
  run(sample: number, pixels: ArrayLike<number>, pixelScale = 1): void {
    const n = this.nIn;
    if (pixels.length < n) throw new ValidationError('pixels', pixels, `${n} values`);
    const k = this.k;
    const m = k.mem();
    const T = this.steps;
    const nSnap = this.snapshotSteps.length;
    for (const l of this.layers) m.f32.fill(0, l.v >>> 2, (l.v >>> 2) + l.neurons);
    m.f32.fill(0, this.pAcc >>> 2, (this.pAcc + this.accBytes) >>> 2);
    if (this.input === 'current') {
      for (let i = 0; i < n; i++) m.f32[(this.pAnalog >>> 2) + i] = pixels[i]! * pixelScale;
    } else {
      let active = 0;
      for (let i = 0; i < n; i++) {
        const p = Math.min(1, Math.max(0, pixels[i]! * pixelScale));
        m.f32[(this.pProb >>> 2) + i] = p;
        if (m.f32[(this.pProb >>> 2) + i]! > 0) m.i32[(this.pActive >>> 2) + active++] = i;
      }
      k.deployEncodeBernoulli(this.pProb, this.pActive, active, T, this.seed, sample >>> 0, this.pInPtr, this.pInIdx);
    }
    let inPtr = this.pInPtr;
    let inIdx = this.pInIdx;
    this.layers.forEach((l, i) => {
      const s = l.spec;
      const analog = i === 0 && this.input === 'current' ? this.pAnalog : 0;
      const vOut = l.vOut;
      switch (s.kind) {
        case 'conv':
          k.deployConv(inPtr, inIdx, analog, s.input.h, s.input.w, s.input.c, s.output.h, s.output.w, s.output.c,
            s.kernelSize, s.stride, s.padTop, s.padLeft, l.weights, l.fixed, l.delta, l.rowNnz, l.bias, l.cur, l.v,
            this.pAcc, s.vThresh, T, l.densePerStep, l.outPtr, l.outIdx, this.pSnap, nSnap, l.counters, vOut, l.deltas);
          break;
        case 'dense':
          if (analog !== 0) {
            // A dense layer on the analog input: the conv kernel with a 1 x 1 kernel over a 1 x 1 x nIn map.
            k.deployConv(inPtr, inIdx, analog, 1, 1, s.input.c, 1, 1, s.output.c, 1, 1, 0, 0, l.weights, l.fixed, l.delta,
              l.rowNnz, l.bias, l.cur, l.v, this.pAcc, s.vThresh, T, l.densePerStep, l.outPtr, l.outIdx, this.pSnap, nSnap,
              l.counters, vOut, l.deltas);
          } else {
            k.deployDense(inPtr, inIdx, s.input.c, s.output.c, l.weights, l.fixed, l.delta, l.rowNnz, l.bias,
              l.v, this.pAcc, s.vThresh, T, l.outPtr, l.outIdx, this.pSnap, nSnap, l.counters, vOut, l.deltas);
          }
          break;
        case 'avgpool':
          k.deployAvgPool(inPtr, inIdx, s.input.h, s.input.w, s.input.c, s.output.h, s.output.w, s.size, s.stride, s.weight,
            l.bias, l.v, this.pAcc, s.vThresh, T, l.densePerStep, l.outPtr, l.outIdx, this.pSnap, nSnap, l.counters, vOut);
          break;
      }
      inPtr = l.outPtr;
      inIdx = l.outIdx;
    });
    this.ran = true;
  }

  private requireRun(): void {
    if (!this.ran) throw new Error('SpikingNetwork: no sample has run yet');
  }

  /** Counters of layer `layer` after snapshot `s` of the last sample (SNAPSHOT_COUNTERS order). */
  counters(layer: number, s: number): Float64Array {
    this.requireRun();
    const p = (this.layers[layer]!.counters >>> 3) + s * SNAP_COUNT;
    return this.k.mem().f64.slice(p, p + SNAP_COUNT);
  }

  /** Output spikes of layer `layer` in the last sample: step of each spike and neuron index (ascending per step). */
  spikes(layer: number): { steps: Int32Array; neurons: Int32Array } {
    this.requireRun();
    const l = this.layers[layer]!;
    const m = this.k.mem();
    const ptr = m.i32.subarray(l.outPtr >>> 2, (l.outPtr >>> 2) + this.steps + 1);
    const total = ptr[this.steps]!;
    const neurons = m.i32.slice(l.outIdx >>> 2, (l.outIdx >>> 2) + total);
    const steps = new Int32Array(total);
    for (let t = 0; t < this.steps; t++) steps.fill(t, ptr[t]!, ptr[t + 1]!);
    return { steps, neurons };
  }

  /** Spike counts of the output layer's neurons over the first snapshotSteps[s] steps of the last sample. */
  outputCounts(s: number, out = new Int32Array(this.layers[this.layers.length - 1]!.neurons)): Int32Array {
    this.requireRun();
    const l = this.layers[this.layers.length - 1]!;
    const m = this.k.mem();
    const end = m.i32[(l.outPtr >>> 2) + this.snapshotSteps[s]!]!;
    out.fill(0);
    for (let e = 0; e < end; e++) out[m.i32[(l.outIdx >>> 2) + e]!]!++;
    return out;
  }

  /** Membrane potentials of the output layer after snapshotSteps[s] steps of the last sample. */
  outputMembranes(s: number): Float32Array {
    this.requireRun();
    const l = this.layers[this.layers.length - 1]!;
    const p = (l.vOut >>> 2) + s * l.neurons;
    return this.k.mem().f32.slice(p, p + l.neurons);
  }
}
