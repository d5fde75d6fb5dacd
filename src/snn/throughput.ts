import type { Backend } from '../core/layer.js';
import { type Counters } from '../core/counters.js';
import { requireInteger } from '../errors.js';
import { loadDataset } from '../data/load.js';
import { pixelsPerImage } from '../data/dataset.js';
import { diehlCookPreset, type DiehlCookOptions } from './presets/diehl-cook.js';
import { WtaNetwork } from './wta-network.js';

export interface ThroughputOptions {
  neurons: number;
  /** Images timed (after the warm-up). */
  samples: number;
  /** Images run before timing starts (JIT and caches). Default 200. */
  warmup?: number;
  /** 'train' (learning and adaptation on, the default) or 'infer' (frozen responses). */
  mode?: 'train' | 'infer';
  dataset?: string;
  seed?: number;
  backend?: Backend;
  weightBits?: number;
  rounding?: DiehlCookOptions['rounding'];
}

export interface ThroughputResult {
  mode: 'train' | 'infer';
  backend: Backend;
  neurons: number;
  samples: number;
  wallSeconds: number;
  samplesPerSecond: number;
  /** Process CPU time (user + system) of the timed part: on a loaded machine a steadier measure than wall time. */
  cpuSeconds: number;
  samplesPerCpuSecond: number;
  presentationsPerSample: number;
  spikesPerSample: number;
  synapticEventsPerSecond: number;
  neuronUpdatesPerSecond: number;
  /** Counters of the timed samples only. */
  counters: Counters;
}

/**
 * Single-thread throughput of the Diehl & Cook network on the core: images per second while
 * training (STDP, adaptation, normalisation, retries, closed-form rest included) or while responding
 * frozen. The benchmark harness calls this; one call is one measurement (take the median of several).
 */
export function trainThroughput(options: ThroughputOptions): ThroughputResult {
  const neurons = requireInteger('neurons', options.neurons, 1);
  const samples = requireInteger('samples', options.samples, 1);
  const warmup = requireInteger('warmup', options.warmup ?? 200, 0);
  const mode = options.mode ?? 'train';
  const data = loadDataset(options.dataset ?? 'mnist', 'train', { limit: warmup + samples });
  const nIn = pixelsPerImage(data);
  const count = data.shape.count;
  const preset = diehlCookPreset({
    nNeurons: neurons,
    nInputs: nIn,
    ...(options.weightBits !== undefined ? { weightBits: options.weightBits } : {}),
    ...(options.rounding !== undefined ? { rounding: options.rounding } : {}),
  });
  const net = new WtaNetwork(preset, options.seed ?? 1, options.backend);
  try {
    net.initialise();
    const row = new Uint32Array(neurons);
    const run = (s: number) =>
      mode === 'train' ? net.trainSample(data.images, (s % count) * nIn) : net.respond(data.images, (s % count) * nIn, s, row);
    for (let s = 0; s < warmup; s++) run(s);
    net.resetCounters();
    let spikes = 0;
    let presentations = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let s = warmup; s < warmup + samples; s++) {
      const r = run(s);
      spikes += r.spikes;
      presentations += r.presentations;
    }
    const wallSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const counters = net.counters();
    return {
      mode,
      backend: net.backend,
      neurons,
      samples,
      wallSeconds,
      samplesPerSecond: samples / wallSeconds,
      cpuSeconds,
      samplesPerCpuSecond: samples / cpuSeconds,
      presentationsPerSample: presentations / samples,
      spikesPerSample: spikes / samples,
      synapticEventsPerSecond: counters.synapticEvents / wallSeconds,
      neuronUpdatesPerSecond: counters.neuronUpdates / wallSeconds,
      counters,
    };
  } finally {
    net.dispose();
  }
}
