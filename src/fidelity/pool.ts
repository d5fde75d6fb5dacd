/**
 * Runs fidelity points on worker threads: each worker takes the next point when it finishes one, so
 * the sweep keeps every thread busy. Points are independent (each builds its own layer from the seed),
 * so results do not depend on the thread count or the order points finish in.
 */
import { Worker } from 'node:worker_threads';
import { requireInteger } from '../errors.js';
import { runPoint, type PointOutcome, type PointTask } from './point.js';
import type { WorkloadData } from './workload.js';

export type ToWorker = { type: 'task'; task: PointTask } | { type: 'finish' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; id: string; phase: 'train' | 'label' | 'test'; done: number; total: number }
  | { type: 'done'; id: string; outcome: PointOutcome }
  | { type: 'error'; id: string | null; message: string; stack?: string };

export interface PointPoolOptions {
  /** Worker threads; 1 runs every point in the calling thread. */
  threads: number;
  onProgress?: (id: string, phase: 'train' | 'label' | 'test', done: number, total: number) => void;
  /** Called as each point finishes (in finishing order). */
  onDone: (task: PointTask, outcome: PointOutcome) => void | Promise<void>;
  signal?: AbortSignal;
}

/** Starts a worker on point-worker (compiled .js directly; .ts through tsx's loader, registered in the worker). */
function startWorker(data: WorkloadData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./point-worker.js', here), { workerData: data });
  const entry = new URL('./point-worker.ts', here).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs `tasks` (in order of hand-out) and reports each outcome through onDone. */
export async function runPoints(data: WorkloadData, tasks: PointTask[], options: PointPoolOptions): Promise<void> {
  const threads = Math.min(requireInteger('--threads', options.threads, 1, 256), Math.max(1, tasks.length));
  options.signal?.throwIfAborted();
  if (tasks.length === 0) return;
  if (threads === 1) {
    for (const task of tasks) {
      const outcome = runPoint(data, task, (phase, done, total) => options.onProgress?.(task.point.id, phase, done, total));
      await options.onDone(task, outcome);
      await tick();
      options.signal?.throwIfAborted();
    }
    return;
  }
  const byId = new Map(tasks.map((t) => [t.point.id, t]));
  let next = 0;
  const workers: Worker[] = [];
  await new Promise<void>((resolve, reject) => {
    let finished = 0;
    let failed = false;
    let pending = Promise.resolve();
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(err);
    };
    const onAbort = () => fail(options.signal?.reason ?? new Error('aborted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const feed = (w: Worker) => {
      if (next < tasks.length) w.postMessage({ type: 'task', task: tasks[next++]! } satisfies ToWorker);
      else {
        w.postMessage({ type: 'finish' } satisfies ToWorker);
        finished++;
        if (finished === threads) {
          options.signal?.removeEventListener('abort', onAbort);
          pending.then(() => resolve(), fail);
        }
      }
    };
    for (let t = 0; t < threads; t++) {
      const w = startWorker(data);
      workers.push(w);
      w.on('message', (msg: FromWorker) => {
        if (failed) return;
        if (msg.type === 'ready') feed(w);
        else if (msg.type === 'progress') options.onProgress?.(msg.id, msg.phase, msg.done, msg.total);
        else if (msg.type === 'done') {
          const task = byId.get(msg.id)!;
          pending = pending.then(() => options.onDone(task, msg.outcome));
          pending.catch(fail);
          feed(w);
        } else {
          const err = new Error(`fidelity worker${msg.id ? ` (point ${msg.id})` : ''}: ${msg.message}`);
          if (msg.stack) err.stack = msg.stack;
          fail(err);
        }
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        if (code !== 0 && !failed && finished < threads) fail(new Error(`fidelity worker exited with code ${code}`));
      });
    }
  });
  await Promise.all(workers.map((w) => w.terminate()));
}
