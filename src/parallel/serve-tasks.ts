import { parentPort, workerData } from 'node:worker_threads';
import type { FromPoolWorker, ToPoolWorker } from './protocol.js';

/** What a worker does with the tasks a WorkerPool hands it. */
export interface TaskServer<T, R, P = never, F = void> {
  /** Runs one task; `progress` reports on it while it runs. */
  run(task: T, progress: (progress: P) => void): R;
  /** Buffers of a result to move to the pool rather than copy (the worker no longer needs them). */
  transfer?(result: R): ArrayBuffer[];
  /** The worker's own summary (e.g. its counters), sent once when the pool closes. */
  finish?(): F;
}

/**
 * Worker side of a WorkerPool: builds its server from the pool's workerData once, then runs the
 * tasks it is handed, one at a time. Failures go back to the pool as messages, so the pool can name
 * the task and keep the worker's message and stack.
 */
export function serveTasks<D, T, R, P = never, F = void>(setup: (data: D) => TaskServer<T, R, P, F>): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs in a worker thread');
  const send = (msg: FromPoolWorker<R, P, F>, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);
  const report = (index: number | null, err: unknown) =>
    send({ type: 'error', index, message: (err as Error).message, stack: (err as Error).stack });
  let server: TaskServer<T, R, P, F>;
  try {
    server = setup(workerData as D);
  } catch (err) {
    report(null, err);
    return;
  }
  port.on('message', (msg: ToPoolWorker<T>) => {
    if (msg.type === 'task') {
      try {
        const result = server.run(msg.task, (progress) => send({ type: 'progress', index: msg.index, progress }));
        send({ type: 'done', index: msg.index, result }, server.transfer?.(result));
      } catch (err) {
        report(msg.index, err);
      }
      return;
    }
    try {
      send({ type: 'finished', final: server.finish?.() as F });
      port.close();
    } catch (err) {
      report(null, err);
    }
  });
  send({ type: 'ready' });
}
