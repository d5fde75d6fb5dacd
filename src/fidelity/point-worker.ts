import { parentPort, workerData } from 'node:worker_threads';
import { runPoint } from './point.js';
import type { FromWorker, ToWorker } from './pool.js';
import type { WorkloadData } from './workload.js';

/** Worker side of the point pool: runs the points it is handed, one at a time. */
const data = workerData as WorkloadData;
const port = parentPort!;
const send = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'finish') {
    port.close();
    return;
  }
  const id = msg.task.point.id;
  try {
    let last = 0;
    const outcome = runPoint(data, msg.task, (phase, done, total) => {
      const now = performance.now();
      if (now - last < 250 && done < total) return;
      last = now;
      send({ type: 'progress', id, phase, done, total });
    });
    send({ type: 'done', id, outcome }, [outcome.weights.buffer as ArrayBuffer, outcome.probeResponses.buffer as ArrayBuffer]);
  } catch (err) {
    send({ type: 'error', id, message: (err as Error).message, stack: (err as Error).stack });
  }
});
send({ type: 'ready' });
