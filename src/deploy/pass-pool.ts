import { requireInteger } from '../errors.js';
import { rangePass } from '../parallel/range-pass.js';
import { toShared } from '../parallel/shared.js';
import { workerEntry } from '../parallel/start-worker.js';
import { defaultThreads } from '../parallel/worker-pool.js';
import type { NetworkSpec } from './network-spec.js';
import type { SimulatorOptions } from './simulator.js';
import { counterLength, spikingPassSync, type PassBuffers, type PassImages } from './spiking-pass.js';

export interface PassWorkerData {
  spec: NetworkSpec;
  options: SimulatorOptions;
  pixels: SharedArrayBuffer;
  pixelKind: 'u8' | 'f32';
  count: number;
  size: number;
  membrane: SharedArrayBuffer;
  spikes: SharedArrayBuffer;
}

export interface PassOptions {
  /** Worker threads; 1 runs in the calling thread. Default: available parallelism. */
  threads?: number;
  onProgress?: (done: number) => void;
  signal?: AbortSignal;
}

export const defaultPassThreads = defaultThreads;

/**
 * The spiking network over every image, spread over worker threads. Samples are independent (state
 * reset per sample, input spikes keyed by the sample index) and counters are integer sums, so the
 * result equals a single-thread run exactly, whatever the thread count or scheduling.
 */
export async function spikingPass(spec: NetworkSpec, images: PassImages, options: SimulatorOptions, pool: PassOptions = {}): Promise<PassBuffers> {
  const n = images.count;
  const threads = Math.min(requireInteger('threads', pool.threads ?? defaultPassThreads(), 1, 256), Math.max(1, Math.ceil(n / 8)));
  pool.signal?.throwIfAborted();
  if (threads === 1) return spikingPassSync(spec, images, options, pool.onProgress);
  const nSnap = options.snapshotSteps.length;
  const data: PassWorkerData = {
    spec,
    options,
    pixels: toShared(images.pixels.subarray(0, n * images.size)),
    pixelKind: images.pixels instanceof Uint8Array ? 'u8' : 'f32',
    count: n,
    size: images.size,
    membrane: new SharedArrayBuffer(nSnap * n * 4),
    spikes: new SharedArrayBuffer(nSnap * n * 4),
  };
  const chunk = Math.max(4, Math.min(64, Math.ceil(n / (threads * 16))));
  const finals = await rangePass<void, Float64Array>({
    entry: workerEntry(import.meta.url, 'pass-worker'),
    workerData: data,
    threads,
    name: 'deploy worker',
    count: n,
    chunk,
    onProgress: pool.onProgress,
    signal: pool.signal,
  });
  const counters = new Float64Array(counterLength(spec, nSnap));
  for (const c of finals) for (let i = 0; i < counters.length; i++) counters[i] += c[i]!;
  return { membrane: new Int32Array(data.membrane), spikes: new Int32Array(data.spikes), counters };
}
