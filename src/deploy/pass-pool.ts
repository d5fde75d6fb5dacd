import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { requireInteger } from '../errors.js';
import type { NetworkSpec } from './network-spec.js';
import type { SimulatorOptions } from './simulator.js';
import { counterLength, spikingPassSync, type PassBuffers, type PassImages } from './spiking-pass.js';

/** Messages between the pool and its workers. */
export type ToPassWorker = { type: 'range'; start: number; end: number } | { type: 'finish' };
export type FromPassWorker =
  | { type: 'ready' }
  | { type: 'done'; start: number; end: number }
  | { type: 'counters'; counters: Float64Array }
  | { type: 'error'; message: string; stack?: string };

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

export function defaultPassThreads(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Starts a worker on the entry next to this module: the compiled .js from dist/, or the .ts source
 * (tests, tsx runs) through a bootstrap that registers tsx's loader in the worker first.
 */
function startWorker(data: PassWorkerData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./pass-worker.js', here), { workerData: data });
  const entry = new URL('./pass-worker.ts', here).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

function toShared(pixels: Uint8Array | Float32Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(pixels.byteLength);
  new Uint8Array(sab).set(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength));
  return sab;
}

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
  const counters = new Float64Array(counterLength(spec, nSnap));
  const chunk = Math.max(4, Math.min(64, Math.ceil(n / (threads * 16))));
  let next = 0;
  let done = 0;
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
    const onAbort = () => fail(pool.signal?.reason ?? new Error('aborted'));
    pool.signal?.addEventListener('abort', onAbort, { once: true });
    const feed = (w: Worker) => {
      if (next < n) {
        const start = next;
        next = Math.min(n, next + chunk);
        w.postMessage({ type: 'range', start, end: next } satisfies ToPassWorker);
      } else {
        w.postMessage({ type: 'finish' } satisfies ToPassWorker);
      }
    };
    for (let t = 0; t < threads; t++) {
      const w = startWorker(data);
      workers.push(w);
      w.on('message', (msg: FromPassWorker) => {
        if (failed) return;
        switch (msg.type) {
          case 'ready':
            feed(w);
            break;
          case 'done':
            done += msg.end - msg.start;
            pool.onProgress?.(done);
            feed(w);
            break;
          case 'counters':
            for (let i = 0; i < counters.length; i++) counters[i] += msg.counters[i]!;
            finished += 1;
            if (finished === threads) {
              pool.signal?.removeEventListener('abort', onAbort);
              resolve();
            }
            break;
          case 'error': {
            const err = new Error(`deploy worker: ${msg.message}`);
            if (msg.stack) err.stack = msg.stack;
            fail(err);
            break;
          }
        }
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        if (code !== 0 && finished < threads) fail(new Error(`deploy worker exited with code ${code}`));
      });
    }
  });
  await Promise.all(workers.map((w) => w.terminate()));
  return { membrane: new Int32Array(data.membrane), spikes: new Int32Array(data.spikes), counters };
}
