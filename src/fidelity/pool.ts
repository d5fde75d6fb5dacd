/**
 * Runs fidelity points on worker threads: each worker takes the next point when it finishes one, so
 * the sweep keeps every thread busy. Points are independent (each builds its own layer from the seed),
 * so results do not depend on the thread count or the order points finish in.
 */
import { requireInteger } from '../errors.js';
import { workerEntry } from '../parallel/start-worker.js';
import { WorkerPool } from '../parallel/worker-pool.js';
import { runPoint, type PointOutcome, type PointTask } from './point.js';
import type { WorkloadData } from './workload.js';

/** How far a point has got, as its worker reports it. */
export interface PointStatus {
  phase: 'train' | 'label' | 'test';
  done: number;
  total: number;
}

export interface PointPoolOptions {
  /** Worker threads; 1 runs every point in the calling thread. */
  threads: number;
  onProgress?: (id: string, phase: 'train' | 'label' | 'test', done: number, total: number) => void;
  /** Called as each point finishes (in finishing order). */
  onDone: (task: PointTask, outcome: PointOutcome) => void | Promise<void>;
  signal?: AbortSignal;
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
  const pool = new WorkerPool<PointTask, PointOutcome, PointStatus>({
    entry: workerEntry(import.meta.url, 'point-worker'),
    workerData: data,
    threads,
    name: 'fidelity worker',
    describe: (task) => `point ${task.point.id}`,
    signal: options.signal,
  });
  try {
    await pool.run(tasks, {
      onProgress: (p, task) => options.onProgress?.(task.point.id, p.phase, p.done, p.total),
      onResult: (outcome, task) => options.onDone(task, outcome),
    });
  } finally {
    await pool.dispose();
  }
}
