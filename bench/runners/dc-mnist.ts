/**
 * Runner for "dc-mnist" scenarios: the Diehl & Cook (2015) network (src/snn/presets/diehl-cook.ts driven by
 * src/snn/wta-network.ts) on the first `images` images of a dataset. A repetition trains on (learn: STDP,
 * threshold adaptation, normalisation, retries, closed-form rest) or responds frozen to (learn off) those
 * images once and reports the network's counter deltas. Training carries on across repetitions, so the
 * timed repetitions measure a network that has already seen the images (the warm-up's pass included).
 */
import type { Backend } from '../../src/core/layer.js';
import type { Counters } from '../../src/core/counters.js';
import { loadDataset } from '../../src/data/load.js';
import { pixelsPerImage } from '../../src/data/dataset.js';
import { diehlCookPreset, type DiehlCookPreset } from '../../src/snn/presets/diehl-cook.js';
import { WtaNetwork } from '../../src/snn/wta-network.js';
import type { WorkloadInput } from '../../src/hw/workload.js';
import type { PreparedRun, RepetitionResult, Runner, ScenarioParams } from '../harness.js';

export interface DcMnistParams extends CoreRunParams {
  /** `--dataset` spec (src/data/load.ts); the first `images` training images are used. */
  dataset: string;
  images: number;
  neurons: number;
  /** true: training pass; false: frozen responses (inference). */
  learn: boolean;
  /** false: every image is presented once (maxRetries 0), as Brian2's standalone run does. */
  retry: boolean;
  /** 0 = f32 weights, 1..8 = fixed point. */
  weightBits: number;
}

/** Params of every runner that drives the core's WTA network (dc-mnist, cluster-layer). */
export interface CoreRunParams {
  dtMs: number;
  backend: Backend;
  seed: number;
}

/** Their schema, the last properties of each runner's paramsSchema. */
export const coreRunParamsSchema = {
  dtMs: { type: 'number', exclusiveMinimum: 0 },
  backend: { enum: ['wasm', 'wasm-scalar', 'reference'] },
  seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
} as const;

export const paramsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['dataset', 'images', 'neurons', 'learn', 'backend', 'seed'],
  properties: {
    dataset: { type: 'string', minLength: 1 },
    images: { type: 'integer', minimum: 1, maximum: 60_000 },
    neurons: { type: 'integer', minimum: 1, maximum: 100_000 },
    learn: { type: 'boolean' },
    retry: { type: 'boolean' },
    weightBits: { type: 'integer', minimum: 0, maximum: 8 },
    ...coreRunParamsSchema,
  },
} as const;

/** Scenario params with defaults filled in. */
export function resolveDcMnistParams(raw: ScenarioParams): DcMnistParams {
  return { retry: true, weightBits: 0, dtMs: 0.5, ...raw } as unknown as DcMnistParams;
}

/** The Diehl & Cook preset for these params (retry rule off when `retry` is false). */
export function dcMnistPreset(p: DcMnistParams, nInputs: number): DiehlCookPreset {
  return diehlCookPreset({
    nNeurons: p.neurons,
    nInputs,
    weightBits: p.weightBits,
    overrides: { dtMs: p.dtMs, ...(p.retry ? {} : { maxRetries: 0 }) },
  });
}

/** Images of a dataset's training split, row-major, `nIn` values per image. */
export function loadBenchImages(dataset: string, count: number): { pixels: Uint8Array | Float32Array; count: number; nIn: number; name: string } {
  const data = loadDataset(dataset, 'train', { limit: count });
  return { pixels: data.images, count: data.shape.count, nIn: pixelsPerImage(data), name: data.name };
}

export function delta(after: Counters, before: Counters): Counters {
  const out = { ...after };
  for (const k of Object.keys(out) as (keyof Counters)[]) out[k] = after[k] - before[k];
  return out;
}

/** Process CPU seconds (user + system) since `since`. */
export function cpuSecondsSince(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/** One pass of the network over the images: training or frozen responses. */
export function dcPass(
  net: WtaNetwork,
  images: { pixels: Uint8Array | Float32Array; count: number; nIn: number },
  learn: boolean,
  firstKey = 0,
): { presentations: number; spikes: number } {
  const row = new Uint32Array(net.preset.nNeurons);
  let presentations = 0;
  let spikes = 0;
  for (let s = 0; s < images.count; s++) {
    const r = learn ? net.trainSample(images.pixels, s * images.nIn) : net.respond(images.pixels, s * images.nIn, firstKey + s, row);
    presentations += r.presentations;
    spikes += r.spikes;
  }
  return { presentations, spikes };
}

/**
 * Timed repetitions of dcPass on one network, for a runner's `run`: each reports the counter deltas
 * and per-sample rates (plus `more`, from the deltas and the sample count); `last` gives the latest
 * repetition's deltas for the workload (the network's totals before any).
 */
export function dcRepetitions(
  net: WtaNetwork,
  images: { pixels: Uint8Array | Float32Array; count: number; nIn: number },
  learn: boolean,
  more?: (counters: Counters, samples: number) => Record<string, number>,
): { run: () => RepetitionResult; last: () => Counters } {
  let last: Counters | null = null;
  let repetition = 0;
  return {
    run: () => {
      const before = net.counters();
      const cpu0 = process.cpuUsage();
      // Frozen samples are keyed by index; a new key range per repetition gives fresh input spikes.
      const r = dcPass(net, images, learn, repetition++ * images.count);
      const cpuSeconds = cpuSecondsSince(cpu0);
      const c = delta(net.counters(), before);
      last = c;
      const n = images.count;
      return {
        events: c.synapticEvents,
        neuronUpdates: c.neuronUpdates,
        samples: n,
        extra: {
          samplesPerCpuSecond: cpuSeconds > 0 ? n / cpuSeconds : Number.NaN,
          presentationsPerSample: r.presentations / n,
          outputSpikesPerSample: r.spikes / n,
          inputSpikesPerSample: c.inputSpikes / n,
          ...more?.(c, n),
        },
      };
    },
    last: () => last ?? net.counters(),
  };
}

export function dcWorkload(name: string, preset: DiehlCookPreset, samples: number, counters: Counters): WorkloadInput {
  return {
    name,
    samples,
    timestepMs: preset.dtMs,
    layers: [
      {
        name: 'excitatory',
        nIn: preset.nInputs,
        nOut: preset.nNeurons,
        weightBits: preset.weights.format === 'fixed' ? (preset.weights.bits ?? 8) : 0,
        counters,
      },
    ],
  };
}

export const runner: Runner = {
  kind: 'dc-mnist',
  paramsSchema: paramsSchema as unknown as Record<string, unknown>,
  prepare(raw: ScenarioParams): PreparedRun {
    const p = resolveDcMnistParams(raw);
    const images = loadBenchImages(p.dataset, p.images);
    const preset = dcMnistPreset(p, images.nIn);
    const net = new WtaNetwork(preset, p.seed, p.backend);
    net.initialise();
    const repetitions = dcRepetitions(net, images, p.learn, (c, n) => ({ weightWritesPerSample: c.weightWrites / n }));
    return {
      info: { backend: net.backend, dataset: images.name, images: images.count, inputs: images.nIn, preset: preset.name, maxRetries: preset.maxRetries },
      run: repetitions.run,
      workload: () => dcWorkload(`bench dc-mnist ${preset.nNeurons} neurons ${p.learn ? 'train' : 'infer'}`, preset, images.count, repetitions.last()),
      dispose: () => net.dispose(),
    };
  },
};
