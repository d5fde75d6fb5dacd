/**
 * Runner for "spiking-convnet" scenarios: the rate-coded spiking ConvNet that `deep-stdp deploy` simulates
 * (src/deploy/simulator.ts SpikingNetwork on the kernels assembly/spiking-conv.ts / spiking-dense.ts). No
 * training and no checkpoint: the ConvNet architecture `arch` is built with its seeded initial weights
 * (createConvNet, deterministic in `seed` on every tfjs backend) and average pooling, converted
 * (convertConvNet) and threshold-balanced (calibrate + balanceThresholds at `percentile` on the first
 * `calibration` training images), so every layer's activity is what the deploy command's balancing
 * produces, just with untrained weights. A repetition runs the first `images` test images for
 * `timesteps` steps each and reports the counters summed over all layers.
 */
import { initBackend } from '../../src/convnet/backend.js';
import { createConvNet } from '../../src/convnet/model.js';
import type { ImageSet } from '../../src/convnet/images.js';
import { loadDataset } from '../../src/data/load.js';
import {
  SNAPSHOT_COUNTERS,
  SpikingNetwork,
  balanceThresholds,
  calibrate,
  convertConvNet,
  deployWorkload,
  mapSize,
  type Calibration,
  type InputCoding,
  type NetworkSpec,
} from '../../src/deploy/index.js';
import type { Backend } from '../../src/deploy/kernels.js';
import type { WorkloadInput } from '../../src/hw/workload.js';
import type { PreparedRun, Runner, ScenarioParams } from '../harness.js';
import { cpuSecondsSince } from './dc-mnist.js';

export interface SpikingConvNetParams {
  /** ConvNet architecture (`--arch`): reference | vgg-28 | vgg-64. */
  arch: string;
  /** Dataset spec whose image size matches the architecture (default mnist). */
  dataset: string;
  /** Test images per repetition (the first n of the test split). */
  images: number;
  /** Steps per image (T). */
  timesteps: number;
  /** Input coding: constant current or Bernoulli (Poisson) spike trains. */
  input: InputCoding;
  /** 0 = f32 weights; 2..8 = signed fixed point. */
  weightBits: number;
  /** Calibration images for threshold balancing (the first n of the training split). */
  calibration: number;
  /** Threshold balancing percentile. */
  percentile: number;
  /** Spiking kernels. */
  backend: Backend;
  /** Initial weights of the ConvNet and the Poisson input's random numbers. */
  seed: number;
}

export const paramsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['arch', 'images', 'timesteps', 'input', 'backend', 'seed'],
  properties: {
    arch: { enum: ['reference', 'vgg-28', 'vgg-64'] },
    dataset: { type: 'string', minLength: 1 },
    images: { type: 'integer', minimum: 1, maximum: 10_000 },
    timesteps: { type: 'integer', minimum: 1, maximum: 4096 },
    input: { enum: ['current', 'poisson'] },
    weightBits: { anyOf: [{ const: 0 }, { type: 'integer', minimum: 2, maximum: 8 }] },
    calibration: { type: 'integer', minimum: 1, maximum: 60_000 },
    percentile: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
    backend: { enum: ['wasm', 'wasm-scalar', 'reference'] },
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
  },
} as const;

/** Hardware timestep of one simulated step (the deploy command's --timestep-ms default). */
const TIMESTEP_MS = 1;

/** Scenario params with defaults filled in. */
export function resolveSpikingConvNetParams(raw: ScenarioParams): SpikingConvNetParams {
  return { dataset: 'mnist', weightBits: 0, calibration: 64, percentile: 99.9, ...raw } as unknown as SpikingConvNetParams;
}

export interface BalancedNetwork {
  spec: NetworkSpec;
  calibration: Calibration;
  notes: string[];
}

/**
 * The converted, threshold-balanced network of `arch` with its seeded initial weights (average pooling).
 * Cached per (arch, dataset, calibration, percentile, seed): the variants of a scenario share it, so only
 * the first pays the tfjs calibration pass.
 */
const balanced = new Map<string, BalancedNetwork>();

export async function balancedNetwork(p: SpikingConvNetParams): Promise<BalancedNetwork> {
  const key = JSON.stringify([p.arch, p.dataset, p.calibration, p.percentile, p.seed]);
  const hit = balanced.get(key);
  if (hit) return hit;
  await initBackend('wasm');
  const model = createConvNet({ arch: p.arch, numClasses: 10, seed: p.seed, pooling: 'avg' });
  try {
    const [h, w, c] = model.inputShape;
    const cal = loadDataset(p.dataset, 'train', { limit: p.calibration });
    if (cal.shape.height !== h || cal.shape.width !== w || cal.shape.channels !== c) {
      throw new Error(`spiking-convnet ${p.arch} takes ${h}x${w}x${c} images; ${p.dataset} has ${cal.shape.height}x${cal.shape.width}x${cal.shape.channels}`);
    }
    const converted = convertConvNet(model);
    const images: ImageSet = { pixels: cal.images, count: cal.shape.count, shape: [h, w, c] };
    const calibration = calibrate(converted, images, p.percentile);
    const out: BalancedNetwork = { spec: balanceThresholds(converted, calibration), calibration, notes: converted.notes };
    balanced.set(key, out);
    return out;
  } finally {
    model.dispose();
  }
}

