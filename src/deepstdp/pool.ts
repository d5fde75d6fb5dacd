import { ValidationError } from '../errors.js';
import { startWorker, workerEntry } from '../parallel/start-worker.js';
import type { TrainData } from './data.js';
import type { EpochRecord } from './records.js';
import { runDeepStdp, type Phase, type RunHooks, type RunResult, type RunSpec } from './run.js';
import { loadHwModels } from './energy.js';

/** Messages between the run pool and its workers. */
export type ToRunWorker = { type: 'abort' };
export type FromRunWorker =
  | { type: 'phase'; epoch: number; phase: Phase; total: number }
  | { type: 'progress'; done: number; metric?: number }
  | { type: 'epoch'; record: EpochRecord }
  | { type: 'log'; line: string }
  | { type: 'done'; result: RunResult }
  | { type: 'error'; message: string; stack?: string; aborted: boolean; validation?: { field: string; value: string; allowed: string } };

export interface RunWorkerData {
  spec: RunSpec;
  data: TrainData;
  hwModels: string;
}

/** Hooks of one run as seen by the caller (the same for in-thread and worker runs). */
export interface PoolHooks {
  onPhase?: (run: RunSpec, epoch: number, phase: Phase, total: number) => void;
  onProgress?: (run: RunSpec, done: number, metric?: number) => void;
  onEpoch?: (run: RunSpec, record: EpochRecord) => void;
  onRunStart?: (run: RunSpec) => void;
  onRunEnd?: (run: RunSpec, result: RunResult) => void;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** In-thread runs only (tests): called after each epoch's checkpoint. */
  afterEpoch?: (run: RunSpec, epoch: number) => void;
}

function runInWorker(spec: RunSpec, data: TrainData, hwModels: string, hooks: PoolHooks): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    const worker = startWorker(workerEntry(import.meta.url, 'worker'), { spec, data, hwModels } satisfies RunWorkerData);
    let settled = false;
    const onAbort = () => worker.postMessage({ type: 'abort' } satisfies ToRunWorker);
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      hooks.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    worker.on('message', (msg: FromRunWorker) => {
      switch (msg.type) {
        case 'phase':
          hooks.onPhase?.(spec, msg.epoch, msg.phase, msg.total);
          break;
        case 'progress':
          hooks.onProgress?.(spec, msg.done, msg.metric);
          break;
        case 'epoch':
          hooks.onEpoch?.(spec, msg.record);
          break;
        case 'log':
          hooks.log?.(msg.line);
          break;
        case 'done':
          finish(() => resolve(msg.result));
          break;
        case 'error': {
          let err: Error;
          if (msg.aborted && hooks.signal?.aborted) err = hooks.signal.reason instanceof Error ? hooks.signal.reason : new Error('interrupted');
          else if (msg.validation) err = new ValidationError(msg.validation.field, msg.validation.value, msg.validation.allowed);
          else {
            err = new Error(`${spec.method} seed ${spec.seed}: ${msg.message}`);
            if (msg.stack) err.stack = msg.stack;
          }
          finish(() => reject(err));
          break;
        }
      }
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => {
      if (code !== 0) finish(() => reject(new Error(`${spec.method} seed ${spec.seed}: worker exited with code ${code}`)));
    });
  });
}

async function runInThread(spec: RunSpec, data: TrainData, hwModels: string, hooks: PoolHooks): Promise<RunResult> {
  const runHooks: RunHooks = {
    hwModels: loadHwModels(hwModels),
    onPhase: (epoch, phase, total) => {
      hooks.onPhase?.(spec, epoch, phase, total);
      return (done, metric) => hooks.onProgress?.(spec, done, metric);
    },
    onEpoch: (record) => hooks.onEpoch?.(spec, record),
    ...(hooks.log ? { log: hooks.log } : {}),
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    ...(hooks.afterEpoch ? { afterEpoch: (epoch: number) => hooks.afterEpoch!(spec, epoch) } : {}),
  };
  return runDeepStdp(spec, data, runHooks);
}

/**
 * Runs every spec, `jobs` at a time: in this thread when jobs = 1, else each in its own worker thread
 * (one TensorFlow.js instance per run; the runs are independent and deterministic, so the results do
 * not depend on jobs). Results come back in the order of `specs`.
 */
export async function runAll(specs: RunSpec[], data: TrainData, jobs: number, hwModels: string, hooks: PoolHooks = {}): Promise<RunResult[]> {
  const results: RunResult[] = new Array(specs.length);
  // One failure stops the other runs too (each saves nothing beyond its last epoch checkpoint).
  const inner = new AbortController();
  const forward = () => inner.abort(hooks.signal?.reason);
  hooks.signal?.addEventListener('abort', forward, { once: true });
  const laneHooks: PoolHooks = { ...hooks, signal: inner.signal };
  let next = 0;
  let failure: unknown = null;
  const lane = async () => {
    while (failure === null && next < specs.length) {
      const i = next++;
      const spec = specs[i]!;
      hooks.onRunStart?.(spec);
      try {
        results[i] = jobs === 1 ? await runInThread(spec, data, hwModels, laneHooks) : await runInWorker(spec, data, hwModels, laneHooks);
        hooks.onRunEnd?.(spec, results[i]!);
      } catch (err) {
        if (failure === null) {
          failure = err;
          if (!inner.signal.aborted) inner.abort(err);
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, specs.length)) }, lane));
  } finally {
    hooks.signal?.removeEventListener('abort', forward);
  }
  if (failure !== null) throw failure;
  return results;
}
