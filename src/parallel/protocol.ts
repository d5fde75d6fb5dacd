/** Messages between a WorkerPool and the workers it runs (serveTasks is the worker side). */
export type ToPoolWorker<T> = { type: 'task'; index: number; task: T } | { type: 'finish' };
export type FromPoolWorker<R, P, F> =
  | { type: 'ready' }
  | { type: 'progress'; index: number; progress: P }
  | { type: 'done'; index: number; result: R }
  | { type: 'finished'; final: F }
  /** index: the task that failed, null when setup or finish failed. */
  | { type: 'error'; index: number | null; message: string; stack?: string };