/** Counter index of a SNAPSHOT_COUNTERS name. */
const at = (name: (typeof SNAPSHOT_COUNTERS)[number]): number => SNAPSHOT_COUNTERS.indexOf(name);

async function prepare(raw: ScenarioParams): Promise<PreparedRun> {
  const p = resolveSpikingConvNetParams(raw);
  const { spec, calibration, notes } = await balancedNetwork(p);
  const test = loadDataset(p.dataset, 'test', { limit: p.images });
  const size = mapSize(spec.input);
  const count = test.shape.count;
  const scale = test.images instanceof Uint8Array ? 1 / 255 : 1;
  const net = new SpikingNetwork(spec, { backend: p.backend, weightBits: p.weightBits, input: p.input, snapshotSteps: [p.timesteps], seed: p.seed });
  const layers = net.layerCount;
  const nCounters = SNAPSHOT_COUNTERS.length;
  // Counters of the last repetition, [layers][1 snapshot][SNAP_COUNT], for the workload.
  let last: Float64Array | null = null;
  let repetition = 0;
  return {
    info: {
      backend: net.backend,
      dataset: test.name,
      images: count,
      timesteps: p.timesteps,
      input: p.input,
      weightBits: p.weightBits,
      layers: spec.layers.map((l) => `${l.name} ${l.kind} ${l.output.h}x${l.output.w}x${l.output.c}`),
      neurons: spec.layers.reduce((s, l) => s + mapSize(l.output), 0),
      balancingScales: calibration.layers.map((l) => l.scale),
      calibrationImages: calibration.images,
      conversionNotes: notes,
    },
    run: () => {
      const sums = new Float64Array(layers * nCounters);
      const cpu0 = process.cpuUsage();
      // Poisson trains are keyed by sample index: a new key range per repetition gives fresh input spikes.
      const firstKey = repetition++ * count;
      for (let i = 0; i < count; i++) {
        net.run(firstKey + i, test.images.subarray(i * size, (i + 1) * size), scale);
        for (let l = 0; l < layers; l++) {
          const c = net.counters(l, 0);
          for (let j = 0; j < nCounters; j++) sums[l * nCounters + j] += c[j]!;
        }
      }
      const cpuSeconds = cpuSecondsSince(cpu0);
      last = sums;
      let events = 0;
      let updates = 0;
      let spikes = 0;
      for (let l = 0; l < layers; l++) {
        events += sums[l * nCounters + at('synapticEvents')]!;
        updates += sums[l * nCounters + at('neuronUpdates')]!;
        spikes += sums[l * nCounters + at('outputSpikes')]!;
      }
      return {
        events,
        neuronUpdates: updates,
        samples: count,
        extra: {
          samplesPerCpuSecond: cpuSeconds > 0 ? count / cpuSeconds : Number.NaN,
          inputSpikesPerSample: sums[at('inputSpikes')]! / count,
          firstLayerEventsPerSample: sums[at('synapticEvents')]! / count,
          spikesPerSample: spikes / count,
          outputLayerSpikesPerSample: sums[(layers - 1) * nCounters + at('outputSpikes')]! / count,
          spikesPerNeuronUpdate: updates > 0 ? spikes / updates : 0,
          rowActivationsPerSample: Array.from({ length: layers }, (_, l) => sums[l * nCounters + at('rowActivations')]!).reduce((a, b) => a + b, 0) / count,
        },
      };
    },
    workload: (): WorkloadInput => {
      const info = spec.layers.map((_, i) => ({ zeroWeightFraction: net.zeroWeightFraction(i), stateBytes: net.stateBytes(i) }));
      const counters = last ?? new Float64Array(layers * nCounters);
      return deployWorkload(
        `bench spiking-convnet ${p.arch} ${p.input} ${p.weightBits > 0 ? `${p.weightBits}-bit` : 'f32'} T=${p.timesteps}`,
        spec, info, p.weightBits, p.input === 'current', counters, 1, 0, count, TIMESTEP_MS,
      );
    },
  };
}

export const runner: Runner = {
  kind: 'spiking-convnet',
  paramsSchema: paramsSchema as unknown as Record<string, unknown>,
  prepare,
};
