import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { FromPoolWorker, ToPoolWorker } from './protocol.js';
import { startWorker } from './start-worker.js';

/** Default thread count: every core the process may use. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

export interface WorkerPoolOptions<T> {
  /** The worker module (see workerEntry); it calls serveTasks. */
  entry: URL;
  /** Handed to every worker's setup once (shared buffers are shared, everything else copied). */
  workerData: unknown;
  threads: number;
  /** Starts error messages, e.g. 'deploy worker'. */
  name: string;
  /** Names a failed task in its error message, e.g. `point 3`. */
  describe?: (task: T) => string;
  /** Aborts whatever the pool is doing: the workers are terminated and pending calls reject with the signal's reason. */
  signal?: AbortSignal;
}

export interface RunHooks<T, R, P> {
  /**
   * Each result as it arrives (finishing order). Calls are serial: a returned promise is awaited
   * before the next call and before run resolves; a rejection fails the pool.
   */
  onResult?: (result: R, task: T, index: number) => void | Promise<void>;
  onProgress?: (progress: P, task: T, index: number) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Index of the task it is running, or null when idle. */
  task: number | null;
  finishing: boolean;
  finished: boolean;
  exited: boolean;
}

interface Run<T, R, P> {
  tasks: readonly T[];
  hooks: RunHooks<T, R, P>;
  results: R[];
  next: number;
  remaining: number;
  callbacks: Promise<void>;
  resolve: (results: R[]) => void;
  reject: (err: unknown) => void;
}

interface Close<F> {
  finals: F[];
  remaining: number;
  resolve: (finals: F[]) => void;
  reject: (err: unknown) => void;
}

/**
 * A fixed set of worker threads running tasks, one task per worker at a time: a worker takes the next
 * task when it finishes one, so uneven tasks keep every thread busy. The first failure (a task's error,
 * a crashed worker, the abort signal) terminates every worker and rejects what is pending and
 * whatever is asked afterwards. Always dispose the pool (finally), or its workers keep the process alive.
 */
export class WorkerPool<T, R, P = never, F = void> {
  private readonly slots: Slot[] = [];
  private failure: { error: unknown } | null = null;
  private disposed = false;
  private current: Run<T, R, P> | null = null;
  private closing: Close<F> | null = null;
  private readonly onAbort = () => this.fail(this.options.signal?.reason ?? new Error('aborted'));

  constructor(private readonly options: WorkerPoolOptions<T>) {
    options.signal?.throwIfAborted();
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    for (let t = 0; t < options.threads; t++) {
      const slot: Slot = { worker: startWorker(options.entry, options.workerData), ready: false, task: null, finishing: false, finished: false, exited: false };
      this.slots.push(slot);
      slot.worker.on('message', (msg: FromPoolWorker<R, P, F>) => this.receive(slot, msg));
      slot.worker.on('error', (err) => this.fail(err));
      slot.worker.on('exit', (code) => {
        slot.exited = true;
        if (!slot.finished && !this.disposed) this.fail(new Error(`${options.name} exited with code ${code}`));
      });
    }
  }

  /** Workers that have not exited yet. */
  get liveWorkers(): number {
    return this.slots.filter((s) => !s.exited).length;
  }

  /** Runs every task (handed out in order); the results come back in the order of `tasks`. */
  run(tasks: readonly T[], hooks: RunHooks<T, R, P> = {}): Promise<R[]> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused.error);
    if (tasks.length === 0) return Promise.resolve([]);
    return new Promise<R[]>((resolve, reject) => {
      this.current = { tasks, hooks, results: new Array(tasks.length), next: 0, remaining: tasks.length, callbacks: Promise.resolve(), resolve, reject };
      for (const slot of this.slots) this.dispatch(slot);
    });
  }

  /** Asks every worker for its summary (TaskServer.finish) and lets it exit; the summaries come in worker order. */
  close(): Promise<F[]> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused.error);
    return new Promise<F[]>((resolve, reject) => {
      this.closing = { finals: new Array(this.slots.length), remaining: this.slots.length, resolve, reject };
      for (const slot of this.slots) this.dispatch(slot);
    });
  }

  /** Terminates every worker (pending calls reject); safe to call more than once. */
  async dispose(): Promise<void> {
    if (!this.disposed && !this.failure && (this.current || this.closing)) this.fail(new Error(`${this.options.name} pool disposed`));
    this.disposed = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** Why a new call cannot start, if it cannot. */
  private refusal(): { error: unknown } | null {
    if (this.failure) return this.failure;
    if (this.disposed) return { error: new Error(`${this.options.name} pool disposed`) };
    if (this.current || this.closing) return { error: new Error(`${this.options.name} pool is busy`) };
    return null;
  }

  /** Gives an idle, ready worker the next task, or its finish message once the pool is closing. */
  private dispatch(slot: Slot): void {
    if (this.failure || !slot.ready || slot.task !== null || slot.finishing) return;
    const run = this.current;
    if (run && run.next < run.tasks.length) {
      const index = run.next++;
      slot.task = index;
      slot.worker.postMessage({ type: 'task', index, task: run.tasks[index]! } satisfies ToPoolWorker<T>);
    } else if (this.closing) {
      slot.finishing = true;
      slot.worker.postMessage({ type: 'finish' } satisfies ToPoolWorker<T>);
    }
  }

  private receive(slot: Slot, msg: FromPoolWorker<R, P, F>): void {
    if (this.failure) return;
    switch (msg.type) {
      case 'ready':
        slot.ready = true;
        this.dispatch(slot);
        break;
      case 'progress': {
        const run = this.current!;
        run.hooks.onProgress?.(msg.progress, run.tasks[msg.index]!, msg.index);
        break;
      }
      case 'done': {
        const run = this.current!;
        const task = run.tasks[msg.index]!;
        run.results[msg.index] = msg.result;
        run.callbacks = run.callbacks.then(() => run.hooks.onResult?.(msg.result, task, msg.index));
        run.callbacks.catch((err) => this.fail(err));
        slot.task = null;
        run.remaining -= 1;
        if (run.remaining === 0) {
          run.callbacks.then(() => {
            if (this.current !== run || this.failure) return;
            this.current = null;
            run.resolve(run.results);
          }, () => {});
        } else this.dispatch(slot);
        break;
      }
      case 'finished': {
        const closing = this.closing!;
        slot.finished = true;
        closing.finals[this.slots.indexOf(slot)] = msg.final;
        closing.remaining -= 1;
        if (closing.remaining === 0) {
          this.closing = null;
          closing.resolve(closing.finals);
        }
        break;
      }
      case 'error': {
        const task = msg.index !== null && this.current ? this.current.tasks[msg.index] : undefined;
        const what = task !== undefined && this.options.describe ? ` (${this.options.describe(task)})` : '';
        const err = new Error(`${this.options.name}${what}: ${msg.message}`);
        if (msg.stack) err.stack = msg.stack;
        this.fail(err);
        break;
      }
    }
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    this.options.signal?.removeEventListener('abort', this.onAbort);
    for (const slot of this.slots) void slot.worker.terminate();
    const { current, closing } = this;
    this.current = null;
    this.closing = null;
    current?.reject(error);
    closing?.reject(error);
  }
}
