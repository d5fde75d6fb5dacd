import { addCounters, zeroCounters } from '../core/counters.js';
import { requireInteger } from '../errors.js';
import { rangePass } from '../parallel/range-pass.js';
import { toShared } from '../parallel/shared.js';
import { workerEntry } from '../parallel/start-worker.js';
import { defaultThreads } from '../parallel/worker-pool.js';
import { responsePassSync, type FrozenNetwork, type PassStats } from './response-pass.js';

export { defaultThreads };

/** What a worker reports for each range it runs. */
export interface RangeTotals {
  spikes: number;
  presentations: number;
}

export interface WorkerData {
  frozen: FrozenNetwork;
  images: SharedArrayBuffer;
  imageKind: 'u8' | 'f32';
  responses: SharedArrayBuffer;
  keyBase: number;
}

export interface ResponsePassOptions {
  /** Worker threads; 1 runs in the calling thread. Default: available parallelism. */
  threads?: number;
  /** RNG key of sample 0 (sample s uses keyBase + s). */
  keyBase: number;
  onProgress?: (done: number) => void;
  /** Aborts the pass (workers are terminated, the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * Frozen responses (spike counts per sample and neuron, row-major) of every image, spread over
 * worker threads. Each sample is independent (see WtaNetwork.respond), so the responses, totals and
 * counters equal those of a single-thread run exactly, whatever the thread count or scheduling.
 */
export async function responsePass(
  frozen: FrozenNetwork,
  images: Uint8Array | Float32Array,
  options: ResponsePassOptions,
): Promise<{ responses: Uint32Array; stats: PassStats }> {
  const nIn = frozen.preset.nInputs;
  const nOut = frozen.preset.nNeurons;
  const n = Math.floor(images.length / nIn);
  const threads = Math.min(requireInteger('threads', options.threads ?? defaultThreads(), 1, 256), Math.max(1, n));
  options.signal?.throwIfAborted();
  if (threads === 1) return responsePassSync(frozen, images, options.keyBase, options.onProgress);

  const responsesSab = new SharedArrayBuffer(n * nOut * 4);
  const data: WorkerData = {
    frozen,
    images: toShared(images),
    imageKind: images instanceof Uint8Array ? 'u8' : 'f32',
    responses: responsesSab,
    keyBase: options.keyBase,
  };
  const chunk = Math.max(8, Math.min(256, Math.ceil(n / (threads * 16))));
  let spikes = 0;
  let presentations = 0;
  const finals = await rangePass<RangeTotals, PassStats['counters']>({
    entry: workerEntry(import.meta.url, 'eval-worker'),
    workerData: data,
    threads,
    name: 'response worker',
    count: n,
    chunk,
    onRange: (totals) => {
      spikes += totals.spikes;
      presentations += totals.presentations;
    },
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const counters = zeroCounters();
  for (const c of finals) addCounters(counters, c);
  return { responses: new Uint32Array(responsesSab), stats: { samples: n, spikes, presentations, counters } };
}
