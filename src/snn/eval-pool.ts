import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { addCounters, zeroCounters } from '../core/counters.js';
import { requireInteger } from '../errors.js';
import { responsePassSync, type FrozenNetwork, type PassStats } from './response-pass.js';

/** Messages between the pool and its workers. */
export type ToWorker = { type: 'range'; start: number; end: number } | { type: 'finish' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; start: number; end: number; spikes: number; presentations: number }
  | { type: 'counters'; counters: PassStats['counters'] }
  | { type: 'error'; message: string; stack?: string };

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

/** Default thread count: every core the process may use. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Starts a worker on the entry next to this module: the compiled .js from dist/ directly; the .ts
 * source (tests and `tsx` runs) through a small bootstrap that registers tsx's loader in the worker
 * first (Node 20 does not pass `--import tsx` on to workers).
 */
function startWorker(data: WorkerData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./eval-worker.js', here), { workerData: data });
  const entry = new URL('./eval-worker.ts', here).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

function toShared(images: Uint8Array | Float32Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(images.byteLength);
  new Uint8Array(sab).set(new Uint8Array(images.buffer, images.byteOffset, images.byteLength));
  return sab;
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
  let next = 0;
  let done = 0;
  let spikes = 0;
  let presentations = 0;
  const counters = zeroCounters();
  const workers: Worker[] = [];

  await new Promise<void>((resolve, reject) => {
    let finished = 0;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(err);
    };
    const onAbort = () => fail(options.signal?.reason ?? new Error('aborted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const feed = (w: Worker) => {
      if (next < n) {
        const start = next;
        next = Math.min(n, next + chunk);
        w.postMessage({ type: 'range', start, end: next } satisfies ToWorker);
      } else {
        w.postMessage({ type: 'finish' } satisfies ToWorker);
      }
    };
    for (let t = 0; t < threads; t++) {
      const w = startWorker(data);
      workers.push(w);
      w.on('message', (msg: FromWorker) => {
        if (failed) return;
        switch (msg.type) {
          case 'ready':
            feed(w);
            break;
          case 'done':
            done += msg.end - msg.start;
            spikes += msg.spikes;
            presentations += msg.presentations;
            options.onProgress?.(done);
            feed(w);
            break;
          case 'counters':
            addCounters(counters, msg.counters);
            finished += 1;
            if (finished === threads) {
              options.signal?.removeEventListener('abort', onAbort);
              resolve();
            }
            break;
          case 'error': {
            const err = new Error(`response worker: ${msg.message}`);
            if (msg.stack) err.stack = msg.stack;
            fail(err);
            break;
          }
        }
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        if (code !== 0 && finished < threads) fail(new Error(`response worker exited with code ${code}`));
      });
    }
  });
  await Promise.all(workers.map((w) => w.terminate()));
  return { responses: new Uint32Array(responsesSab), stats: { samples: n, spikes, presentations, counters } };
}
